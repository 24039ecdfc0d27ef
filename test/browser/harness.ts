// Shared pieces of the browser tests: logging in through the real login page,
// hydration waits, visibility waits, and the incident form filled in the way a user fills it.
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";

/** How long a browser check may wait for the page to catch up (auto-waiting, not a sleep). */
export const WAIT = 10_000;

/**
 * Waits until `predicate` (a self-contained function, run in the page) is true, checking on every
 * animation frame; a navigation meanwhile just means waiting in the new document.
 * Not page.waitForFunction: that evals its predicate inside the page, which the app's
 * Content-Security-Policy (no 'unsafe-eval') blocks and reports as a violation. An expression
 * given to page.evaluate is compiled through the DevTools protocol, which the policy does not govern.
 */
export async function waitInPage(page: Page, predicate: () => unknown, what: string): Promise<void> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const timeout = Math.max(0, deadline - Date.now());
    const source = `new Promise((resolve) => {
      const predicate = (${predicate.toString()});
      const started = performance.now();
      const check = () => {
        let done = false;
        try { done = Boolean(predicate()); } catch {}
        if (done) resolve(true);
        else if (performance.now() - started > ${timeout}) resolve(false);
        else requestAnimationFrame(check);
      };
      check();
    })`;
    try {
      if (await page.evaluate(source)) return;
    } catch (error) {
      if (!/Execution context was destroyed|navigation/i.test(String(error))) throw error;
    }
    if (Date.now() >= deadline) throw new Error(`Waited ${WAIT} ms for ${what}: ${page.url()}`);
  }
}

/** Waits until Remix has hydrated the page, so clicks go through React (fetchers, client navigation). */
export async function waitForHydration(page: Page): Promise<void> {
  await waitInPage(
    page,
    () => {
      const router = (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter;
      const form = document.querySelector("form");
      const reactOwned = !form || Object.keys(form).some((key) => key.startsWith("__reactProps"));
      return Boolean(router?.state.initialized) && reactOwned;
    },
    "the page to hydrate",
  );
}

export async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: "visible", timeout: WAIT });
  return locator;
}

export type IncidentForm = {
  title: string;
  severity?: string;
  timeZone?: string;
  startedAt?: string;
  resolvedAt?: string;
  impactPercent?: string;
  services?: string;
  summary?: string;
};

/** Fills /incidents/new by its labels (the page must already be open). */
export async function fillIncidentForm(page: Page, values: IncidentForm): Promise<void> {
  await page.getByLabel("Title", { exact: true }).fill(values.title);
  if (values.severity) await page.getByLabel("Severity", { exact: true }).selectOption(values.severity);
  if (values.timeZone !== undefined) await page.getByLabel("Time zone", { exact: true }).fill(values.timeZone);
  if (values.startedAt !== undefined) await page.getByLabel("Started", { exact: true }).fill(values.startedAt);
  if (values.resolvedAt !== undefined) await page.getByLabel("Resolved", { exact: true }).fill(values.resolvedAt);
  if (values.impactPercent !== undefined) await page.getByLabel("Users affected (%)", { exact: true }).fill(values.impactPercent);
  if (values.services !== undefined) await page.getByLabel("Affected services", { exact: true }).fill(values.services);
  if (values.summary !== undefined) await page.getByLabel("Summary (Markdown)", { exact: true }).fill(values.summary);
}

/** Creates an incident through /incidents/new and returns its page URL (/incidents/:id). */
export async function createIncidentThroughForm(page: Page, baseUrl: string, values: IncidentForm, { javaScript = true } = {}): Promise<string> {
  await page.goto(`${baseUrl}/incidents/new`);
  if (javaScript) await waitForHydration(page);
  await fillIncidentForm(page, values);
  await page.getByRole("button", { name: "Create incident" }).click();
  await page.waitForURL(/\/incidents\/\d+$/, { timeout: WAIT });
  await visible(page.getByRole("heading", { level: 1, name: values.title }));
  return new URL(page.url()).pathname;
}

/** The section of a page labelled by its heading (aria-labelledby), e.g. "Add an entry". */
export function region(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}

export type Account = { email: string; password: string; name?: string };

/**
 * Logs in as a person does: opens /login, types the email and password and presses "Log in",
 * then waits until the app is shown with the account's name in the header. The session cookie
 * lands in the page's browser context, so every page of that context is logged in.
 * Works with JavaScript off too (a plain form post), when told so.
 */
export async function loginThroughPage(page: Page, baseUrl: string, account: Account, { javaScript = true } = {}): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await visible(page.getByRole("heading", { level: 1, name: "Log in to Hindsight" }));
  if (javaScript) await waitForHydration(page);
  await page.getByLabel("Email", { exact: true }).fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  // Either the app (with its "Log out" button) or the login page again with its reason.
  const logOut = page.getByRole("banner").getByRole("button", { name: "Log out" });
  const refused = page.getByRole("main").getByRole("alert");
  await logOut.or(refused).first().waitFor({ state: "visible", timeout: WAIT });
  if (new URL(page.url()).pathname === "/login") {
    const reasons = await refused.allInnerTexts();
    throw new Error(`Logging in as ${account.email} was refused: ${reasons.join(" / ") || "no reason shown"}`);
  }
  if (account.name) await visible(page.getByRole("banner").getByText(account.name, { exact: false }));
  if (javaScript) await waitForHydration(page);
}

/** A new browser context (its own cookies) logged in once through the login page. */
export async function loggedInContext(
  browser: Browser,
  baseUrl: string,
  account: Account,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    await loginThroughPage(page, baseUrl, account, { javaScript: options.javaScriptEnabled !== false });
    await page.close();
  } catch (error) {
    await context.close();
    throw error;
  }
  return context;
}

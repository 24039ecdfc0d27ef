// Shared pieces of the browser tests: hydration waits, visibility waits, and the
// incident form filled in the way a user fills it.
import type { Locator, Page } from "playwright-core";

/** How long a browser check may wait for the page to catch up (auto-waiting, not a sleep). */
export const WAIT = 10_000;

/** Waits until Remix has hydrated the page, so clicks go through React (fetchers, client navigation). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const router = (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter;
      const form = document.querySelector("form");
      const reactOwned = !form || Object.keys(form).some((key) => key.startsWith("__reactProps"));
      return Boolean(router?.state.initialized) && reactOwned;
    },
    undefined,
    { timeout: WAIT },
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

// Markdown written by users is rendered as HTML: nothing in it may run in the
// browser of whoever reads the incident or its postmortem.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, createIncidentThroughForm, loggedInContext, region, visible, waitForHydration, waitInPage } from "./harness";

const { available } = browserAvailability();

const SUMMARY_PAYLOAD = [
  "Payment page broke. Marker: summary-visible-text.",
  "",
  '<img src=x onerror="window.__xss=1">',
  "",
  "<script>window.__xss=2</script>",
  "",
  "A [link](javascript:window.__xss=3) in Markdown.",
  "",
  '<a href="javascript:alert(4)">raw link</a> and <svg onload="alert(5)"></svg> and',
  '<iframe src="javascript:alert(6)"></iframe> and <img src="https://127.0.0.1:1/none.png" onerror="alert(7)">',
].join("\n");

const ENTRY_PAYLOAD = 'Entry marker <img src=x onerror="window.__xss=8"> <script>window.__xss=9</script> [entry link](javascript:window.__xss=10)';

type Injection = { xss: unknown; scripts: number; onAttributes: string[]; javascriptUrls: string[] };

/** What an injected payload would have left in the page, after every image has loaded or failed. */
async function injectionTraces(page: Page, container: Locator): Promise<Injection> {
  // onerror fires when an image fails; wait until each image has, so a surviving handler would have run.
  await waitInPage(page, () => [...document.images].every((image) => image.complete), "every image to load or fail");
  const inside = await container.evaluate((root) => {
    const elements = [...root.querySelectorAll("*")];
    return {
      scripts: root.querySelectorAll("script").length,
      onAttributes: elements.flatMap((element) =>
        element.getAttributeNames().filter((name) => name.toLowerCase().startsWith("on")).map((name) => `${element.tagName}[${name}]`),
      ),
    };
  });
  const page_ = await page.evaluate(() => {
    const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data"];
    const javascriptUrls = [...document.querySelectorAll("*")].flatMap((element) =>
      urlAttributes
        .map((name) => element.getAttribute(name))
        .filter((value): value is string => value !== null && /^\s*javascript:/i.test(value)),
    );
    const onerrorImages = [...document.querySelectorAll("img[onerror]")].map((image) => image.outerHTML);
    return { xss: (window as unknown as { __xss?: unknown }).__xss, javascriptUrls, onerrorImages };
  });
  return {
    xss: page_.xss,
    scripts: inside.scripts,
    onAttributes: [...inside.onAttributes, ...page_.onerrorImages],
    javascriptUrls: page_.javascriptUrls,
  };
}

const CLEAN: Injection = { xss: undefined, scripts: 0, onAttributes: [], javascriptUrls: [] };

describe.skipIf(!available)("user Markdown cannot run script in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dialogs: string[];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // An editor's browser, logged in once through the login page; each test opens its own tab.
    context = await loggedInContext(browser, server.url, server.users.editor);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    page = await context.newPage();
    dialogs = [];
    page.on("dialog", (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterEach(async () => {
    await page?.close();
  });

  test("a hostile summary saved with 'Edit summary' is shown inert on the overview and the Postmortem tab", async () => {
    const incidentPath = await createIncidentThroughForm(page, server.url, {
      title: "Payment page outage",
      severity: "SEV3",
      startedAt: "2024-06-09 09:00",
    });
    await waitForHydration(page);

    const summaryRegion = region(page, "Summary");
    await summaryRegion.getByText("Edit summary", { exact: true }).click();
    await summaryRegion.getByLabel("Summary (Markdown)", { exact: true }).fill(SUMMARY_PAYLOAD);
    await summaryRegion.getByRole("button", { name: "Save summary" }).click();

    // Overview after the save (client-side), then as the server renders it.
    const summary = summaryRegion.getByTestId("summary-html");
    await visible(summary.getByText("summary-visible-text", { exact: false }));
    expect(await injectionTraces(page, summary)).toEqual(CLEAN);

    await page.goto(`${server.url}${incidentPath}`);
    await visible(summary.getByText("summary-visible-text", { exact: false }));
    await waitForHydration(page);
    expect(await injectionTraces(page, summary)).toEqual(CLEAN);
    // Following the Markdown link must not run it either.
    await summary.getByText("link", { exact: true }).click();
    expect(await injectionTraces(page, summary)).toEqual(CLEAN);

    // The Postmortem tab, reached in the app and loaded directly.
    await page.goto(`${server.url}${incidentPath}`);
    await waitForHydration(page);
    await page.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "Postmortem" }).click();
    const postmortem = page.getByTestId("postmortem");
    await visible(postmortem.getByText("summary-visible-text", { exact: false }));
    expect(await injectionTraces(page, postmortem)).toEqual(CLEAN);

    await page.goto(`${server.url}${incidentPath}/postmortem`);
    await visible(postmortem.getByText("summary-visible-text", { exact: false }));
    await waitForHydration(page);
    expect(await injectionTraces(page, postmortem)).toEqual(CLEAN);
    // The Markdown source is shown as text, exactly as written.
    expect(await page.locator("details pre").textContent()).toContain("<script>window.__xss=2</script>");

    expect(dialogs).toEqual([]);
  });

  test("a hostile timeline entry is inert on the Timeline tab", async () => {
    const incidentPath = await createIncidentThroughForm(page, server.url, {
      title: "Search index stale",
      severity: "SEV4",
      startedAt: "2024-06-09 09:00",
    });
    await page.goto(`${server.url}${incidentPath}/timeline`);
    await waitForHydration(page);
    const addForm = region(page, "Add an entry");
    await addForm.getByLabel("Time", { exact: true }).fill("09:05");
    await addForm.getByLabel("What happened (Markdown)", { exact: true }).fill(ENTRY_PAYLOAD);
    await addForm.getByRole("button", { name: "Add entry" }).click();

    const timeline = region(page, "Timeline");
    const rendered = timeline.getByRole("listitem").locator(".markdown");
    await visible(rendered.getByText("Entry marker", { exact: false }));
    expect(await injectionTraces(page, timeline)).toEqual(CLEAN);

    await page.reload();
    await visible(rendered.getByText("Entry marker", { exact: false }));
    expect(await injectionTraces(page, timeline)).toEqual(CLEAN);
    expect(dialogs).toEqual([]);
  });

  const UNSANITIZED =
    '<div><img src=x onerror="window.__xss=1"><a href="javascript:window.__xss=3">link</a><script>window.__xss=2</script></div>';

  test("control: the same checks catch the payload when it is put in the page unsanitized", async () => {
    // Guards the checks above against passing vacuously (images not waited for, selectors off).
    // The app's Content-Security-Policy would block the handler (see the next test), so this
    // control runs in a browser told to ignore CSP: it checks the checks, not the policy.
    const noCsp = await loggedInContext(browser, server.url, server.users.editor, { bypassCSP: true });
    try {
      const page = await noCsp.newPage();
      await page.goto(`${server.url}/incidents/new`);
      const container = page.locator("main");
      await container.evaluate((main, html) => {
        main.innerHTML = html;
      }, UNSANITIZED);
      await expect.poll(async () => (await injectionTraces(page, container)).xss, { timeout: WAIT }).toBe(1);
      const traces = await injectionTraces(page, container);
      expect(traces.scripts).toBe(1);
      expect(traces.onAttributes).toContain("IMG[onerror]");
      expect(traces.javascriptUrls).toEqual(["javascript:window.__xss=3"]);
    } finally {
      await noCsp.close();
    }
  });

  test("defence in depth: with the app's Content-Security-Policy the same unsanitized payload does not run", async () => {
    await page.goto(`${server.url}/incidents/new`);
    const container = page.locator("main");
    await container.evaluate((main, html) => {
      const violations: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = violations;
      document.addEventListener("securitypolicyviolation", (event) => violations.push(event.effectiveDirective));
      main.innerHTML = html;
    }, UNSANITIZED);
    // The browser reports the blocked onerror handler; only then is "it did not run" a finding.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations), { timeout: WAIT })
      .toContain("script-src-attr");
    const traces = await injectionTraces(page, container);
    expect(traces.xss).toBeUndefined();
    // The markup is there (the checks see it); the policy is what kept it inert.
    expect(traces.onAttributes).toContain("IMG[onerror]");
    expect(dialogs).toEqual([]);
  });

  test("a title with HTML in it is shown as text", async () => {
    const title = '<img src=x onerror="window.__xss=11"> Title';
    await page.goto(`${server.url}/incidents/new`);
    await waitForHydration(page);
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page.getByLabel("Severity", { exact: true }).selectOption("SEV4");
    await page.getByRole("button", { name: "Create incident" }).click();
    await page.waitForURL(/\/incidents\/\d+$/, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: title }));
    expect(await injectionTraces(page, page.locator("main"))).toEqual(CLEAN);
    expect(dialogs).toEqual([]);
  });
});

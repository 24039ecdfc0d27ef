// Forms as people meet them: a rejected form tells them which field is wrong and
// keeps what they typed; and every form works with JavaScript turned off.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, createIncidentThroughForm, fillIncidentForm, loggedInContext, region, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();

/** A summary long enough that losing it would hurt: paragraphs, a list, non-ASCII, markup-looking text. */
const LONG_SUMMARY = [
  "## What users saw",
  "",
  ...Array.from({ length: 40 }, (_, index) => `- Report ${index + 1}: checkout in Zürich and 東京 hung for "minutes" <b>not</b> seconds & then failed.`),
  "",
  "The connection pool was exhausted — every request waited on a lock held by the nightly re-index.",
].join("\n");

/** The field's error message: linked to the input by aria-describedby, role=alert, inside the field. */
async function fieldError(page: Page, input: Locator): Promise<string> {
  await expect.poll(() => input.getAttribute("aria-invalid"), { timeout: WAIT }).toBe("true");
  const describedBy = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  expect(describedBy.length, "the input names its message in aria-describedby").toBeGreaterThan(0);
  const alerts = page.getByRole("alert").and(page.locator(describedBy.map((id) => `[id="${id}"]`).join(", ")));
  await visible(alerts);
  const alertId = (await alerts.getAttribute("id")) ?? "";
  const inSameField = await input.evaluate((element, id) => {
    const alert = document.getElementById(id);
    return Boolean(alert && element.parentElement?.contains(alert));
  }, alertId);
  expect(inSameField, "the message sits next to its input").toBe(true);
  return (await alerts.textContent()) ?? "";
}

async function incidentTitlesListed(page: Page, baseUrl: string): Promise<string[]> {
  await page.goto(`${baseUrl}/incidents`);
  const table = await visible(page.getByRole("table", { name: "Incidents, newest first" }));
  return table.getByRole("link").allInnerTexts();
}

describe.skipIf(!available)("forms in Chromium", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const javaScript of [true, false]) {
    const mode = javaScript ? "with JavaScript" : "without JavaScript";

    describe(`a rejected form keeps the user's text (${mode})`, () => {
      let context: BrowserContext;
      let page: Page;

      beforeAll(async () => {
        // Logged in once through the login page, which works with and without JavaScript.
        context = await loggedInContext(browser, server.url, server.users.editor, { javaScriptEnabled: javaScript });
        page = await context.newPage();
      });

      afterAll(async () => {
        await context?.close();
      });

      async function open(url: string) {
        await page.goto(url);
        if (javaScript) await waitForHydration(page);
      }

      test("/incidents/new with impact 150 shows the message at the impact field and keeps title and summary", async () => {
        const title = `Checkout timeouts in Zürich (${mode})`;
        await open(`${server.url}/incidents/new`);
        await fillIncidentForm(page, {
          title,
          severity: "SEV2",
          timeZone: "GMT+3",
          startedAt: "2024-06-09 16:20",
          impactPercent: "150",
          services: "checkout",
          summary: LONG_SUMMARY,
        });
        await page.getByRole("button", { name: "Create incident" }).click();

        const impact = page.getByLabel("Users affected (%)", { exact: true });
        expect(await fieldError(page, impact)).toBe("Impact must be between 0 and 100%");
        await visible(page.getByRole("alert").filter({ hasText: "Not saved: one field needs attention." }));
        expect(new URL(page.url()).pathname).toBe("/incidents/new");

        expect(await page.getByLabel("Title", { exact: true }).inputValue()).toBe(title);
        expect(await page.getByLabel("Summary (Markdown)", { exact: true }).inputValue()).toBe(LONG_SUMMARY);
        expect(await impact.inputValue()).toBe("150");
        expect(await page.getByLabel("Severity", { exact: true }).inputValue()).toBe("SEV2");
        expect(await page.getByLabel("Time zone", { exact: true }).inputValue()).toBe("GMT+3");
        expect(await page.getByLabel("Started", { exact: true }).inputValue()).toBe("2024-06-09 16:20");
        expect(await page.getByLabel("Affected services", { exact: true }).inputValue()).toBe("checkout");
        // Only the wrong field is marked.
        expect(await page.getByLabel("Title", { exact: true }).getAttribute("aria-invalid")).toBeNull();

        // Correcting the one field is enough: the rest was kept, so it is saved as typed.
        await impact.fill("45");
        await page.getByRole("button", { name: "Create incident" }).click();
        await page.waitForURL(/\/incidents\/\d+$/, { timeout: WAIT });
        await visible(page.getByRole("heading", { level: 1, name: title }));
        const summary = region(page, "Summary");
        await visible(summary.getByRole("listitem").filter({ hasText: "Report 40: checkout in Zürich" }));
        expect(await summary.getByLabel("Summary (Markdown)", { exact: true }).inputValue()).toBe(LONG_SUMMARY);
        // Saved once: the rejected attempt left nothing behind.
        expect((await incidentTitlesListed(page, server.url)).filter((listed) => listed === title)).toHaveLength(1);
      });

      test("the timeline add form with time 25:99 shows the message at the Time field and keeps the entry", async () => {
        const incidentPath = await createIncidentThroughForm(
          page,
          server.url,
          { title: `Queue backlog (${mode})`, severity: "SEV3", timeZone: "GMT+3", startedAt: "2024-06-09 16:20" },
          { javaScript },
        );
        await open(`${server.url}${incidentPath}/timeline`);
        const addForm = region(page, "Add an entry");
        const text = `Escalated to the database on-call.\n\n${LONG_SUMMARY}`;
        await addForm.getByLabel("Time", { exact: true }).fill("25:99");
        await addForm.getByLabel("Kind", { exact: true }).selectOption("escalation");
        await addForm.getByLabel("Author (optional)", { exact: true }).fill("Sam Okafor");
        await addForm.getByLabel("What happened (Markdown)", { exact: true }).fill(text);
        await addForm.getByRole("button", { name: "Add entry" }).click();

        const time = region(page, "Add an entry").getByLabel("Time", { exact: true });
        expect(await fieldError(page, time)).toContain('"25:99" is not a time of day');
        await visible(region(page, "Timeline").getByText("No entries yet.", { exact: true }));
        expect(await time.inputValue()).toBe("25:99");
        expect(await addForm.getByLabel("Kind", { exact: true }).inputValue()).toBe("escalation");
        expect(await addForm.getByLabel("Author (optional)", { exact: true }).inputValue()).toBe("Sam Okafor");
        expect(await addForm.getByLabel("What happened (Markdown)", { exact: true }).inputValue()).toBe(text);

        await time.fill("16:40");
        await addForm.getByRole("button", { name: "Add entry" }).click();
        const entry = region(page, "Timeline").getByRole("listitem").filter({ hasText: "Escalated to the database on-call." });
        await visible(entry.getByText("4:40 PM GMT+3", { exact: true }));
        await visible(entry.getByText("+20m", { exact: true }));
        await visible(entry.getByText("— Sam Okafor", { exact: true }));
      });
    });
  }

  test("a saved section editor closes and shows the stored text (with JavaScript)", async () => {
    const context = await loggedInContext(browser, server.url, server.users.editor);
    const page = await context.newPage();
    try {
      const path = await createIncidentThroughForm(page, server.url, { title: "Editor closes", severity: "SEV3", startedAt: "2024-06-09 16:20" });
      await page.goto(`${server.url}${path}`);
      await waitForHydration(page);
      const section = region(page, "Root cause");
      await section.getByText("Edit root cause").click();
      await section.getByLabel("Root cause (Markdown)").fill("The pool held **5** connections.");
      await section.getByRole("button", { name: "Save root cause" }).click();
      await visible(section.locator("strong", { hasText: "5" }));
      await expect.poll(() => section.locator("details").evaluate((element) => (element as HTMLDetailsElement).open), { timeout: WAIT }).toBe(false);
      await section.getByText("Edit root cause").click();
      expect(await section.getByLabel("Root cause (Markdown)").inputValue()).toBe("The pool held **5** connections.");
    } finally {
      await context.close();
    }
  });

  describe("without JavaScript", () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await loggedInContext(browser, server.url, server.users.editor, { javaScriptEnabled: false });
      page = await context.newPage();
    });

    afterAll(async () => {
      await context?.close();
    });

    test("scripts really are off in this context", async () => {
      await page.goto(`${server.url}/incidents/new`);
      // The page does ship the app's scripts; with scripts off they never run, so Remix never starts its router.
      expect(await page.locator("script[type=module]").count()).toBeGreaterThan(0);
      expect(await page.evaluate(() => "__remixRouter" in window)).toBe(false);
    });

    test("an incident is created and a timeline entry and a corrective action are added by plain form posts", async () => {
      const title = "Status page down (no JavaScript)";
      const incidentPath = await createIncidentThroughForm(
        page,
        server.url,
        { title, severity: "SEV2", timeZone: "GMT+3", startedAt: "2024-06-09 16:20", resolvedAt: "17:10", impactPercent: "45" },
        { javaScript: false },
      );
      await visible(region(page, "Details").getByText("9 June 2024, 4:20 PM GMT+3", { exact: true }));

      await page.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "Timeline" }).click();
      await page.waitForURL(`${server.url}${incidentPath}/timeline`, { timeout: WAIT });
      const addEntry = region(page, "Add an entry");
      await addEntry.getByLabel("Time", { exact: true }).fill("4:30 PM");
      await addEntry.getByLabel("Kind", { exact: true }).selectOption("detection");
      await addEntry.getByLabel("What happened (Markdown)", { exact: true }).fill("Customers reported the status page was blank");
      await addEntry.getByRole("button", { name: "Add entry" }).click();
      await page.waitForURL(`${server.url}${incidentPath}/timeline`, { timeout: WAIT });
      const entry = region(page, "Timeline").getByRole("listitem").filter({ hasText: "Customers reported the status page was blank" });
      await visible(entry.getByText("9 June 2024", { exact: true }));
      await visible(entry.getByText("4:30 PM GMT+3", { exact: true }));
      await visible(entry.getByText("+10m", { exact: true }));

      await page.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "Corrective actions" }).click();
      await page.waitForURL(`${server.url}${incidentPath}/actions`, { timeout: WAIT });
      const addAction = region(page, "Add a corrective action");
      await addAction.getByLabel("Action", { exact: true }).fill("Serve the status page from a static host");
      await addAction.getByLabel("Owner", { exact: true }).fill("Priya Raman");
      await addAction.getByLabel("Due date", { exact: true }).fill("2024-07-15");
      await addAction.getByRole("button", { name: "Add action" }).click();
      const action = region(page, "Corrective and preventative measures")
        .getByRole("listitem")
        .filter({ hasText: "Serve the status page from a static host" });
      await visible(action.getByText("Owner: Priya Raman · Due: 15 July 2024"));

      // The one-click status buttons post to /actions/:id/status, which sends the user back here.
      const statusForm = action.getByRole("form", { name: "Status of Serve the status page from a static host" });
      await statusForm.getByRole("button", { name: "Done", exact: true }).click();
      await page.waitForURL(`${server.url}${incidentPath}/actions`, { timeout: WAIT });
      await visible(
        region(page, "Corrective and preventative measures")
          .getByRole("form", { name: "Status of Serve the status page from a static host" })
          .getByRole("button", { name: "Done", exact: true, pressed: true }),
      );

      const markdown = await (await context.request.get(`${server.url}${incidentPath}/postmortem.md`)).text();
      expect(markdown).toContain("- **9 June 2024, 4:30 PM GMT+3** (+10m, detection) - Customers reported the status page was blank");
      expect(markdown).toMatch(/^- \[x\] Serve the status page from a static host \(owner: Priya Raman; due by 15 July 2024;/m);
    });
  });
});

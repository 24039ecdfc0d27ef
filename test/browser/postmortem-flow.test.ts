// The main path through Hindsight in a real Chromium against the built server:
// create an incident, write its timeline, track a corrective action to done, and
// download the postmortem as Markdown.
import fs from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, createIncidentThroughForm, loggedInContext, region, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();

const SHOTS = "/tmp/hindsight-shots";

const INCIDENT = {
  title: "Booking checkout returned 502s",
  severity: "SEV2",
  timeZone: "GMT+3",
  startedAt: "2024-06-09 16:20",
  resolvedAt: "17:10",
  impactPercent: "45",
  services: "booking web app, booking database",
  summary: "Checkout failed for **45%** of users while the booking database refused connections.",
};

// Added in the opposite order to when they happened, so the list has to sort them.
const LATE_ENTRY = { time: "16:45", kind: "action", text: "Rolled back the connection-pool change" };
const EARLY_ENTRY = { time: "4:30 PM", kind: "detection", text: "Pager fired for checkout 502s" };

const ACTION = { title: "Alert on connection-pool saturation", owner: "Dana Whitfield", dueDate: "2024-06-30" };
// A second action that stays open (and so is overdue): the tracker's default view and the unchecked box.
const OPEN_ACTION = { title: "Load-test the booking database before pool changes", owner: "Lee Chen", dueDate: "2024-07-31" };

describe.skipIf(!available)("postmortem flow in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  // Set by the first test; the later ones continue with the same incident, as a user would.
  let incidentPath: string | null = null;

  function incidentUrl(suffix = ""): string {
    if (!incidentPath) throw new Error("The incident was not created (see the first test)");
    return `${server.url}${incidentPath}${suffix}`;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // One editor's browser, logged in once through the login page; each test opens its own tab.
    // A browser zone far from the incident's: every time shown must come from the incident's zone.
    context = await loggedInContext(browser, server.url, server.users.editor, {
      timezoneId: "Pacific/Auckland",
      locale: "en-US",
      acceptDownloads: true,
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    page = await context.newPage();
    pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  afterEach(async () => {
    await page?.close();
    expect(pageErrors, "uncaught errors in the page").toEqual([]);
  });

  test("creates an incident through /incidents/new and lands on its page", async () => {
    incidentPath = await createIncidentThroughForm(page, server.url, INCIDENT);
    expect(incidentPath).toMatch(/^\/incidents\/\d+$/);

    const details = region(page, "Details");
    await visible(details.getByRole("definition").first());
    const terms = await details.getByRole("term").allInnerTexts();
    const definitions = await details.getByRole("definition").allInnerTexts();
    const facts = Object.fromEntries(terms.map((term, index) => [term.trim(), definitions[index]?.trim()]));
    expect(facts).toMatchObject({
      Severity: "SEV2 · major",
      Started: "9 June 2024, 4:20 PM GMT+3",
      Resolved: "9 June 2024, 5:10 PM GMT+3 (50m after the start)",
      "Time zone": "GMT+3",
      Impact: "45% of users",
      "Affected services": "booking web app, booking database",
    });
    // The summary typed on the form is rendered as Markdown on the overview.
    await visible(region(page, "Summary").getByText("45%", { exact: true }).and(page.locator("strong")));
  });

  test("timeline entries typed as '16:45' and '4:30 PM' show date, local time with zone and time since start", async () => {
    await page.goto(incidentUrl());
    await waitForHydration(page);
    await page.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "Timeline" }).click();
    await page.waitForURL(/\/timeline$/, { timeout: WAIT });

    const addForm = region(page, "Add an entry");
    const timeline = region(page, "Timeline");
    for (const entry of [LATE_ENTRY, EARLY_ENTRY]) {
      await addForm.getByLabel("Time", { exact: true }).fill(entry.time);
      await addForm.getByLabel("Kind", { exact: true }).selectOption(entry.kind);
      await addForm.getByLabel("What happened (Markdown)", { exact: true }).fill(entry.text);
      await addForm.getByRole("button", { name: "Add entry" }).click();
      await visible(timeline.getByRole("listitem").filter({ hasText: entry.text }));
      // The add form starts empty again for the next entry.
      await expect.poll(() => addForm.getByLabel("Time", { exact: true }).inputValue(), { timeout: WAIT }).toBe("");
    }

    const expectations = [
      { entry: EARLY_ENTRY, time: "4:30 PM GMT+3", since: "+10m" },
      { entry: LATE_ENTRY, time: "4:45 PM GMT+3", since: "+25m" },
    ];
    for (const { entry, time, since } of expectations) {
      const item = timeline.getByRole("listitem").filter({ hasText: entry.text });
      await visible(item.getByText("9 June 2024", { exact: true }));
      await visible(item.getByText(time, { exact: true }));
      await visible(item.getByText(since, { exact: true }));
      // The kind badge (the closed edit form below it also names the kind, hidden).
      await visible(item.getByText(entry.kind, { exact: true }).filter({ visible: true }));
    }

    // The same after a full server render, in the order the events happened.
    await page.reload();
    const texts = await timeline.getByTestId("timeline-entry").allInnerTexts();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain(EARLY_ENTRY.text);
    expect(texts[0]).toContain("4:30 PM GMT+3");
    expect(texts[1]).toContain(LATE_ENTRY.text);
    expect(texts[1]).toContain("4:45 PM GMT+3");
  });

  test("a corrective action marked Done with the one-click buttons stays done after a reload", async () => {
    await page.goto(incidentUrl("/actions"));
    await waitForHydration(page);

    const addForm = region(page, "Add a corrective action");
    const list = region(page, "Corrective and preventative measures");
    for (const { title, owner, dueDate } of [ACTION, OPEN_ACTION]) {
      await addForm.getByLabel("Action", { exact: true }).fill(title);
      await addForm.getByLabel("Owner", { exact: true }).fill(owner);
      await addForm.getByLabel("Due date", { exact: true }).fill(dueDate);
      await addForm.getByRole("button", { name: "Add action" }).click();
      await visible(list.getByRole("listitem").filter({ hasText: title }));
    }

    const item = list.getByRole("listitem").filter({ hasText: ACTION.title });
    await visible(item.getByText(`Owner: ${ACTION.owner} · Due: 30 June 2024`));
    const statusForm = item.getByRole("form", { name: `Status of ${ACTION.title}` });
    await visible(statusForm.getByRole("button", { name: "Open", exact: true, pressed: true }));

    // The buttons are a fetcher: the status changes without the document reloading.
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    const posted = page.waitForRequest(
      (request) => request.method() === "POST" && /^\/actions\/\d+\/status$/.test(new URL(request.url()).pathname),
      { timeout: WAIT },
    );
    await statusForm.getByRole("button", { name: "Done", exact: true }).click();
    await posted;
    await visible(statusForm.getByRole("button", { name: "Done", exact: true, pressed: true }));
    // The badge comes from the server, so it changes only once the status is stored.
    await visible(item.locator(".badge").getByText("Done", { exact: true }));
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`${incidentPath}/actions`);

    await page.reload();
    const reloaded = region(page, "Corrective and preventative measures").getByRole("listitem").filter({ hasText: ACTION.title });
    await visible(reloaded.locator(".badge").getByText("Done", { exact: true }));
    const form = reloaded.getByRole("form", { name: `Status of ${ACTION.title}` });
    await visible(form.getByRole("button", { name: "Done", exact: true, pressed: true }));
    expect(await form.getByRole("button", { name: "Open", exact: true }).getAttribute("aria-pressed")).toBe("false");
    // Done is not overdue, though the due date has passed; the other action still is, and still open.
    expect(await reloaded.getByText("overdue").count()).toBe(0);
    const other = region(page, "Corrective and preventative measures").getByRole("listitem").filter({ hasText: OPEN_ACTION.title });
    await visible(other.getByText("overdue", { exact: false }));
    await visible(other.getByRole("form", { name: `Status of ${OPEN_ACTION.title}` }).getByRole("button", { name: "Open", exact: true, pressed: true }));
  });

  test("'Download Markdown' saves the postmortem with every section filled in", async () => {
    await page.goto(incidentUrl());
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: WAIT }),
      page.getByRole("link", { name: "Download Markdown" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^incident-\d+-booking-checkout-returned-502s\.md$/);
    const file = await download.path();
    const markdown = fs.readFileSync(file, "utf8");

    expect(markdown.startsWith(`# ${INCIDENT.title}\n`)).toBe(true);
    const headings = ["## Issue Summary", "## Timeline", "## Root Cause and Resolution", "## Corrective and Preventative Measures"];
    const positions = headings.map((heading) => markdown.indexOf(`\n${heading}\n`));
    for (const [index, position] of positions.entries()) expect(position, `${headings[index]} in\n${markdown}`).toBeGreaterThan(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const section = (index: number) => markdown.slice(positions[index], positions[index + 1] ?? markdown.length);

    const summary = section(0);
    expect(summary).toContain("9 June 2024, 4:20 PM GMT+3");
    expect(summary).toContain("(50m)");
    expect(summary).toContain("45% of users");
    expect(summary).toContain(INCIDENT.summary);

    const timeline = section(1);
    expect(timeline).toContain(`- **9 June 2024, 4:30 PM GMT+3** (+10m, detection) - ${EARLY_ENTRY.text}`);
    expect(timeline).toContain(`- **9 June 2024, 4:45 PM GMT+3** (+25m, action) - ${LATE_ENTRY.text}`);
    expect(timeline.indexOf(EARLY_ENTRY.text)).toBeLessThan(timeline.indexOf(LATE_ENTRY.text));

    const measures = section(3);
    const actionLine = measures.split("\n").find((line) => line.includes(ACTION.title));
    expect(actionLine, measures).toBeDefined();
    expect(actionLine).toMatch(/^- \[x\] /);
    expect(actionLine).toContain(`owner: ${ACTION.owner}`);
    expect(actionLine).toContain("due by 30 June 2024");
    const openLine = measures.split("\n").find((line) => line.includes(OPEN_ACTION.title));
    expect(openLine, measures).toBeDefined();
    expect(openLine).toMatch(/^- \[ \] /);
    expect(openLine).toContain(`owner: ${OPEN_ACTION.owner}`);
    expect(openLine).toContain("due by 31 July 2024");
  });

  test("GET /incidents/:id/postmortem.md answers text/markdown; charset=utf-8", async () => {
    const response = await context.request.get(incidentUrl("/postmortem.md"));
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("text/markdown; charset=utf-8");
    expect(await response.text()).toMatch(new RegExp(`^# ${INCIDENT.title}\\n`));
  });

  test("the overview and the actions tracker render (screenshots in /tmp/hindsight-shots)", async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto(incidentUrl());
    await visible(page.getByRole("heading", { level: 1, name: INCIDENT.title }));
    await visible(region(page, "Details"));
    const overviewShot = path.join(SHOTS, "incident-overview.png");
    await page.screenshot({ path: overviewShot, fullPage: true });

    // The tracker opens on what still needs doing: the open, overdue action.
    await page.goto(`${server.url}/actions`);
    await waitForHydration(page);
    const openRow = page.getByRole("row").filter({ hasText: OPEN_ACTION.title });
    await visible(openRow.getByRole("link", { name: INCIDENT.title }));
    await visible(openRow.getByRole("cell", { name: OPEN_ACTION.owner, exact: true }));
    await visible(openRow.getByText("Overdue by", { exact: false }));
    await visible(openRow.getByRole("button", { name: "Open", exact: true, pressed: true }));
    const trackerShot = path.join(SHOTS, "actions-tracker.png");
    await page.screenshot({ path: trackerShot, fullPage: true });

    // Any status: the done action is there too, marked done, with its owner and due date.
    await page.getByLabel("Status", { exact: true }).selectOption({ label: "Any" });
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/\/actions\?.*status=/, { timeout: WAIT });
    const doneRow = page.getByRole("row").filter({ hasText: ACTION.title });
    await visible(doneRow.getByRole("link", { name: INCIDENT.title }));
    await visible(doneRow.getByRole("cell", { name: ACTION.owner, exact: true }));
    await visible(doneRow.getByRole("cell", { name: "30 June 2024", exact: true }));
    await visible(doneRow.getByRole("button", { name: "Done", exact: true, pressed: true }));
    await visible(page.getByRole("row").filter({ hasText: OPEN_ACTION.title }));
    const trackerAnyShot = path.join(SHOTS, "actions-tracker-any-status.png");
    await page.screenshot({ path: trackerAnyShot, fullPage: true });

    for (const shot of [overviewShot, trackerShot, trackerAnyShot]) {
      expect(fs.readFileSync(shot).subarray(1, 4).toString("latin1")).toBe("PNG");
    }
  });
});

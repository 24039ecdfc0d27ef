// The Insights page in Chromium: the figures for seeded incidents, charts that are SVGs with a
// table view that opens, a new date range that changes the numbers, and the CSV download.
import fs from "node:fs";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, loggedInContext, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();

describe.skipIf(!available)("insights in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  async function post(path: string, body: Record<string, unknown>): Promise<{ id: number }> {
    const response = await server.fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // 120 min at 50% = 60 impact minutes; detected after 15 min
    const first = await post("/api/incidents", {
      title: "Checkout down after deploy",
      severity: "SEV1",
      status: "resolved",
      startedAt: "2025-03-10T10:00:00Z",
      detectedAt: "2025-03-10T10:15:00Z",
      resolvedAt: "2025-03-10T12:00:00Z",
      impactPercent: 50,
      services: ["checkout"],
      category: "deployment",
    });
    // 60 min at 10% = 6; nobody recorded when it was detected
    await post("/api/incidents", {
      title: "Search slow",
      severity: "SEV2",
      status: "resolved",
      startedAt: "2025-03-20T08:00:00Z",
      resolvedAt: "2025-03-20T09:00:00Z",
      impactPercent: 10,
      services: ["search"],
    });
    // 35 min, impact unknown; detected after 5 min
    await post("/api/incidents", {
      title: "Queue backlog",
      severity: "SEV3",
      status: "resolved",
      startedAt: "2025-04-05T00:00:00Z",
      detectedAt: "2025-04-05T00:05:00Z",
      resolvedAt: "2025-04-05T00:35:00Z",
      services: ["search"],
      category: "capacity",
    });
    await post(`/api/incidents/${first.id}/actions`, { title: "Canary every deploy", owner: "Ana", dueDate: "2025-04-01" });
    context = await loggedInContext(browser, server.url, server.users.viewer, { acceptDownloads: true });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The figure (dd) after a term (dt) inside a block of the page. */
  async function figure(testId: string, term: string): Promise<string> {
    return (await page.getByTestId(testId).locator("dt", { hasText: term }).locator("xpath=following-sibling::dd[1]").innerText()).trim();
  }

  test("shows incidents, time to detect and resolve with what was left out, impact and actions for the range", async () => {
    await page.goto(`${server.url}/insights?from=2025-03-01&to=2025-04-30`);
    await waitForHydration(page);
    await visible(page.getByRole("heading", { level: 1, name: "Insights" }));
    expect(await page.getByLabel("Started from").inputValue()).toBe("2025-03-01");
    expect(await page.getByLabel("Started until").inputValue()).toBe("2025-04-30");
    await visible(page.getByTestId("incident-total").getByText("3 incidents started from 2025-03-01 to 2025-04-30"));

    // Detect: 5 and 15 minutes; the incident without a detection time is left out, not counted as 0.
    expect(await figure("time-to-detect", "Median")).toBe("10m");
    expect(await figure("time-to-detect", "90th percentile")).toBe("14m");
    await visible(page.getByTestId("time-to-detect").getByText("2 counted, 1 left out (1 no detection time)"));
    // Resolve: 35, 60, 120 minutes
    expect(await figure("time-to-resolve", "Median")).toBe("1h");
    expect(await figure("time-to-resolve", "90th percentile")).toBe("1h 48m");
    await visible(page.getByTestId("time-to-resolve").getByText("3 counted, none left out"));
    expect(await figure("customer-impact", "Total")).toBe("66");
    await visible(page.getByTestId("customer-impact").getByText("2 counted, 1 left out (1 impact unknown)"));

    expect(await figure("action-stats", "Overdue now")).toBe("1");
    expect(await figure("action-stats", "Incidents with no corrective action")).toBe("2");

    const services = page.getByRole("table", { name: "Incidents by service" });
    const search = services.getByRole("row").filter({ hasText: "search" });
    expect(await search.getByRole("cell").allInnerTexts()).toEqual(["2", "6 (1 not counted: 1 impact unknown)", "47m (of 2)"]);
    expect(await search.getByRole("link", { name: "search" }).getAttribute("href")).toBe("/incidents?from=2025-03-01&to=2025-04-30&service=search");
    const categories = page.getByRole("table", { name: "Incidents by cause category" });
    await visible(categories.getByRole("row").filter({ hasText: "uncategorised" }));
    expect(await categories.getByRole("link", { name: "deployment" }).getAttribute("href")).toBe("/incidents?from=2025-03-01&to=2025-04-30&category=deployment");
  });

  test("charts are SVG images, each with a table view that opens", async () => {
    const charts = page.locator("figure.insight-chart");
    expect(await charts.count()).toBe(2);
    const severities = charts.nth(0);
    expect(await severities.locator("svg.bar-chart[role=img]").getAttribute("aria-label")).toBe("Incidents per month by severity, Mar 2025 to Apr 2025: 3 in all");
    // One bar segment per month and severity that has incidents: SEV1 + SEV2 in March, SEV3 in April.
    expect(await severities.locator("svg.bar-chart rect").count()).toBe(3);
    const table = severities.getByRole("table");
    expect(await table.isVisible()).toBe(false);
    await severities.getByText("Show as table").click();
    await visible(table);
    const march = table.getByRole("row").filter({ hasText: "Mar 2025" });
    expect(await march.getByRole("cell").allInnerTexts()).toEqual(["1", "1", "0", "0", "2", "66", "1h 30m (of 2)"]);
    expect(await march.getByRole("link", { name: "Mar 2025" }).getAttribute("href")).toBe("/incidents?from=2025-03-01&to=2025-03-31");

    const actions = charts.nth(1);
    await actions.getByText("Show as table").click();
    const april = actions.getByRole("table").getByRole("row").filter({ hasText: "Apr 2025" });
    await visible(april);
    expect(await april.getByRole("cell").allInnerTexts()).toEqual(["0", "0", "1"]);
  });

  test("a new date range changes the numbers, and a range that ends before it starts is refused at the field", async () => {
    await page.getByLabel("Started from").fill("2025-04-01");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/from=2025-04-01/, { timeout: WAIT });
    await visible(page.getByTestId("incident-total").getByText("1 incident started from 2025-04-01 to 2025-04-30"));
    expect(await figure("time-to-resolve", "Median")).toBe("35m");
    await visible(page.getByTestId("time-to-resolve").getByText("1 counted, none left out"));
    // Nothing could be counted: unknown, not 0.
    expect(await figure("customer-impact", "Total")).toBe("unknown");
    await visible(page.getByTestId("customer-impact").getByText("0 counted, 1 left out (1 impact unknown)"));

    await page.getByLabel("Started until").fill("2025-03-01");
    await page.getByRole("button", { name: "Show" }).click();
    await visible(page.getByText("The end must be on or after the start"));
    expect(await page.getByLabel("Started from").inputValue()).toBe("2025-04-01");
    expect(await page.getByLabel("Started until").inputValue()).toBe("2025-03-01");
    expect(await page.getByLabel("Started until").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("time-to-resolve").count()).toBe(0);
  });

  test("'Download incidents (CSV)' saves the range's incidents", async () => {
    await page.goto(`${server.url}/insights?from=2025-03-01&to=2025-04-30`);
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: WAIT }),
      page.getByRole("link", { name: "Download incidents (CSV)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("hindsight-incidents-2025-03-01-to-2025-04-30.csv");
    const lines = fs.readFileSync(await download.path(), "utf8").trimEnd().split("\r\n");
    expect(lines.length).toBe(4);
    expect(lines[1]).toMatch(/^\d+,Checkout down after deploy,SEV1,resolved,deployment,checkout,2025-03-10T10:00:00\+00:00,2025-03-10T10:15:00\+00:00,2025-03-10T12:00:00\+00:00,15,120,50,60,1,1$/);
  });
});

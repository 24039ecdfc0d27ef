// Health history in Chromium: an incident page shows what its services' monitors saw,
// and one click copies the monitors' state changes into the timeline.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { loggedInContext, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();
const json = { "Content-Type": "application/json" };

describe.skipIf(!available)("health history in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    // The example incident comes with its services' health history; checks stay off so nothing else moves.
    [server, browser] = await Promise.all([startServer({ HINDSIGHT_EXAMPLE: "1", MONITOR: "0" }), launchBrowser()]);
    context = await loggedInContext(browser, server.url, server.users.editor);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("the example incident shows when the monitors first failed, and its state changes go into the timeline", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}/incidents/1`);
    await waitForHydration(page);
    const health = page.getByTestId("incident-health");
    await visible(health.getByRole("heading", { name: "What the monitors saw" }));

    const database = health.locator(".health-window").filter({ has: page.getByRole("heading", { name: /booking database/ }) });
    await visible(database.getByText("Example data"));
    expect(await database.getByTestId("first-failure").innerText()).toBe(
      "First failed check: 9 June 2024, 4:20 PM GMT+3 (PostgreSQL port: Timed out after 5000 ms connecting to db.booking.internal:5432). Monitors saw it the same minute it was detected.",
    );
    // The chart draws the down band and the incident's markers; the table says the same in words.
    expect(await database.locator('svg rect[data-state="down"]').count()).toBe(1);
    await visible(database.locator("svg").getByText("Detected"));
    await visible(database.locator("svg").getByText("Resolved"));
    await database.getByText("Show as table").click();
    await visible(database.getByRole("row", { name: "9 June 2024, 4:21 PM GMT+3 9 June 2024, 5:05 PM GMT+3 Down" }));

    const webApp = health.locator(".health-window").filter({ has: page.getByRole("heading", { name: /booking web app/ }) });
    expect(await webApp.getByTestId("first-failure").innerText()).toContain("Monitors saw it 4m after it was detected.");

    await health.getByRole("button", { name: "Add the monitors' 8 state changes to the timeline" }).click();
    await page.waitForURL(`${server.url}/incidents/1/timeline?added=8`);
    await visible(page.getByRole("status").getByText("Added 8 entries from the monitors."));
    const fromMonitor = page.getByTestId("timeline-entry").filter({ hasText: "from the monitor" });
    expect(await fromMonitor.count()).toBe(8);
    const databaseDown = fromMonitor.filter({ hasText: 'Monitor "PostgreSQL port" (booking database) went from up to down' });
    await visible(databaseDown);
    expect(await databaseDown.innerText()).toContain("4:21 PM GMT+3");
    expect(await databaseDown.innerText()).toContain("Checks had been failing since 4:20 PM.");
    expect(await databaseDown.locator(".when .badge").allInnerTexts()).toEqual(["detection", "from the monitor"]);

    // Added once: the overview no longer offers it, and the API sees the entries.
    await page.goto(`${server.url}/incidents/1`);
    await visible(page.getByTestId("incident-health"));
    expect(await page.getByRole("button", { name: /to the timeline/ }).count()).toBe(0);
    const timeline = await (await server.fetch("/api/incidents/1/timeline")).json();
    expect(timeline.timeline.filter((entry: { author: string }) => entry.author === "Hindsight monitor")).toHaveLength(8);
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a live push monitor's failure shows on a new incident, minutes before a person detected it", async () => {
    const service = await (await server.fetch("/api/services", { method: "POST", headers: json, body: JSON.stringify({ name: "checkout" }) })).json();
    const monitor = await (
      await server.fetch("/api/monitors", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ serviceId: service.id, name: "Checkout worker", type: "push", intervalSeconds: 60, retries: 1 }),
      })
    ).json();
    const beat = (query: string) => server.fetch(`${monitor.pushUrl}?${query}`, { method: "POST", as: "anonymous" });
    expect((await beat("status=up&latencyMs=80")).status).toBe(200);
    const failed = await (await beat("status=down&msg=queue%20stalled")).json();
    expect(failed.state).toBe("down");

    const now = Date.now();
    const incident = await (
      await server.fetch("/api/incidents", {
        method: "POST",
        headers: json,
        body: JSON.stringify({
          title: "Checkout queue stalled",
          severity: "SEV2",
          timeZone: "UTC",
          startedAt: new Date(now - 10 * 60_000).toISOString(),
          detectedAt: new Date(now + 5 * 60_000).toISOString(),
          services: ["checkout"],
        }),
      })
    ).json();

    const page = await context.newPage();
    await page.goto(`${server.url}/incidents/${incident.id}`);
    const window = page.getByTestId("incident-health").locator(".health-window").filter({ has: page.getByRole("heading", { name: "checkout" }) });
    const firstFailure = await visible(window.getByTestId("first-failure"));
    expect(await firstFailure.innerText()).toMatch(/\(Checkout worker: queue stalled\)\. Monitors saw it [45]m before it was detected\.$/);
    expect(await window.locator('svg rect[data-state="down"]').count()).toBe(1);

    // The dashboard leads with what is in trouble now.
    await page.goto(server.url);
    const trouble = page.getByRole("region", { name: /Services in trouble now/ });
    await visible(trouble.getByRole("link", { name: "checkout" }));
    await visible(trouble.getByText("Down", { exact: true }));
    expect(await trouble.getByRole("link", { name: "booking database" }).count()).toBe(0);
    await page.close();
  });
});

// Recurrence and the weekly review in Chromium: a repeat's badge leads to the earlier incident's
// actions, and the weekly page marks an overdue action done with one click.
import Database from "better-sqlite3";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { addDays, today } from "~/models/actions.server";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, loggedInContext, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();

describe.skipIf(!available)("recurrence and weekly review in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    context = await loggedInContext(browser, server.url, server.users.editor);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function post(path: string, body: Record<string, unknown>): Promise<number> {
    const response = await server.fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return (await response.json()).id;
  }

  /** The cause category as the incident form stores it, written straight to the server's database. */
  function setCategory(incidentId: number, category: string) {
    const db = new Database(server.databasePath);
    try {
      db.pragma("busy_timeout = 5000");
      db.prepare("update incidents set category = ? where id = ?").run(category, incidentId);
    } finally {
      db.close();
    }
  }

  test("a repeat shows its badge, and the badge leads to the earlier incident's actions", async () => {
    const earlier = await post("/api/incidents", {
      title: "Bookings failed: connection pool exhausted",
      severity: "SEV1",
      status: "closed",
      startedAt: "2025-03-01T10:00:00Z",
      services: ["booking database"],
      rootCause: "Slow report queries held every connection in the pool.",
    });
    await post(`/api/incidents/${earlier}/actions`, { title: "Alert on pool saturation", owner: "Ana", dueDate: "2025-03-15", status: "done" });
    await post(`/api/incidents/${earlier}/actions`, { title: "Move reports to a replica", owner: "Bo", dueDate: "2025-04-01" });
    await post(`/api/incidents/${earlier}/actions`, { title: "Set a statement timeout", owner: null, dueDate: null });
    const later = await post("/api/incidents", {
      title: "Checkout errors: connection pool exhausted again",
      severity: "SEV2",
      status: "resolved",
      startedAt: "2025-04-10T08:00:00Z",
      services: ["booking database", "checkout"],
      rootCause: "Slow queries held every connection in the pool again.",
    });
    setCategory(earlier, "capacity");
    setCategory(later, "capacity");

    const page = await context.newPage();
    await page.goto(`${server.url}/incidents/${later}`);
    await waitForHydration(page);
    const badge = await visible(page.getByRole("link", { name: `Repeat of #${earlier}` }));
    expect(await badge.getAttribute("title")).toBe(`Repeat of #${earlier} (same service and category within 90 days) — 1 of 3 actions done`);

    const similar = page.getByRole("region", { name: "Similar past incidents" });
    const item = similar.getByTestId("similar-incident").first();
    await visible(item.getByRole("link", { name: `#${earlier} Bookings failed: connection pool exhausted` }));
    await visible(item.getByText("shares booking database"));
    await visible(item.getByText("same category: capacity"));
    await visible(item.getByText("3 corrective actions: 1 done, 2 still open."));

    await badge.click();
    await page.waitForURL(`${server.url}/incidents/${earlier}/actions`, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: "Bookings failed: connection pool exhausted" }));
    await visible(page.getByText("Move reports to a replica"));
    // The earlier incident repeats nothing itself.
    expect(await page.getByTestId("repeat-badge").count()).toBe(0);
    await page.close();
  });

  test("the weekly review lists an overdue action and marks it done with one click", async () => {
    const incident = await post("/api/incidents", { title: "Search index stale", severity: "SEV3", status: "resolved" });
    const action = await post(`/api/incidents/${incident}/actions`, { title: "Reindex nightly", owner: "Cy", dueDate: addDays(today(), -2) });

    const page = await context.newPage();
    await page.goto(`${server.url}/review`);
    await waitForHydration(page);
    // Text made on the server stays after hydration (nothing the page shows comes from server-only code).
    await visible(page.getByText(/overdue actions?, \d+ due in the next 7 days/));
    const group = page.getByRole("region", { name: "Cy", exact: true });
    const row = group.getByTestId("review-action").filter({ hasText: "Reindex nightly" });
    await visible(row.getByText("overdue by 2 days"));
    await visible(row.getByRole("link", { name: `#${incident} Search index stale` }));

    await row.getByRole("button", { name: "Done" }).click();
    await expect.poll(async () => (await (await server.fetch(`/api/actions/${action}`)).json()).status, { timeout: WAIT }).toBe("done");
    // Done is no longer for review: the list reloads without it, and the page stays.
    await row.waitFor({ state: "detached", timeout: WAIT });
    expect(page.url()).toBe(`${server.url}/review`);
    await page.close();
  });
});

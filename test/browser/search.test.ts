// Search in Chromium: from the header's search box on the dashboard to the timeline entry that
// holds the word, with the match highlighted and its section named on the way.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, loggedInContext, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();

describe.skipIf(!available)("search in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let incidentId: number;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    context = await loggedInContext(browser, server.url, server.users.viewer);
    const post = async (path: string, body: unknown) =>
      (await server.fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();
    incidentId = (await post("/api/incidents", { title: "Invoices sent twice", severity: "SEV2", startedAt: "2024-06-09T16:20:00Z" })).id;
    await post(`/api/incidents/${incidentId}/timeline`, { occurredAt: "2024-06-09T16:35:00Z", text: "Ana found the wombat retry loop resending every invoice" });
    await post("/api/incidents", { title: "Unrelated login outage", severity: "SEV3", summary: "Nothing about that animal here." });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("a word only in a timeline entry, typed in the header on the dashboard, leads to that timeline", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}/`);
    await waitForHydration(page);

    const box = page.getByRole("banner").getByRole("search", { name: "Search past outages" }).getByLabel("Search");
    await box.fill("WOMBAT");
    await box.press("Enter");
    await page.waitForURL(/\/search\?q=WOMBAT$/, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: "Search past outages" }));

    const result = page.getByTestId("search-result");
    await visible(result.getByRole("link", { name: "Invoices sent twice" }));
    expect(await result.count()).toBe(1);
    const hit = result.getByTestId("search-hit");
    expect(await hit.locator("mark").allInnerTexts()).toEqual(["wombat"]);
    expect(await hit.innerText()).toBe("Timeline: Ana found the wombat retry loop resending every invoice");
    // What was typed stays in the page's own search field.
    expect(await page.getByRole("main").getByLabel("Words").inputValue()).toBe("WOMBAT");

    await hit.getByRole("link", { name: "Timeline" }).click();
    await page.waitForURL(`${server.url}/incidents/${incidentId}/timeline`, { timeout: WAIT });
    await visible(page.getByText("Ana found the wombat retry loop resending every invoice"));
    expect(errors).toEqual([]);
    await page.close();
  });
});

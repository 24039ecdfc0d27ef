// Importing a real postmortem in Chromium: paste it, see what was read, save it,
// and meet its review checklist on the postmortem page.
import fs from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, loggedInContext, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();
const SEED = fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "seed-postmortem.md"), "utf8");

describe.skipIf(!available)("import in Chromium", () => {
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

  test("a pasted postmortem is previewed with its instants and warnings, saved, and reviewed", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/import`);
    await waitForHydration(page);
    await page.getByLabel("Postmortem (Markdown)").fill(SEED);
    await page.getByRole("button", { name: "Read it" }).click();

    const preview = page.getByTestId("import-preview");
    await visible(preview);
    await visible(preview.getByRole("heading", { name: "0x19. Postmortem" }));
    expect(await preview.locator(".timeline > li").count()).toBe(8);
    await visible(preview.getByText("9 June 2024, 4:20 PM GMT+3").first());
    await visible(preview.locator(".timeline > li").last().getByText("9 June 2024, 5:10 PM GMT+3"));
    await visible(preview.getByRole("list", { name: "Warnings" }).getByText(/"09-06-2024" could be read either way/));
    await visible(preview.getByText("45% of users"));

    await page.getByRole("button", { name: "Save as an incident" }).click();
    await page.waitForURL(/\/incidents\/\d+$/, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: "0x19. Postmortem" }));
    await visible(page.getByRole("heading", { name: "Unplaced notes" }));

    await page.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "Postmortem" }).click();
    const stated = page.getByTestId("review-stated-end-agrees");
    await visible(stated);
    expect(await stated.getAttribute("data-result")).toBe("fail");
    expect(await stated.innerText()).toMatch(/11:10 PM GMT\+3.*5:10 PM GMT\+3/s);
    expect(await page.getByTestId("review-actions-complete").getAttribute("data-result")).toBe("fail");
    await page.close();
  });
});

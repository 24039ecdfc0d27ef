// The actions tracker in Chromium: one-click status changes stay on the page, and
// a change to an action someone else deleted is explained beside its buttons.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { startServer, type TestServer } from "../helpers/server";

import { WAIT, loggedInContext, visible, waitForHydration } from "./harness";

const { available } = browserAvailability();

describe.skipIf(!available)("tracker in Chromium", () => {
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

  async function createAction(title: string): Promise<number> {
    const incident = await (
      await server.fetch("/api/incidents", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title: `Incident for ${title}`, severity: "SEV3" }) })
    ).json();
    const action = await (
      await server.fetch(`/api/incidents/${incident.id}/actions`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title, owner: "Ana", dueDate: "2030-01-01" }) })
    ).json();
    return action.id;
  }

  test("a status change on an action deleted meanwhile says so beside its buttons, and the page stays", async () => {
    const id = await createAction("Rotate the signing key before it expires");
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${server.url}/actions`);
    await waitForHydration(page);
    const row = page.getByTestId("tracked-action").filter({ hasText: "Rotate the signing key before it expires" });
    await visible(row);

    expect((await server.fetch(`/api/actions/${id}`, { method: "DELETE" })).status).toBe(204);
    await row.getByRole("button", { name: "Done" }).click();
    await visible(row.getByRole("alert").getByText("Not changed: this action was deleted by someone else; reload the page"));
    expect(page.url()).toBe(`${server.url}/actions`);
    await visible(page.getByRole("heading", { level: 1, name: "Corrective actions" }));
    expect(errors).toEqual([]);
    await page.close();
  });

  test("a status change on a live action is saved without leaving the page", async () => {
    const id = await createAction("Add a synthetic check for the login page");
    const page = await context.newPage();
    await page.goto(`${server.url}/actions`);
    await waitForHydration(page);
    const row = page.getByTestId("tracked-action").filter({ hasText: "Add a synthetic check for the login page" });
    await row.getByRole("button", { name: "In progress" }).click();
    await expect.poll(async () => (await (await server.fetch(`/api/actions/${id}`)).json()).status, { timeout: WAIT }).toBe("in_progress");
    expect(await row.getByRole("button", { name: "In progress" }).getAttribute("aria-pressed")).toBe("true");
    expect(page.url()).toBe(`${server.url}/actions`);
    await page.close();
  });
});

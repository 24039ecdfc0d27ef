// Accounts as people meet them in a real Chromium against the built server: the
// first-run page, logging in and out, what a viewer may see and do, two people
// saving the same summary, History with its restore button, and the
// Content-Security-Policy with its nonce.
import fs from "node:fs";
import path from "node:path";

import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";

import { browserAvailability, launchBrowser } from "../helpers/browser";
import { TEST_PASSWORD, startServer, type TestServer } from "../helpers/server";

import {
  WAIT,
  createIncidentThroughForm,
  loggedInContext,
  loginThroughPage,
  region,
  visible,
  waitForHydration,
} from "./harness";

const { available } = browserAvailability();

const SHOTS = "/tmp/hindsight-shots";

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  expect(fs.readFileSync(file).subarray(1, 4).toString("latin1")).toBe("PNG");
}

/** Creates an incident through the API (with the write token): the setting for a test, not what it tests. */
async function createIncident(server: TestServer, body: Record<string, unknown>): Promise<number> {
  const response = await server.fetch("/api/incidents", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ severity: "SEV2", timeZone: "GMT+3", startedAt: "2024-06-09 16:20", ...body }),
  });
  const created = (await response.json()) as { id: number };
  expect(response.status, JSON.stringify(created)).toBe(201);
  return created.id;
}

async function apiPost(server: TestServer, target: string, body: Record<string, unknown>): Promise<{ id: number }> {
  const response = await server.fetch(target, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const created = (await response.json()) as { id: number };
  expect(response.status, JSON.stringify(created)).toBe(201);
  return created;
}

type IncidentJson = {
  version: number;
  summary: string;
  timeline: { id: number; text: string }[];
  actions: { id: number; title: string; status: string }[];
};

async function incidentJson(server: TestServer, id: number): Promise<IncidentJson> {
  const response = await server.fetch(`/api/incidents/${id}`, { as: "read" });
  expect(response.status).toBe(200);
  return (await response.json()) as IncidentJson;
}

function sessionCookieOf(cookies: Awaited<ReturnType<BrowserContext["cookies"]>>) {
  expect(cookies, "the login set exactly one cookie, the session's").toHaveLength(1);
  return cookies[0];
}

describe.skipIf(!available)("first run in Chromium", () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({}, { accounts: false }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  test("the first admin is created on /setup, which then is gone; logging out and back in returns to the page asked for", async () => {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(`${new URL(page.url()).pathname}: ${error.message}`));
    const admin = { name: "Ana Okafor", email: "ana@example.com", password: "a long first-run password" };

    // With no users, every page leads to the first-run page, the login page too.
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/setup`, { timeout: WAIT });
    await page.goto(`${server.url}/login`);
    await page.waitForURL(`${server.url}/setup`, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: "Welcome to Hindsight" }));
    await waitForHydration(page);
    // The password hint names the minimum length, in the server's render and after hydration alike.
    expect.soft(await page.getByText(/^At least .* characters$/).innerText()).toBe(`At least ${MIN_PASSWORD_LENGTH} characters`);
    // Nobody is logged in: no navigation, no "Log out".
    expect(await page.getByRole("banner").getByRole("button", { name: "Log out" }).count()).toBe(0);
    await screenshot(page, "setup.png");

    // Two passwords that differ: refused at the second field, name and email kept.
    await page.getByLabel("Your name", { exact: true }).fill(admin.name);
    await page.getByLabel("Email", { exact: true }).fill(admin.email);
    await page.getByLabel("Password", { exact: true }).fill(admin.password);
    await page.getByLabel("Password again", { exact: true }).fill(`${admin.password}!`);
    await page.getByRole("button", { name: "Create admin and log in" }).click();
    const again = page.getByLabel("Password again", { exact: true });
    await expect.poll(() => again.getAttribute("aria-invalid"), { timeout: WAIT }).toBe("true");
    await visible(page.getByRole("alert").filter({ hasText: "The two passwords differ" }));
    expect(new URL(page.url()).pathname).toBe("/setup");
    expect(await page.getByLabel("Your name", { exact: true }).inputValue()).toBe(admin.name);
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(admin.email);
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel("Password", { exact: true }).fill(admin.password);
    await again.fill(admin.password);
    await page.getByRole("button", { name: "Create admin and log in" }).click();
    await page.waitForURL(`${server.url}/`, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: "Dashboard" }));
    const banner = page.getByRole("banner");
    await visible(banner.getByText(`${admin.name} · admin`, { exact: true }));
    await visible(banner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }));

    // The session cookie: httpOnly, SameSite=Lax, not Secure over plain http.
    const session = sessionCookieOf(await context.cookies());
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false, path: "/" });

    // The first-run page is gone, for the page and for a form posted to it.
    const setupAgain = await page.goto(`${server.url}/setup`);
    expect(setupAgain?.status()).toBe(404);
    const posted = await fetch(`${server.url}/setup`, {
      method: "POST",
      body: new URLSearchParams({ name: "Mallory", email: "mallory@example.com", password: "mallory's password", confirm: "mallory's password" }),
      redirect: "manual",
    });
    expect(posted.status).toBe(404);
    expect(posted.headers.get("set-cookie")).toBeNull();

    // Log out with the header button: back on the login page, and the old cookie is dead at once.
    await page.goto(`${server.url}/`);
    await waitForHydration(page);
    await page.getByRole("banner").getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(`${server.url}/login`, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: "Log in to Hindsight" }));
    expect(await page.getByRole("banner").getByRole("button", { name: "Log out" }).count()).toBe(0);
    const replayed = await fetch(`${server.url}/incidents`, { headers: { Cookie: `${session.name}=${session.value}` }, redirect: "manual" });
    expect(replayed.status).toBe(302);
    expect(replayed.headers.get("location")).toBe("/login?redirectTo=%2Fincidents");
    await screenshot(page, "login.png");

    // A page asked for while logged out is the page shown after logging in.
    await page.goto(`${server.url}/incidents`);
    await page.waitForURL(/\/login\?/, { timeout: WAIT });
    expect(page.url()).toBe(`${server.url}/login?redirectTo=%2Fincidents`);
    await waitForHydration(page);
    await page.getByLabel("Email", { exact: true }).fill(admin.email);
    await page.getByLabel("Password", { exact: true }).fill(admin.password);
    await page.getByRole("button", { name: "Log in", exact: true }).click();
    await page.waitForURL(`${server.url}/incidents`, { timeout: WAIT });
    await visible(page.getByRole("heading", { level: 1, name: "Incidents" }));
    await visible(page.getByRole("banner").getByText(`${admin.name} · admin`, { exact: true }));
    expect(pageErrors, "uncaught errors in the page").toEqual([]);
    await page.close();
  });
});

describe.skipIf(!available)("accounts, roles, conflicts and history in Chromium", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("a wrong password is refused on the login page with the email kept; a redirectTo to another site is not followed", async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/login?redirectTo=${encodeURIComponent("//evil.example/phish")}`);
      await waitForHydration(page);
      await page.getByLabel("Email", { exact: true }).fill(server.users.editor.email);
      await page.getByLabel("Password", { exact: true }).fill("not the password");
      await page.getByRole("button", { name: "Log in", exact: true }).click();
      await visible(page.getByRole("main").getByRole("alert").filter({ hasText: "Email or password is not right" }));
      expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe(server.users.editor.email);
      expect(await context.cookies()).toEqual([]);

      await page.getByLabel("Password", { exact: true }).fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Log in", exact: true }).click();
      await page.waitForURL(`${server.url}/`, { timeout: WAIT });
      await visible(page.getByRole("heading", { level: 1, name: "Dashboard" }));
    } finally {
      await context.close();
    }
  });

  describe("a viewer", () => {
    let viewer: BrowserContext;
    let editor: BrowserContext;
    let incidentId: number;
    const TITLE = "Search results empty for an hour";
    const ENTRY = "Search team paged";
    const DELETED_ENTRY = "A mistaken entry, deleted";
    const ACTION = "Alert on an empty search index";

    beforeAll(async () => {
      [viewer, editor] = await Promise.all([
        loggedInContext(browser, server.url, server.users.viewer),
        loggedInContext(browser, server.url, server.users.editor),
      ]);
      incidentId = await createIncident(server, { title: TITLE, summary: "Searches returned nothing while the index was rebuilt." });
      await apiPost(server, `/api/incidents/${incidentId}/timeline`, { occurredAt: "16:30", kind: "detection", text: ENTRY });
      const mistaken = await apiPost(server, `/api/incidents/${incidentId}/timeline`, { occurredAt: "16:35", kind: "note", text: DELETED_ENTRY });
      expect((await server.fetch(`/api/timeline/${mistaken.id}`, { method: "DELETE" })).status).toBeLessThan(300);
      await apiPost(server, `/api/incidents/${incidentId}/actions`, { title: ACTION, owner: "Lee Chen", dueDate: "2030-01-31" });
    });

    afterAll(async () => {
      await viewer?.close();
      await editor?.close();
    });

    /** Every editing control on every page of the incident, counted as the given browser sees them. */
    async function editingControls(page: Page) {
      const counts: Record<string, number> = {};
      await page.goto(`${server.url}/incidents`);
      await visible(page.getByRole("link", { name: TITLE }));
      counts["New incident link"] = await page.getByRole("link", { name: "New incident" }).count();

      await page.goto(`${server.url}/incidents/${incidentId}`);
      await visible(page.getByRole("heading", { level: 1, name: TITLE }));
      await visible(region(page, "Summary").getByTestId("summary-html").getByText("Searches returned nothing", { exact: false }));
      counts["Edit details"] = await page.getByText("Edit details", { exact: true }).count();
      counts["Edit summary"] = await page.getByText("Edit summary", { exact: true }).count();
      counts["Save summary"] = await page.getByRole("button", { name: "Save summary", includeHidden: true }).count();
      counts["Delete incident"] = await page.getByRole("button", { name: "Delete incident", includeHidden: true }).count();
      counts.textareas = await page.locator("textarea").count();

      await page.goto(`${server.url}/incidents/${incidentId}/timeline`);
      await visible(region(page, "Timeline").getByRole("listitem").filter({ hasText: ENTRY }));
      counts["Add an entry"] = await region(page, "Add an entry").count();
      counts["Add entry button"] = await page.getByRole("button", { name: "Add entry", includeHidden: true }).count();
      counts["entry Edit"] = await region(page, "Timeline").getByText("Edit", { exact: true }).count();
      counts["Delete entry"] = await page.getByRole("button", { name: "Delete entry", includeHidden: true }).count();

      await page.goto(`${server.url}/incidents/${incidentId}/actions`);
      await visible(page.getByText(ACTION, { exact: false }).first());
      counts["Add a corrective action"] = await region(page, "Add a corrective action").count();
      counts["status buttons on the incident"] = await page.getByRole("button", { name: "Done", exact: true, includeHidden: true }).count();

      await page.goto(`${server.url}/actions`);
      await visible(page.getByRole("row").filter({ hasText: ACTION }));
      counts["status buttons in the tracker"] = await page.getByRole("button", { name: "Done", exact: true, includeHidden: true }).count();

      await page.goto(`${server.url}/incidents/${incidentId}/history`);
      await visible(page.getByTestId("history-entry").filter({ hasText: DELETED_ENTRY }).first());
      counts["Restore"] = await page.getByRole("button", { name: "Restore this timeline entry", includeHidden: true }).count();

      counts["forms posting"] = await page.locator("main form[method=post]").count();
      return counts;
    }

    test("sees the incident, its timeline, actions and history, but none of the editing controls an editor sees", async () => {
      const editorPage = await editor.newPage();
      const asEditor = await editingControls(editorPage);
      // Control: the editor does see every one of them, so the viewer's zeros mean something.
      for (const [control, count] of Object.entries(asEditor)) expect(count, `editor sees ${control}`).toBeGreaterThan(0);
      await editorPage.close();

      const page = await viewer.newPage();
      const asViewer = await editingControls(page);
      const none = Object.fromEntries(Object.keys(asViewer).map((control) => [control, 0]));
      expect(asViewer).toEqual(none);

      // The header names the viewer and has no admin link; admin pages answer 403.
      const banner = page.getByRole("banner");
      await visible(banner.getByText(`${server.users.viewer.name} · viewer`, { exact: true }));
      expect(await banner.getByRole("link", { name: "Admin" }).count()).toBe(0);
      const adminPage = await page.goto(`${server.url}/admin/users`);
      expect(adminPage?.status()).toBe(403);
      await visible(page.getByRole("heading", { level: 1, name: "Not allowed" }));
      await page.close();
    });

    type Forgery = { target: string; fields: Record<string, string> };

    /** Every kind of change the forms make, as form posts; delete-incident last, as it ends the rest. */
    async function forgeriesAgainst(id: number, words: string): Promise<Forgery[]> {
      const current = await incidentJson(server, id);
      const entryId = current.timeline[0]!.id;
      const actionId = current.actions[0]!.id;
      return [
        { target: `/incidents/${id}?index`, fields: { intent: "update-section", field: "summary", summary: words, version: String(current.version) } },
        { target: `/incidents/${id}/timeline`, fields: { intent: "add-entry", occurredAt: "16:50", kind: "note", text: words } },
        { target: `/incidents/${id}/timeline`, fields: { intent: "delete-entry", entryId: String(entryId) } },
        { target: `/incidents/${id}/actions`, fields: { intent: "add-action", title: words } },
        { target: `/actions/${actionId}/status`, fields: { status: "done", redirectTo: `/incidents/${id}/actions` } },
        { target: "/incidents/new", fields: { title: words, severity: "SEV1" } },
        { target: `/incidents/${id}?index`, fields: { intent: "delete-incident" } },
      ];
    }

    /** Posts from inside the page (fetch, the page's cookies), as a script in a tampered page would. */
    async function postFromPage(page: Page, { target, fields }: Forgery) {
      return page.evaluate(
        async ({ target, fields }) => {
          const body = new FormData();
          for (const [name, value] of Object.entries(fields)) body.append(name, value);
          const response = await fetch(target, { method: "POST", body, credentials: "same-origin" });
          return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
        },
        { target, fields },
      );
    }

    test("a POST forged from the viewer's page gets 403 for every kind of change, and nothing changes", async () => {
      const page = await viewer.newPage();
      await page.goto(`${server.url}/incidents/${incidentId}`);
      await waitForHydration(page);
      const before = await incidentJson(server, incidentId);
      for (const forgery of await forgeriesAgainst(incidentId, "Forged by a viewer")) {
        const answer = await postFromPage(page, forgery);
        expect(answer.status, `${forgery.target} ${JSON.stringify(forgery.fields)}`).toBe(403);
        expect(answer.type).toContain("text/html");
        expect(answer.text).toContain("Your role (viewer) can read but not change anything");
      }

      const after = await incidentJson(server, incidentId);
      expect(after.summary).toBe(before.summary);
      expect(after.version).toBe(before.version);
      expect(after.timeline.map((entry) => entry.text)).toEqual(before.timeline.map((entry) => entry.text));
      expect(after.actions.map((action) => [action.title, action.status])).toEqual(before.actions.map((action) => [action.title, action.status]));
      const listed = (await (await server.fetch(`/api/incidents?q=${encodeURIComponent("Forged by a viewer")}`, { as: "read" })).json()) as { total: number };
      expect(listed.total).toBe(0);
      await page.close();

      // Control: the same posts from an editor's page are real changes, on an incident of their own.
      const scratch = await createIncident(server, { title: "Scratch incident for the control", summary: "Before the control." });
      await apiPost(server, `/api/incidents/${scratch}/timeline`, { occurredAt: "16:30", text: "Scratch entry" });
      await apiPost(server, `/api/incidents/${scratch}/actions`, { title: "Scratch action" });
      const editorPage = await editor.newPage();
      await editorPage.goto(`${server.url}/incidents/${scratch}`);
      for (const forgery of await forgeriesAgainst(scratch, "Posted by the editor")) {
        const answer = await postFromPage(editorPage, forgery);
        expect(answer.status, `${forgery.target} ${JSON.stringify(forgery.fields)} as the editor`).toBe(200);
      }
      expect((await server.fetch(`/api/incidents/${scratch}`, { as: "read" })).status).toBe(404);
      const created = (await (await server.fetch(`/api/incidents?q=${encodeURIComponent("Posted by the editor")}`, { as: "read" })).json()) as { total: number };
      expect(created.total).toBe(1);
      await editorPage.close();
    });

    test("opening /incidents/new directly does not offer a viewer a form they cannot submit", async () => {
      const page = await viewer.newPage();
      const response = await page.goto(`${server.url}/incidents/new`);
      // Either refused outright, or shown without the form: a viewer must not type an incident only to meet a 403.
      const refused = response?.status() === 403;
      if (!refused) {
        await visible(page.getByRole("main"));
        expect(await page.getByRole("button", { name: "Create incident" }).count(), "a Create incident button shown to a viewer").toBe(0);
      }
      await page.close();
    });
  });

  for (const javaScript of [true, false]) {
    const mode = javaScript ? "with JavaScript" : "without JavaScript";

    test(`two people saving the same summary: the second sees the conflict with both texts, saves again, and History shows both (${mode})`, async () => {
      const INITIAL = "Checkout failed for some users while the booking database refused connections.";
      const A = "Checkout failed for most users while the booking database refused new connections after the pool change.";
      const B = "Checkout failed for all users while the booking database was restarted by the on-call engineer.";
      const title = `Checkout outage, edited twice (${mode})`;
      const incidentId = await createIncident(server, { title, summary: INITIAL });
      const incidentPath = `/incidents/${incidentId}`;

      const [editorContext, adminContext] = await Promise.all([
        loggedInContext(browser, server.url, server.users.editor),
        loggedInContext(browser, server.url, server.users.admin, { javaScriptEnabled: javaScript, viewport: { width: 1280, height: 900 } }),
      ]);
      try {
        const editorPage = await editorContext.newPage();
        const adminPage = await adminContext.newPage();
        await editorPage.goto(`${server.url}${incidentPath}`);
        await waitForHydration(editorPage);
        await adminPage.goto(`${server.url}${incidentPath}`);
        if (javaScript) await waitForHydration(adminPage);

        // Both open "Edit summary" on the same version.
        for (const page of [editorPage, adminPage]) {
          await region(page, "Summary").getByText("Edit summary", { exact: true }).click();
          expect(await region(page, "Summary").getByLabel("Summary (Markdown)", { exact: true }).inputValue()).toBe(INITIAL);
        }

        // The editor saves first.
        const editorSummary = region(editorPage, "Summary");
        await editorSummary.getByLabel("Summary (Markdown)", { exact: true }).fill(A);
        await editorSummary.getByRole("button", { name: "Save summary" }).click();
        await visible(editorSummary.getByTestId("summary-html").getByText(A, { exact: true }));
        expect((await incidentJson(server, incidentId)).summary).toBe(A);

        // The admin saves over a version that is no longer current.
        const adminSummary = region(adminPage, "Summary");
        const textarea = adminSummary.getByLabel("Summary (Markdown)", { exact: true });
        await textarea.fill(B);
        const answered = adminPage.waitForResponse(
          (response) => response.request().method() === "POST" && new URL(response.url()).pathname === incidentPath,
          { timeout: WAIT },
        );
        await adminSummary.getByRole("button", { name: "Save summary" }).click();
        expect((await answered).status()).toBe(409);

        const conflict = adminSummary.getByRole("alert");
        await visible(conflict.getByText(/^Not saved: this was changed by Eve Editor at \d{1,2} \w+ \d{4}, \d{1,2}:\d{2} [AP]M GMT\+3 after you opened it\./));
        const table = conflict.getByRole("table", { name: "Their version and yours" });
        expect(await table.getByRole("columnheader").allInnerTexts()).toEqual(["Field", "Their version (saved)", "Your version (not saved)"]);
        const row = table.getByRole("row").filter({ has: adminPage.getByRole("rowheader", { name: "Summary", exact: true }) });
        expect(await row.getByTestId("their-version").innerText()).toBe(A);
        expect(await row.getByTestId("your-version").innerText()).toBe(B);
        // The user's text is still in the form, the form still open, and the stored text shown above it.
        await visible(textarea);
        expect(await textarea.inputValue()).toBe(B);
        await visible(adminSummary.getByTestId("summary-html").getByText(A, { exact: true }));
        expect((await incidentJson(server, incidentId)).summary).toBe(A);
        if (javaScript) await screenshot(adminPage, "conflict.png");
        else await screenshot(adminPage, "conflict-no-javascript.png");

        // Saving again, having seen theirs, stores the admin's text.
        await adminSummary.getByRole("button", { name: "Save summary" }).click();
        await visible(adminSummary.getByTestId("summary-html").getByText(B, { exact: true }));
        expect(await adminSummary.getByRole("alert").count()).toBe(0);
        const stored = await incidentJson(server, incidentId);
        expect(stored.summary).toBe(B);
        await editorPage.reload();
        await visible(editorSummary.getByTestId("summary-html").getByText(B, { exact: true }));

        // History lists both saves, each with a word diff of the summary; A survives there.
        await adminPage.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "History" }).click();
        await adminPage.waitForURL(`${server.url}${incidentPath}/history`, { timeout: WAIT });
        const history = region(adminPage, "History");
        const editorSave = history.getByTestId("history-entry").filter({ hasText: "Eve Editor changed incident" });
        const adminSave = history.getByTestId("history-entry").filter({ hasText: "Ada Admin changed incident" });
        await visible(editorSave);
        await visible(adminSave);
        expect(await editorSave.count()).toBe(1);
        expect(await adminSave.count()).toBe(1);

        for (const [entry, from, to] of [
          [editorSave, INITIAL, A],
          [adminSave, A, B],
        ] as const) {
          const row = entry.getByRole("row").filter({ has: adminPage.getByRole("rowheader", { name: "Summary", exact: true }) });
          const [beforeCell, afterCell] = [row.locator("td").nth(0), row.locator("td").nth(1)];
          await visible(beforeCell);
          // Before shows what went struck out, after what came highlighted; each reads as its whole text
          // (word for word: the diff library may move a space next to an unchanged word).
          expect(await beforeCell.locator("del").count()).toBeGreaterThan(0);
          expect(await beforeCell.locator("ins").count()).toBe(0);
          expect(await afterCell.locator("ins").count()).toBeGreaterThan(0);
          expect(await afterCell.locator("del").count()).toBe(0);
          const words = (text: string) => text.match(/\w+|[^\s\w]/g) ?? [];
          expect({ before: words(await beforeCell.innerText()), after: words(await afterCell.innerText()) }).toEqual({ before: words(from), after: words(to) });
        }
        expect(await adminSave.locator("del").allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining("most")]));
        expect(await adminSave.locator("ins").allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining("all")]));
        if (javaScript) await screenshot(adminPage, "history-conflict.png");
      } finally {
        await Promise.all([editorContext.close(), adminContext.close()]);
      }
    });
  }

  test("a deleted timeline entry is restored from History and is back on the Timeline tab", async () => {
    const KEPT = "Pager fired for checkout 502s";
    const DELETED = "Rolled back the connection-pool change";
    const context = await loggedInContext(browser, server.url, server.users.editor, { viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const incidentPath = await createIncidentThroughForm(page, server.url, {
        title: "Booking checkout returned 502s",
        severity: "SEV2",
        timeZone: "GMT+3",
        startedAt: "2024-06-09 16:20",
      });
      await page.goto(`${server.url}${incidentPath}/timeline`);
      await waitForHydration(page);
      const addForm = region(page, "Add an entry");
      const timeline = region(page, "Timeline");
      for (const [time, text] of [
        ["16:30", KEPT],
        ["16:45", DELETED],
      ]) {
        await addForm.getByLabel("Time", { exact: true }).fill(time);
        await addForm.getByLabel("What happened (Markdown)", { exact: true }).fill(text);
        await addForm.getByRole("button", { name: "Add entry" }).click();
        await visible(timeline.getByRole("listitem").filter({ hasText: text }));
      }

      // Delete it from its edit form.
      const doomed = timeline.getByRole("listitem").filter({ hasText: DELETED });
      await doomed.getByText("Edit", { exact: true }).click();
      await doomed.getByRole("button", { name: "Delete entry" }).click();
      await doomed.waitFor({ state: "detached", timeout: WAIT });
      expect(await timeline.getByTestId("timeline-entry").count()).toBe(1);

      // History names who deleted it and offers it back.
      await page.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "History" }).click();
      await page.waitForURL(`${server.url}${incidentPath}/history`, { timeout: WAIT });
      const history = region(page, "History");
      const deletion = history.getByTestId("history-entry").filter({ hasText: `Eve Editor deleted timeline entry “${DELETED}”` });
      await visible(deletion);
      await screenshot(page, "history.png");
      await deletion.getByRole("button", { name: "Restore this timeline entry" }).click();
      await visible(history.getByTestId("history-entry").filter({ hasText: `Eve Editor restored timeline entry “${DELETED}”` }));
      // Restored: nothing left to restore.
      await expect.poll(() => history.getByRole("button", { name: "Restore this timeline entry" }).count(), { timeout: WAIT }).toBe(0);

      await page.getByRole("navigation", { name: "Incident sections" }).getByRole("link", { name: "Timeline" }).click();
      await page.waitForURL(`${server.url}${incidentPath}/timeline`, { timeout: WAIT });
      const back = region(page, "Timeline").getByRole("listitem").filter({ hasText: DELETED });
      await visible(back.getByText("4:45 PM GMT+3", { exact: true }));
      const texts = await region(page, "Timeline").getByTestId("timeline-entry").allInnerTexts();
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain(KEPT);
      expect(texts[1]).toContain(DELETED);
      // And after a full server render.
      await page.reload();
      await visible(region(page, "Timeline").getByRole("listitem").filter({ hasText: DELETED }));
    } finally {
      await context.close();
    }
  });

  describe("Content-Security-Policy", () => {
    test("a full flow reports no CSP violation (and the collector does catch one when there is)", async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const consoleMessages: string[] = [];
        const violations: string[] = [];
        const pageErrors: string[] = [];
        page.on("console", (message) => consoleMessages.push(`${message.type()}: ${message.text()}`));
        page.on("pageerror", (error) => pageErrors.push(error.message));
        // Every document reports its violations to the test, including ones the console does not show.
        await page.exposeFunction("__reportViolation", (report: string) => violations.push(report));
        await page.addInitScript(() => {
          document.addEventListener("securitypolicyviolation", (event) => {
            void (window as unknown as { __reportViolation: (report: string) => void }).__reportViolation(
              `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${location.pathname}` +
                (event.sourceFile ? ` (from ${new URL(event.sourceFile).pathname}:${event.lineNumber})` : ""),
            );
          });
        });

        await loginThroughPage(page, server.url, server.users.admin);
        const incidentPath = await createIncidentThroughForm(page, server.url, {
          title: "CSP walk-through",
          severity: "SEV3",
          timeZone: "GMT+3",
          startedAt: "2024-06-09 16:20",
          summary: "Written **with Markdown** and a [link](https://example.com).",
        });
        await waitForHydration(page);
        const summary = region(page, "Summary");
        await summary.getByText("Edit summary", { exact: true }).click();
        await summary.getByLabel("Summary (Markdown)", { exact: true }).fill("Edited once, with `code`.");
        await summary.getByRole("button", { name: "Save summary" }).click();
        await visible(summary.locator("code", { hasText: "code" }));

        const tabs = page.getByRole("navigation", { name: "Incident sections" });
        await tabs.getByRole("link", { name: "Timeline" }).click();
        await page.waitForURL(/\/timeline$/, { timeout: WAIT });
        const addEntry = region(page, "Add an entry");
        await addEntry.getByLabel("Time", { exact: true }).fill("16:30");
        await addEntry.getByLabel("What happened (Markdown)", { exact: true }).fill("Pager fired");
        await addEntry.getByRole("button", { name: "Add entry" }).click();
        await visible(region(page, "Timeline").getByRole("listitem").filter({ hasText: "Pager fired" }));

        await tabs.getByRole("link", { name: "Corrective actions" }).click();
        await page.waitForURL(/\/actions$/, { timeout: WAIT });
        const addAction = region(page, "Add a corrective action");
        await addAction.getByLabel("Action", { exact: true }).fill("Alert on pool saturation");
        await addAction.getByRole("button", { name: "Add action" }).click();
        const statusForm = page.getByRole("form", { name: "Status of Alert on pool saturation" });
        await statusForm.getByRole("button", { name: "Done", exact: true }).click();
        await visible(statusForm.getByRole("button", { name: "Done", exact: true, pressed: true }));

        await tabs.getByRole("link", { name: "Postmortem" }).click();
        await visible(page.getByTestId("postmortem"));
        await tabs.getByRole("link", { name: "History" }).click();
        await visible(region(page, "History"));

        // Full page loads (server render + hydration) of every kind of page, the admin pages too.
        for (const target of [
          "/",
          "/incidents",
          "/actions",
          `${incidentPath}`,
          `${incidentPath}/timeline`,
          `${incidentPath}/history`,
          `${incidentPath}/postmortem`,
          "/admin/users",
          "/admin/tokens",
          "/admin/deleted",
          "/incidents/999999",
        ]) {
          await page.goto(`${server.url}${target}`);
          await waitForHydration(page);
        }
        // Logging out through the header, and the login page it leads to.
        await page.goto(`${server.url}/`);
        await waitForHydration(page);
        await page.getByRole("banner").getByRole("button", { name: "Log out" }).click();
        await page.waitForURL(`${server.url}/login`, { timeout: WAIT });
        await waitForHydration(page);

        // Soft, so the control below still runs when these fail.
        expect.soft(consoleMessages.filter((message) => /Content[- ]Security[- ]Policy/i.test(message)), "CSP messages in the console").toEqual([]);
        expect.soft(violations, "securitypolicyviolation events").toEqual([]);
        expect.soft(pageErrors, "uncaught errors in the page").toEqual([]);

        // Control: an inline script without the nonce is blocked and reported, by both channels.
        const violationsBefore = violations.length;
        const messagesBefore = consoleMessages.length;
        const ran = await page.evaluate(() => {
          const script = document.createElement("script");
          script.textContent = "window.__inlineRan = true";
          document.body.append(script);
          return (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false;
        });
        expect(ran).toBe(false);
        await expect.poll(() => violations.slice(violationsBefore), { timeout: WAIT }).toHaveLength(1);
        expect(violations[violationsBefore]).toMatch(/^script-src-elem blocked inline on \/login\b/);
        await expect
          .poll(() => consoleMessages.slice(messagesBefore).filter((message) => /Content[- ]Security[- ]Policy/i.test(message)).length, { timeout: WAIT })
          .toBe(1);
      } finally {
        await context.close();
      }
    });

    test("the page's header carries frame-ancestors 'none' and a fresh nonce that is the nonce of its inline scripts", async () => {
      // Two browsers of one editor: with JavaScript (the scripts run, so Remix hydrates and then
      // drops its inline scripts from the DOM) and without (the parsed scripts stay to be read).
      const [withJs, withoutJs] = await Promise.all([
        loggedInContext(browser, server.url, server.users.editor),
        loggedInContext(browser, server.url, server.users.editor, { javaScriptEnabled: false }),
      ]);
      const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];
      try {
        const page = await withJs.newPage();
        const parsedPage = await withoutJs.newPage();
        const incidentId = await createIncident(server, { title: "Nonce check" });
        const seen = new Set<string>();
        for (const target of [`/incidents/${incidentId}`, "/incidents", "/"]) {
          const response = await page.goto(`${server.url}${target}`);
          expect(response?.status()).toBe(200);
          const headers = response!.headers();
          const csp = headers["content-security-policy"];
          expect(csp, target).toContain("frame-ancestors 'none'");
          const scriptSrc = csp.split(";").map((part) => part.trim()).find((part) => part.startsWith("script-src "));
          expect(scriptSrc, csp).toBeDefined();
          expect(scriptSrc).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*/);
          const nonce = nonceOf(scriptSrc);
          expect(nonce, csp).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
          expect(headers["x-content-type-options"]).toBe("nosniff");
          expect(headers["referrer-policy"]).toBeTruthy();
          // The inline scripts carrying that nonce ran: Remix started.
          await waitForHydration(page);

          // The raw HTML of a response: its nonce in the header and on every inline script.
          const raw = await page.request.get(`${server.url}${target}`);
          const rawNonce = nonceOf(raw.headers()["content-security-policy"]);
          const html = await raw.text();
          const rawScripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((match) => match[1]);
          const rawInline = rawScripts.filter((attributes) => !/\bsrc=/i.test(attributes));
          expect(rawInline.length, "Remix's inline scripts").toBeGreaterThanOrEqual(2);
          for (const attributes of rawInline) expect(/\bnonce="([^"]*)"/.exec(attributes)?.[1], attributes).toBe(rawNonce);

          // The page as the browser parsed it: the nonce is hidden from getAttribute, kept in the property.
          const parsed = await parsedPage.goto(`${server.url}${target}`);
          const parsedNonce = nonceOf(parsed?.headers()["content-security-policy"]);
          const inline = await parsedPage.evaluate(() =>
            [...document.querySelectorAll("script:not([src])")].map((script) => ({
              nonce: (script as HTMLScriptElement).nonce,
              attribute: script.getAttribute("nonce"),
            })),
          );
          expect(inline).toHaveLength(rawInline.length);
          for (const script of inline) expect(script).toEqual({ nonce: parsedNonce, attribute: "" });

          // A fresh nonce for every response.
          for (const value of [nonce!, rawNonce!, parsedNonce!]) {
            expect(seen.has(value), "a nonce used twice").toBe(false);
            seen.add(value);
          }
        }
      } finally {
        await Promise.all([withJs.close(), withoutJs.close()]);
      }
    });

    test("the login page and the 403 page carry the same headers", async () => {
      const viewer = await loggedInContext(browser, server.url, server.users.viewer);
      try {
        const page = await viewer.newPage();
        const forbidden = await page.goto(`${server.url}/admin/tokens`);
        expect(forbidden?.status()).toBe(403);
        expect(forbidden?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
        expect(forbidden?.headers()["x-content-type-options"]).toBe("nosniff");
        await visible(page.getByRole("heading", { level: 1, name: "Not allowed" }));
        await screenshot(page, "forbidden.png");
      } finally {
        await viewer.close();
      }
      const login = await fetch(`${server.url}/login`);
      expect(login.status).toBe(200);
      expect(login.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(login.headers.get("x-content-type-options")).toBe("nosniff");
    });
  });
});

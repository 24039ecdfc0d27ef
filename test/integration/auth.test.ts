// Every route, taken from the built route manifest rather than a hand-picked
// list, is closed to strangers and read-only for viewers; sessions and tokens
// stop working the moment they are ended; password guessing is throttled.
import path from "node:path";
import { pathToFileURL } from "node:url";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

type RouteEntry = { id: string; parentId?: string; path?: string; index?: boolean; module: { loader?: unknown; action?: unknown; default?: unknown } };

/** Paths anyone may open: the login and first-run pages and logging out. */
const PUBLIC = new Set(["/login", "/setup", "/logout"]);

async function manifestRoutes(): Promise<{ id: string; url: string; isApi: boolean; loader: boolean; action: boolean }[]> {
  const build = await import(pathToFileURL(path.resolve("build/index.js")).href);
  const routes = build.routes as Record<string, RouteEntry>;
  const fullPath = (route: RouteEntry): string => {
    const own = route.path ?? "";
    const parent = route.parentId ? fullPath(routes[route.parentId]) : "";
    return [parent, own].filter(Boolean).join("/");
  };
  return Object.values(routes)
    .filter((route) => route.id !== "root")
    .map((route) => {
      const pattern = `/${fullPath(route)}`.replace(/\/+/g, "/");
      const url = pattern.replace(/:id/g, "1").replace(/\*$/, "anything").replace(/\/$/, "") || "/";
      return { id: route.id, url, isApi: url.startsWith("/api/"), loader: Boolean(route.module.loader), action: Boolean(route.module.action) };
    });
}

let server: TestServer;
let routes: Awaited<ReturnType<typeof manifestRoutes>>;

beforeAll(async () => {
  server = await startServer({ HINDSIGHT_EXAMPLE: "1" });
  routes = await manifestRoutes();
});
afterAll(() => server?.stop());

describe("the route manifest", () => {
  it("is what these tests walk: every page and API route of the app", () => {
    const ids = routes.map((route) => route.id);
    expect(ids.length).toBeGreaterThan(25);
    for (const id of ["routes/_index", "routes/incidents.$id.timeline", "routes/api.incidents.$id", "routes/admin.users", "routes/incidents.$id.history"]) {
      expect(ids).toContain(id);
    }
  });
});

describe("without a session or token", () => {
  it("every page redirects to the login page and every API route answers 401", async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (PUBLIC.has(route.url)) continue;
      for (const method of [route.loader ? "GET" : null, route.action ? "POST" : null, !route.loader && !route.action ? "GET" : null]) {
        if (!method) continue;
        const response = await server.fetch(route.url, { method, as: "anonymous", body: method === "POST" ? new URLSearchParams({ intent: "x" }) : undefined });
        const location = response.headers.get("location") ?? "";
        // A heartbeat route's credential is the push token in its path: an unknown one is a 404, never a pass.
        const ok = route.url.startsWith("/api/push/")
          ? response.status === 404 && (await response.json()).error === "No push monitor has this token"
          : route.isApi
          ? response.status === 401 && (await response.json()).error.length > 0
          : response.status === 302 && location === `/login?redirectTo=${encodeURIComponent(route.url)}`;
        if (!ok) failures.push(`${method} ${route.url} (${route.id}) answered ${response.status} ${location}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("only the login, first-run and logout routes are open, and they give nothing away", async () => {
    const open = routes.filter((route) => PUBLIC.has(route.url)).map((route) => route.url).sort();
    expect(open).toEqual(["/login", "/logout", "/setup"]);
    expect((await server.fetch("/setup", { as: "anonymous" })).status).toBe(404);
    const login = await server.fetch("/login", { as: "anonymous" });
    expect(login.status).toBe(200);
    expect(await login.text()).not.toContain("Bookings failed");
  });

  it("a client-side data request is sent to the login page the way Remix's client follows", async () => {
    const response = await server.fetch("/incidents?_data=routes%2Fincidents._index", { as: "anonymous" });
    expect(response.status).toBe(204);
    expect(response.headers.get("x-remix-redirect")).toBe("/login?redirectTo=%2Fincidents");
  });

  it("a login redirect never leads off the site", async () => {
    for (const redirectTo of ["//evil.example", "https://evil.example/", "/\\\\evil.example"]) {
      const response = await server.fetch("/login", {
        method: "POST",
        as: "anonymous",
        body: new URLSearchParams({ email: server.users.editor.email, password: server.users.editor.password, redirectTo }),
      });
      expect(response.headers.get("location")).toBe("/");
    }
  });
});

describe("a viewer", () => {
  it("can read every page and API route", async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (!route.loader || PUBLIC.has(route.url) || route.url.startsWith("/admin") || route.url === "/api/anything") continue;
      // The new-incident form is for writers; a viewer is told so rather than shown a form that cannot be saved.
      if (route.url === "/incidents/new" || route.url === "/import") continue;
      // Monitoring ingest takes ingest tokens only; heartbeats take a push token (both tested in api-auth and their own tests).
      if (route.url.startsWith("/api/ingest/") || route.url.startsWith("/api/push/")) continue;
      // Search needs something to search for.
      const url = route.url === "/api/search" ? "/api/search?q=outage" : route.url;
      const response = await server.fetch(url, { as: route.isApi ? "read" : "viewer" });
      // 405 is a route that takes no GET (POST /api/import): still not a refusal of the viewer.
      if (![200, 302, 405].includes(response.status)) failures.push(`GET ${route.url} answered ${response.status}`);
    }
    expect(failures).toEqual([]);
    const newIncident = await server.fetch("/incidents/new", { as: "viewer" });
    expect(newIncident.status).toBe(403);
    expect(await newIncident.text()).toContain("Only editors and admins can record incidents");
    expect((await server.fetch("/import", { as: "viewer" })).status).toBe(403);
    expect((await server.fetch("/api/ingest/alertmanager", { as: "read" })).status).toBe(403);
  });

  it("gets 403 on every write, through forms and the API, and nothing changes", async () => {
    const before = await (await server.fetch("/api/incidents/1", { as: "read" })).json();
    const failures: string[] = [];
    for (const route of routes) {
      if (!route.action || PUBLIC.has(route.url) || route.url.startsWith("/api/push/")) continue;
      for (const method of route.isApi ? ["POST", "PATCH", "DELETE"] : ["POST"]) {
        const asViewer = await server.fetch(route.url, {
          method,
          as: "viewer",
          body: route.isApi ? JSON.stringify({ title: "Changed by a viewer" }) : new URLSearchParams({ intent: "delete-incident", title: "Changed by a viewer" }),
          headers: route.isApi ? { "Content-Type": "application/json" } : undefined,
        });
        if (asViewer.status !== 403) failures.push(`${method} ${route.url} as viewer answered ${asViewer.status}`);
        if (route.isApi) {
          const asReadToken = await server.fetch(route.url, { method, as: "read", body: "{}", headers: { "Content-Type": "application/json" } });
          if (asReadToken.status !== 403) failures.push(`${method} ${route.url} with a read token answered ${asReadToken.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await (await server.fetch("/api/incidents/1", { as: "read" })).json()).toEqual(before);
  });

  it("cannot open the admin pages; an editor cannot either", async () => {
    for (const role of ["viewer", "editor"] as const) {
      for (const url of ["/admin/users", "/admin/tokens", "/admin/deleted"]) {
        expect((await server.fetch(url, { as: role })).status).toBe(403);
      }
    }
    expect((await server.fetch("/admin/users", { as: "admin" })).status).toBe(200);
  });

  it("cannot reach them by writing the path another way: the gate reads a path as the router matches it", async () => {
    const spellings = ["/ADMIN/users", "/Admin/Tokens", "//admin//users", "/%61dmin/users", "/admin/monitoring/", "/ADMIN/categories"];
    for (const role of ["viewer", "editor"] as const) {
      for (const url of spellings) {
        const response = await server.fetch(url, { as: role });
        expect(response.status, `${role} GET ${url}`).toBe(403);
        expect(await response.text(), `${role} GET ${url}`).not.toContain(server.users.admin.email);
      }
      const post = await server.fetch("/Admin/monitoring", { method: "POST", as: role, body: new URLSearchParams({ autoDraftMinutes: "5" }) });
      expect(post.status, `${role} POST /Admin/monitoring`).toBe(403);
      expect((await server.fetch("/API/ingest/alertmanager", { method: "POST", as: role, body: "{}" })).status, `${role} POST /API/ingest`).toBe(403);
    }
    // The admin's own spellings still work.
    expect((await server.fetch("/ADMIN/users", { as: "admin" })).status).toBe(200);
    expect(await (await server.fetch("/admin/monitoring", { as: "admin" })).text()).toContain("Off: monitors never open incidents.");
  });
});

describe("ending access", () => {
  it("a logged-out session stops working at once, even if its cookie was copied", async () => {
    const cookie = await server.login("editor");
    expect((await server.fetch("/incidents", { as: "anonymous", headers: { Cookie: cookie } })).status).toBe(200);
    const logout = await server.fetch("/logout", { method: "POST", as: "anonymous", headers: { Cookie: cookie } });
    expect(logout.headers.get("location")).toBe("/login");
    expect(logout.headers.get("set-cookie")).toMatch(/hindsight_session=;.*Max-Age=0/);
    expect((await server.fetch("/incidents", { as: "anonymous", headers: { Cookie: cookie } })).status).toBe(302);
    expect((await server.fetch("/api/incidents", { as: "anonymous", headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("a revoked token stops working at once", async () => {
    const created = await server.fetch("/admin/tokens", { method: "POST", as: "admin", body: new URLSearchParams({ intent: "create-token", name: "short-lived", scope: "write" }) });
    const token = /data-testid="new-token">([^<]+)</.exec(await created.text())?.[1];
    expect(token).toMatch(/^hs_/);
    const asToken = () => server.fetch("/api/incidents", { as: "anonymous", headers: { Authorization: `Bearer ${token}` } });
    expect((await asToken()).status).toBe(200);
    const db = new Database(server.databasePath, { readonly: true });
    const row = db.prepare("select id, token_hash from api_tokens where name = 'short-lived'").get() as { id: number; token_hash: string };
    db.close();
    expect(row.token_hash).not.toContain(token!.slice(3));
    await server.fetch("/admin/tokens", { method: "POST", as: "admin", body: new URLSearchParams({ intent: "revoke-token", tokenId: String(row.id) }) });
    expect((await asToken()).status).toBe(401);
  });

  it("deactivating a user ends their sessions", async () => {
    const cookie = await server.login("viewer");
    const db = new Database(server.databasePath, { readonly: true });
    const viewer = db.prepare("select id from users where email = ?").get(server.users.viewer.email) as { id: number };
    db.close();
    await server.fetch("/admin/users", { method: "POST", as: "admin", body: new URLSearchParams({ intent: "set-active", userId: String(viewer.id), active: "false" }) });
    expect((await server.fetch("/incidents", { as: "anonymous", headers: { Cookie: cookie } })).status).toBe(302);
    const again = await server.fetch("/login", {
      method: "POST",
      as: "anonymous",
      body: new URLSearchParams({ email: server.users.viewer.email, password: server.users.viewer.password }),
    });
    expect(again.status).toBe(401);
    await server.fetch("/admin/users", { method: "POST", as: "admin", body: new URLSearchParams({ intent: "set-active", userId: String(viewer.id), active: "true" }) });
  });

  it("the session cookie is httpOnly and SameSite=Lax, and Secure when the request came over HTTPS", async () => {
    const plain = await server.fetch("/login", {
      method: "POST",
      as: "anonymous",
      body: new URLSearchParams({ email: server.users.editor.email, password: server.users.editor.password }),
    });
    const cookie = plain.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const proxied = await server.fetch("/login", {
      method: "POST",
      as: "anonymous",
      headers: { "X-Forwarded-Proto": "https" },
      body: new URLSearchParams({ email: server.users.editor.email, password: server.users.editor.password }),
    });
    expect(proxied.headers.get("set-cookie")).toMatch(/; Secure/);
  });
});

describe("password guessing", () => {
  it("the 11th bad password in 15 minutes gets 429 with a retry time, even with the right password", async () => {
    const attempt = (password: string) =>
      server.fetch("/login", { method: "POST", as: "anonymous", body: new URLSearchParams({ email: server.users.admin.email, password }) });
    for (let index = 1; index <= 10; index++) {
      const response = await attempt(`wrong guess ${index}`);
      expect(response.status, `attempt ${index}`).toBe(401);
      expect(await response.text()).toContain("Email or password is not right");
    }
    const eleventh = await attempt("wrong guess 11");
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(await eleventh.text()).toMatch(/Too many failed attempts. Try again in 1[45] minutes/);
    expect((await attempt(server.users.admin.password)).status).toBe(429);
    // Other accounts are not locked by someone guessing at this one.
    expect((await server.login("editor")).length).toBeGreaterThan(10);
  });
});

describe("the admin's user page", () => {
  function userId(email: string): number {
    const db = new Database(server.databasePath, { readonly: true });
    try {
      return (db.prepare("select id from users where email = ?").get(email) as { id: number }).id;
    } finally {
      db.close();
    }
  }
  const post = (fields: Record<string, string>) => server.fetch("/admin/users", { method: "POST", as: "admin", body: new URLSearchParams(fields) });

  it("a role change applies to the user's open session at once", async () => {
    const cookie = await server.login("viewer");
    const create = () =>
      server.fetch("/api/incidents", {
        method: "POST",
        as: "anonymous",
        headers: { Cookie: cookie, "Content-Type": "application/json" },
        body: JSON.stringify({ title: "Promoted", severity: "SEV4" }),
      });
    expect((await create()).status).toBe(403);
    await post({ intent: "set-role", userId: String(userId(server.users.viewer.email)), role: "editor" });
    expect((await create()).status).toBe(201);
    await post({ intent: "set-role", userId: String(userId(server.users.viewer.email)), role: "viewer" });
    expect((await create()).status).toBe(403);
  });

  it("never leaves Hindsight without an active admin", async () => {
    const response = await post({ intent: "set-role", userId: String(userId(server.users.admin.email)), role: "viewer" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Hindsight needs at least one active admin");
    expect((await server.fetch("/admin/users", { as: "admin" })).status).toBe(200);
  });

  it("adds a user with a generated password shown once", async () => {
    const response = await post({ intent: "add-user", name: "Chen", email: "chen@example.com", role: "editor", password: "" });
    const password = /data-testid="generated-password">([^<]+)</.exec(await response.text())?.[1];
    expect(password).toHaveLength(20);
    const login = await server.fetch("/login", { method: "POST", as: "anonymous", body: new URLSearchParams({ email: "chen@example.com", password: password! }) });
    expect(login.status).toBe(302);
  });
});

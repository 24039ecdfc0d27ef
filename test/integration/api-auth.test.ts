// Who may use the JSON API, against a real `node server.js` process: every API
// route from the build's route manifest, every method, every kind of caller.
import path from "node:path";
import { pathToFileURL } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

import {
  call,
  countRows,
  createAction,
  createEntry,
  createIncident,
  everythingStored,
  historyOf,
  postForm,
  readRow,
  userId,
  WRITE_TOKEN_ACTOR,
  type ApiResponse,
  type CallOptions,
} from "./api-helpers";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
const WRITES = ["POST", "PUT", "PATCH", "DELETE"] as const;
/** Written into every refused request, so a test can show it reached nothing stored. */
const INTRUDER = "Intruder-7f3a";

type ManifestRoute = { path?: string; parentId?: string };

/** Every API route's path pattern ("/api/incidents/:id"), from the built route manifest: a new route is covered without editing this file. */
async function apiRoutePatterns(): Promise<string[]> {
  const build = (await import(/* @vite-ignore */ pathToFileURL(path.join(ROOT, "build", "index.js")).href)) as { routes: Record<string, ManifestRoute> };
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  return Object.keys(build.routes)
    .map((id) => `/${fullPath(id)}`)
    .filter((pattern) => pattern === "/api" || pattern.startsWith("/api/"))
    .sort();
}

type Records = { incidentId: number; entryId: number; actionId: number; serviceId: number; monitorId: number; categoryId: number };

/** Heartbeat routes carry their credential in the path (a push token), so the gate lets them through: tested on their own below. */
const isPush = (pattern: string) => pattern.startsWith("/api/push/");
/** Monitoring ingest needs a token of scope ingest, and nothing else will do. */
const isIngest = (pattern: string) => pattern.startsWith("/api/ingest/");
/** Changing the cause-category vocabulary needs an admin: the route checks (api.server.ts refuseUnlessAdmin), not the gate. */
const isAdminWrite = (pattern: string, method: string) => pattern.startsWith("/api/categories") && (pattern === "/api/categories" ? method === "POST" : method === "DELETE");

/** A pattern made concrete with ids of records that exist; a parameter nobody planned for fails the test. */
function concrete(pattern: string, records: Records): string {
  return pattern
    .split("/")
    .map((segment, index, segments) => {
      if (segment === "*") return "no-such-route";
      if (!segment.startsWith(":")) return segment;
      const owner = segments[index - 1];
      if (segment === ":id" && owner === "incidents") return String(records.incidentId);
      if (segment === ":id" && owner === "timeline") return String(records.entryId);
      if (segment === ":id" && owner === "actions") return String(records.actionId);
      if (segment === ":id" && owner === "services") return String(records.serviceId);
      if (segment === ":id" && owner === "monitors") return String(records.monitorId);
      if (segment === ":id" && owner === "categories") return String(records.categoryId);
      if (segment === ":token" && owner === "push") return "hp_not-a-real-push-token";
      throw new Error(`No test record for ${segment} in ${pattern}: teach concrete() about it`);
    })
    .join("/");
}

/** A body each route would accept and store, were the caller allowed to write. */
function bodyFor(pattern: string, method: string, text = INTRUDER): Record<string, unknown> | undefined {
  if (method === "GET" || method === "HEAD" || method === "DELETE") return undefined;
  if (pattern === "/api/incidents") return { title: text, severity: "SEV1" };
  if (pattern.endsWith("/timeline")) return { occurredAt: "2024-06-09T13:45:00Z", text };
  if (pattern.startsWith("/api/timeline/")) return { text };
  if (pattern === "/api/services" || pattern.startsWith("/api/services/")) return { name: text };
  if (pattern === "/api/monitors") return { serviceId: records.serviceId, name: text, type: "push" };
  if (pattern.startsWith("/api/monitors/")) return { name: text };
  return { title: text };
}

let server: TestServer;
/** Every API route but the push routes. */
let patterns: string[];
let pushPatterns: string[];
let records: Records;

async function newRecords(): Promise<Records> {
  const incident = await createIncident(server, { title: "Guarded", startedAt: "2024-06-09T13:20:00Z" });
  const entry = await createEntry(server, incident.id, { occurredAt: "2024-06-09T13:30:00Z", text: "Guarded entry" });
  const action = await createAction(server, incident.id, { title: "Guarded action" });
  const service = await call(server, "POST", "/api/services", { name: `Guarded service ${incident.id}` }, { as: "write" });
  const monitor = await call(server, "POST", "/api/monitors", { serviceId: service.body.id, name: "Guarded monitor", type: "push" }, { as: "write" });
  // A built-in category: one every install has, and that no request may delete.
  const category = readRow(server, "select id from categories where built_in = 1 order by id limit 1")!;
  return { incidentId: incident.id, entryId: entry.id, actionId: action.id, serviceId: service.body.id, monitorId: monitor.body.id, categoryId: category.id as number };
}

beforeAll(async () => {
  server = await startServer();
  const all = await apiRoutePatterns();
  patterns = all.filter((pattern) => !isPush(pattern));
  pushPatterns = all.filter(isPush);
  records = await newRecords();
});

afterAll(async () => {
  await server?.stop();
});

/** Sends every method to every API route as `options` says, returning each answer. */
async function everyRequest(options: CallOptions, methods: readonly string[] = METHODS, text = INTRUDER) {
  const answers: { label: string; pattern: string; method: string; response: ApiResponse }[] = [];
  for (const pattern of patterns) {
    for (const method of methods) {
      const target = concrete(pattern, records);
      answers.push({ label: `${method} ${target}`, pattern, method, response: await call(server, method, target, bodyFor(pattern, method, text), options) });
    }
  }
  return answers;
}

function expectJsonError(response: ApiResponse, status: number, label: string, message?: RegExp) {
  expect(response.status, label).toBe(status);
  expect(response.headers.get("content-type"), label).toContain("application/json");
  expect(response.headers.get("location"), label).toBeNull();
  if (response.body === undefined) return; // HEAD: no body
  expect(Object.keys(response.body), label).toEqual(["error"]);
  expect(typeof response.body.error, label).toBe("string");
  if (message) expect(response.body.error, label).toMatch(message);
}

function occurrences(text: string) {
  return text.split(INTRUDER).length - 1;
}

/** A refused request changes nothing: no row, no history, and its text nowhere in the database. */
function expectNothingWritten(before: ReturnType<typeof countRows>, storedBefore: string) {
  expect(countRows(server)).toEqual(before);
  const stored = storedContent();
  expect(occurrences(stored) - occurrences(storedBefore), "times the refused text newly reached the database").toBe(0);
  expect(stored === storedBefore, "the database changed").toBe(true);
}

/** The database as text, leaving out what merely being let in changes (a token's or session's last use). */
function storedContent() {
  return everythingStored(server, ["api_tokens", "sessions"]);
}

it("finds every API route in the route manifest", () => {
  expect(patterns).toEqual(
    expect.arrayContaining([
      "/api/*",
      "/api/actions",
      "/api/actions/:id",
      "/api/incidents",
      "/api/incidents/:id",
      "/api/incidents/:id/actions",
      "/api/incidents/:id/timeline",
      "/api/timeline/:id",
    ]),
  );
});

describe("without credentials", () => {
  const cases: [string, CallOptions][] = [
    ["no credentials at all", { as: "anonymous" }],
    ["an unknown token", { as: "anonymous", headers: { Authorization: "Bearer hs_notarealtokenatallnotarealtoken" } }],
    ["a token without the hs_ prefix", { as: "anonymous", headers: { Authorization: "Bearer abc" } }],
    ["Basic credentials", { as: "anonymous", headers: { Authorization: `Basic ${Buffer.from("ada.admin@example.com:x").toString("base64")}` } }],
    ["a forged session cookie", { as: "anonymous", headers: { Cookie: "hindsight_session=forged" } }],
  ];

  for (const [label, options] of cases) {
    it(`every API route answers every method with 401 JSON, given ${label}, and writes nothing`, async () => {
      const before = countRows(server);
      const stored = storedContent();
      const answers = await everyRequest(options);
      expect(answers.length).toBe(patterns.length * METHODS.length);
      for (const { label: request, response } of answers) {
        expectJsonError(response, 401, request, /Log in or send an API token/);
        expect(response.headers.get("www-authenticate"), request).toBe('Bearer realm="hindsight"');
      }
      expectNothingWritten(before, stored);
    });
  }

  it("a token that differs from a real one by one character is refused", async () => {
    const token = server.tokens.write;
    const altered = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    const response = await call(server, "GET", "/api/incidents", undefined, { as: "anonymous", headers: { Authorization: `Bearer ${altered}` } });
    expectJsonError(response, 401, "altered token");
  });
});

/** What a GET answers: 200, except the unknown-path catch-all (404), POST-only routes (405), search without q (400) and ingest routes (403: ingest tokens only). */
function expectedReadStatus(pattern: string): number {
  if (pattern === "/api/*") return 404;
  if (isIngest(pattern)) return 403;
  if (pattern === "/api/import" || pattern.endsWith("/push-token")) return 405;
  if (pattern === "/api/search") return 400; // q is required
  return 200;
}

describe("read tokens", () => {
  it("can GET every API route", async () => {
    for (const { label, pattern, response } of await everyRequest({ as: "read" }, ["GET", "HEAD"])) {
      expect(response.status, label).toBe(expectedReadStatus(pattern));
    }
    const listed = await call(server, "GET", "/api/incidents", undefined, { as: "read" });
    expect(listed.body.incidents.map((incident: { id: number }) => incident.id)).toContain(records.incidentId);
  });

  it("get 403 JSON for every write to every API route, and write nothing", async () => {
    const before = countRows(server);
    const stored = storedContent();
    for (const { label, pattern, response } of await everyRequest({ as: "read" }, WRITES)) {
      expectJsonError(response, 403, label, isIngest(pattern) ? /scope \(read\) cannot send monitoring data/ : /scope \(read\) can read but not change anything/);
    }
    expectNothingWritten(before, stored);
  });
});

describe("ingest tokens", () => {
  it("get 403 on GET /api/incidents and on every other API route and method", async () => {
    const response = await call(server, "GET", "/api/incidents", undefined, { as: "ingest" });
    expectJsonError(response, 403, "GET /api/incidents", /scope \(ingest\)/);

    const before = countRows(server);
    const stored = storedContent();
    for (const { label, pattern, response: answer } of await everyRequest({ as: "ingest" })) {
      // Its own routes let it in: a GET is the wrong method and this body is no alert payload.
      if (isIngest(pattern)) expect([400, 405], label).toContain(answer.status);
      else expectJsonError(answer, 403, label, /scope \(ingest\)/);
    }
    expectNothingWritten(before, stored);
  });
});

describe("write tokens", () => {
  it("pass the gate on every API route and method", async () => {
    records = await newRecords();
    const answers = await everyRequest({ as: "write" }, ["GET", "HEAD", "POST", "PUT", "PATCH"], "Allowed write");
    for (const { label, pattern, method, response } of answers) {
      if (isIngest(pattern)) expectJsonError(response, 403, label, /cannot send monitoring data/);
      else if (isAdminWrite(pattern, method)) expectJsonError(response, 403, label, /scope \(write\) cannot administer Hindsight/);
      else expect([401, 403], label).not.toContain(response.status);
    }
    // The bodies the refused requests carry are ones the routes accept and store.
    const created = answers.filter(({ method, response }) => method === "POST" && response.status === 201).map(({ label }) => label);
    expect(created.length).toBeGreaterThanOrEqual(3);
    const patched = answers.filter(({ method, response }) => method === "PATCH" && response.status === 200).map(({ label }) => label);
    expect(patched.length).toBeGreaterThanOrEqual(3);
    expect(everythingStored(server)).toContain("Allowed write");
    records = await newRecords();
  });

  it("create, read, change and delete, each change attributed to the token in History", async () => {
    const created = await call(server, "POST", "/api/incidents", { title: "By token", severity: "SEV3" }, { as: "write" });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call(server, "GET", `/api/incidents/${id}`, undefined, { as: "write" })).status).toBe(200);
    const patched = await call(server, "PATCH", `/api/incidents/${id}`, { summary: "Token summary" }, { as: "write" });
    expect(patched.status).toBe(200);
    const entry = await call(server, "POST", `/api/incidents/${id}/timeline`, { occurredAt: "2024-06-09T13:45:00Z", text: "Token entry" }, { as: "write" });
    expect(entry.status).toBe(201);
    const action = await call(server, "POST", `/api/incidents/${id}/actions`, { title: "Token action" }, { as: "write" });
    expect(action.status).toBe(201);
    expect((await call(server, "DELETE", `/api/incidents/${id}`, undefined, { as: "write" })).status).toBe(204);

    const changes = [...historyOf(server, "incident", id), ...historyOf(server, "timeline_entry", entry.body.id), ...historyOf(server, "action", action.body.id)];
    expect(changes.map((row) => [row.entityType, row.change]).sort()).toEqual(
      [
        ["incident", "create"],
        ["incident", "update"],
        ["incident", "delete"],
        ["timeline_entry", "create"],
        ["action", "create"],
      ].sort(),
    );
    for (const row of changes) expect(row, `${row.entityType} ${row.change}`).toMatchObject({ actor: WRITE_TOKEN_ACTOR, userId: null, incidentId: id });
  });
});

describe("revoking a token", () => {
  /** Creates a token through the admin page, as an admin would, and returns it with its id. */
  async function createTokenAsAdmin(name: string, scope: string) {
    const page = await postForm(server, "/admin/tokens", { intent: "create-token", name, scope }, "admin");
    expect(page.status).toBe(200);
    const token = /data-testid="new-token">(hs_[A-Za-z0-9_-]+)</.exec(page.text)?.[1];
    expect(token, "the new token is shown once on the page").toBeDefined();
    const row = readRow(server, "select id from api_tokens where name = ?", name);
    return { token: token!, id: row!.id as number };
  }

  it("an admin's revocation through the tokens page stops the token at once; History names the token until then", async () => {
    const { token, id } = await createTokenAsAdmin("deploy bot", "write");
    const asBot = { as: "anonymous" as const, headers: { Authorization: `Bearer ${token}` } };
    const created = await call(server, "POST", "/api/incidents", { title: "By the bot", severity: "SEV4" }, asBot);
    expect(created.status).toBe(201);
    expect(historyOf(server, "incident", created.body.id)[0]).toMatchObject({ change: "create", actor: 'API token "deploy bot"', userId: null });

    // Neither an editor nor the token itself may revoke it.
    expect((await postForm(server, "/admin/tokens", { intent: "revoke-token", tokenId: String(id) }, "editor")).status).toBe(403);
    expect((await call(server, "GET", "/api/incidents", undefined, asBot)).status).toBe(200);
    expect(readRow(server, "select revoked_at from api_tokens where id = ?", id)).toEqual({ revoked_at: null });

    const revoked = await postForm(server, "/admin/tokens", { intent: "revoke-token", tokenId: String(id) }, "admin");
    expect(revoked.status).toBe(200);
    expect(readRow(server, "select revoked_at from api_tokens where id = ?", id)).toEqual({ revoked_at: expect.any(Number) });

    const before = countRows(server);
    const stored = storedContent();
    expectJsonError(await call(server, "GET", "/api/incidents", undefined, asBot), 401, "GET after revoking");
    expectJsonError(await call(server, "GET", `/api/incidents/${created.body.id}`, undefined, asBot), 401, "GET one after revoking");
    expectJsonError(await call(server, "POST", "/api/incidents", { title: INTRUDER, severity: "SEV4" }, asBot), 401, "POST after revoking");
    expectJsonError(await call(server, "PATCH", `/api/incidents/${created.body.id}`, { title: INTRUDER }, asBot), 401, "PATCH after revoking");
    expectJsonError(await call(server, "DELETE", `/api/incidents/${created.body.id}`, undefined, asBot), 401, "DELETE after revoking");
    expectNothingWritten(before, stored);

    // The other tokens are untouched.
    expect((await call(server, "GET", "/api/incidents", undefined, { as: "write" })).status).toBe(200);
  });

  it("a token revoked in the database file (as the CLI would) stops at once", async () => {
    const { token, id } = await createTokenAsAdmin("cron job", "read");
    const asCron = { as: "anonymous" as const, headers: { Authorization: `Bearer ${token}` } };
    expect((await call(server, "GET", "/api/incidents", undefined, asCron)).status).toBe(200);
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(server.databasePath);
    try {
      db.pragma("busy_timeout = 5000");
      db.prepare("update api_tokens set revoked_at = ? where id = ?").run(Date.now(), id);
    } finally {
      db.close();
    }
    expectJsonError(await call(server, "GET", "/api/incidents", undefined, asCron), 401, "GET after revoking");
  });
});

describe("sessions", () => {
  it("a viewer's session can GET every API route but gets 403 JSON on every write", async () => {
    for (const { label, pattern, response } of await everyRequest({ as: "viewer" }, ["GET"])) {
      expect(response.status, label).toBe(expectedReadStatus(pattern));
    }
    const before = countRows(server);
    const stored = storedContent();
    for (const { label, pattern, response } of await everyRequest({ as: "viewer" }, WRITES)) {
      expectJsonError(response, 403, label, isIngest(pattern) ? /role \(viewer\) cannot send monitoring data/ : /role \(viewer\) can read but not change anything/);
    }
    expectNothingWritten(before, stored);
  });

  it("an editor's session writes through the API, attributed to the editor in History", async () => {
    const created = await call(server, "POST", "/api/incidents", { title: "By Eve", severity: "SEV3" }, { as: "editor" });
    expect(created.status).toBe(201);
    const patched = await call(server, "PATCH", `/api/incidents/${created.body.id}`, { summary: "Eve's summary" }, { as: "editor" });
    expect(patched.status).toBe(200);
    expect(historyOf(server, "incident", created.body.id).map((row) => [row.change, row.actor, row.userId])).toEqual([
      ["create", "Eve Editor", userId(server, "editor")],
      ["update", "Eve Editor", userId(server, "editor")],
    ]);
  });

  it("a logged-out session stops working at once, even if the cookie is sent again", async () => {
    const cookie = await server.login("editor");
    const withCookie = { as: "anonymous" as const, headers: { Cookie: cookie } };
    expect((await call(server, "GET", "/api/incidents", undefined, withCookie)).status).toBe(200);

    const logout = await server.fetch("/logout", { method: "POST", as: "anonymous", headers: { Cookie: cookie } });
    expect(logout.status).toBe(302);

    const before = countRows(server);
    const stored = storedContent();
    expectJsonError(await call(server, "GET", "/api/incidents", undefined, withCookie), 401, "GET after logout");
    expectJsonError(await call(server, "POST", "/api/incidents", { title: INTRUDER, severity: "SEV1" }, withCookie), 401, "POST after logout");
    expectNothingWritten(before, stored);
  });

  it("a Bearer header is judged alone: a bad or read-only token is not rescued by an admin's session cookie", async () => {
    const cookie = await server.login("admin");
    const before = countRows(server);
    const stored = storedContent();
    const bad = await call(server, "POST", "/api/incidents", { title: INTRUDER, severity: "SEV1" }, {
      as: "anonymous",
      headers: { Cookie: cookie, Authorization: "Bearer hs_notarealtokenatallnotarealtoken" },
    });
    expectJsonError(bad, 401, "unknown token with an admin cookie");
    const readOnly = await call(server, "POST", "/api/incidents", { title: INTRUDER, severity: "SEV1" }, {
      as: "anonymous",
      headers: { Cookie: cookie, Authorization: `Bearer ${server.tokens.read}` },
    });
    expectJsonError(readOnly, 403, "read token with an admin cookie");
    expectNothingWritten(before, stored);
  });
});

describe("before the first admin exists", () => {
  let fresh: TestServer;

  beforeAll(async () => {
    fresh = await startServer({}, { accounts: false });
  });

  afterAll(async () => {
    await fresh?.stop();
  });

  it("every API route answers every method with 401 JSON pointing to /setup", async () => {
    for (const pattern of patterns) {
      for (const method of METHODS) {
        const target = concrete(pattern, { incidentId: 1, entryId: 1, actionId: 1, serviceId: 1, monitorId: 1, categoryId: 1 });
        const response = await call(fresh, method, target, bodyFor(pattern, method), { as: "anonymous" });
        expectJsonError(response, 401, `${method} ${target}`, /open \/setup/);
      }
    }
    expect(everythingStored(fresh).includes(INTRUDER)).toBe(false);
    expect(countRows(fresh)).toEqual({ incidents: 0, timeline_entries: 0, corrective_actions: 0, history: 0 });
  });
});

describe("push heartbeat routes", () => {
  it("are the only API routes open without credentials: an unknown push token answers 404 JSON, whoever asks, and writes nothing", async () => {
    expect(pushPatterns).toEqual(["/api/push/:token"]);
    const before = countRows(server);
    const stored = storedContent();
    for (const pattern of pushPatterns) {
      for (const as of ["anonymous", "read", "viewer", "write"] as const) {
        for (const method of ["GET", "POST"]) {
          const response = await call(server, method, concrete(pattern, records), undefined, { as });
          expectJsonError(response, 404, `${method} ${pattern} as ${as}`, /No push monitor has this token/);
        }
        expect((await call(server, "DELETE", concrete(pattern, records), undefined, { as })).status).toBe(405);
      }
    }
    expectNothingWritten(before, stored);
  });
});

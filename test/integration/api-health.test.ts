// Services, monitors and health history through the JSON API, against a real `node server.js`.
// Checks are off (MONITOR=0): states here come only from push heartbeats, so they are exact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

import { call, createIncident, ISO_WITH_OFFSET, readRow } from "./api-helpers";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ MONITOR: "0" });
});

afterAll(async () => {
  await server?.stop();
});

const SERVICE_KEYS = ["id", "name", "description", "state", "monitorCount", "incidentCount", "example", "createdAt", "updatedAt", "version"];
const MONITOR_KEYS = [
  "id",
  "serviceId",
  "name",
  "type",
  "mode",
  "intervalSeconds",
  "retries",
  "timeoutMs",
  "degradedMs",
  "url",
  "method",
  "acceptedStatus",
  "bodyContains",
  "jsonPath",
  "jsonExpected",
  "host",
  "port",
  "graceSeconds",
  "alertName",
  "pushTokenPrefix",
  "state",
  "stateSince",
  "failures",
  "failingSince",
  "lastCheckAt",
  "lastLatencyMs",
  "lastMessage",
  "example",
  "createdAt",
  "updatedAt",
  "version",
];

let serviceCount = 0;
async function createService(fields: Record<string, unknown> = {}) {
  const response = await call(server, "POST", "/api/services", { name: `service-${++serviceCount}`, ...fields });
  if (response.status !== 201) throw new Error(`Creating a service answered ${response.status}: ${response.text}`);
  return response.body;
}

async function createMonitor(serviceId: number, fields: Record<string, unknown> = {}) {
  const response = await call(server, "POST", "/api/monitors", { serviceId, name: "Website", type: "http", url: "https://example.com/health", ...fields });
  if (response.status !== 201) throw new Error(`Creating a monitor answered ${response.status}: ${response.text}`);
  return response.body;
}

async function heartbeat(token: string, fields: Record<string, unknown> = {}) {
  const response = await call(server, "POST", `/api/push/${token}`, fields, { as: "anonymous" });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** A heartbeat near the end of a minute could land in the next one; start a burst with a few seconds to spare. */
async function awayFromMinuteEdge() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 55_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}

describe("services", () => {
  it("creates, lists, reads, updates and deletes a service", async () => {
    const response = await call(server, "POST", "/api/services", { name: "  checkout-api  ", description: "Takes the money" });
    expect(response.status, response.text).toBe(201);
    const service = response.body;
    expect(response.headers.get("location")).toBe(`/api/services/${service.id}`);
    expect(Object.keys(service).sort()).toEqual([...SERVICE_KEYS, "uptime", "monitors"].sort());
    expect(service).toMatchObject({
      name: "checkout-api",
      description: "Takes the money",
      state: null,
      monitorCount: 0,
      incidentCount: 0,
      example: false,
      uptime: { "24h": null, "30d": null, "90d": null },
      monitors: [],
      version: 1,
    });
    expect(service.createdAt).toMatch(ISO_WITH_OFFSET);

    const list = await call(server, "GET", "/api/services", undefined, { as: "read" });
    expect(list.status).toBe(200);
    const listed = list.body.services.find((s: { id: number }) => s.id === service.id);
    expect(Object.keys(listed).sort()).toEqual([...SERVICE_KEYS, "uptime"].sort());
    expect(listed).toMatchObject({ name: "checkout-api", state: null, uptime: { "24h": null, "30d": null, "90d": null } });

    const monitor = await createMonitor(service.id);
    const read = await call(server, "GET", `/api/services/${service.id}`, undefined, { as: "read" });
    expect(read.status).toBe(200);
    expect(read.headers.get("etag")).toBe('"1"');
    expect(read.body.monitorCount).toBe(1);
    expect(read.body.monitors).toEqual([monitor]);

    // Only the fields sent change; the record as read may be sent back (read-only fields are ignored).
    const patched = await call(server, "PATCH", `/api/services/${service.id}`, { description: "Takes the money, politely", version: 1 });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ name: "checkout-api", description: "Takes the money, politely", version: 2 });
    expect(patched.headers.get("etag")).toBe('"2"');
    const roundTrip = await call(server, "PATCH", `/api/services/${service.id}`, { ...patched.body, name: "Checkout API" });
    expect(roundTrip.status, roundTrip.text).toBe(200);
    expect(roundTrip.body).toMatchObject({ name: "Checkout API", description: "Takes the money, politely", version: 3 });

    const deleted = await call(server, "DELETE", `/api/services/${service.id}`);
    expect(deleted.status).toBe(204);
    expect((await call(server, "GET", `/api/services/${service.id}`)).status).toBe(404);
    // Its monitors go with it.
    expect((await call(server, "GET", `/api/monitors/${monitor.id}`)).status).toBe(404);
  });

  it("answers 400 with the field's message for bad input and leaves the service as it was", async () => {
    const service = await createService({ name: "billing" });
    const cases: [string, string, unknown, Record<string, string>][] = [
      ["POST", "/api/services", { name: "" }, { name: expect.stringContaining("Name") as unknown as string }],
      ["POST", "/api/services", { name: "BILLING" }, { name: 'A service called "billing" already exists' }],
      ["POST", "/api/services", { name: "x", colour: "red" }, { colour: 'Unknown field "colour"' }],
      ["POST", "/api/services", "not json", { body: "Body must be a JSON object" }],
      ["PATCH", `/api/services/${service.id}`, { name: "   " }, { name: expect.stringContaining("Name") as unknown as string }],
      ["PATCH", `/api/services/${service.id}`, { nmae: "typo" }, { nmae: 'Unknown field "nmae"' }],
    ];
    for (const [method, path, body, errors] of cases) {
      const response = await call(server, method, path, body);
      expect(response.status, `${method} ${JSON.stringify(body)}: ${response.text}`).toBe(400);
      expect(response.body).toEqual({ errors });
    }
    const after = await call(server, "GET", `/api/services/${service.id}`);
    expect(after.body).toMatchObject({ name: "billing", version: 1 });
  });

  it("answers 409 with the stored service for a stale version, by body or If-Match", async () => {
    const service = await createService();
    const first = await call(server, "PATCH", `/api/services/${service.id}`, { description: "First" }, { headers: { "If-Match": '"1"' } });
    expect(first.status).toBe(200);
    for (const [body, headers] of [
      [{ description: "Stale", version: 1 }, {}],
      [{ description: "Stale" }, { "If-Match": 'W/"1"' }],
    ] as const) {
      const stale = await call(server, "PATCH", `/api/services/${service.id}`, body, { headers });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toContain("changed by someone else");
      expect(stale.body.current).toMatchObject({ id: service.id, description: "First", version: 2 });
    }
    expect((await call(server, "GET", `/api/services/${service.id}`)).body.description).toBe("First");
  });

  it("refuses to delete a service an incident names (409), and keeps it", async () => {
    const incident = await createIncident(server, { services: ["payments-gateway"] });
    const service = (await call(server, "GET", "/api/services")).body.services.find((s: { name: string }) => s.name === "payments-gateway");
    expect(service).toMatchObject({ incidentCount: 1 });
    const response = await call(server, "DELETE", `/api/services/${service.id}`);
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ error: expect.stringContaining('1 incident names the service "payments-gateway"') });
    expect((await call(server, "GET", `/api/services/${service.id}`)).status).toBe(200);
    expect(readRow(server, "select count(*) as n from incident_services where incident_id = ?", incident.id)).toEqual({ n: 1 });
  });

  it("answers 404 for unknown and malformed ids", async () => {
    for (const path of ["/api/services/999999", "/api/services/abc", "/api/services/999999/health"]) {
      const response = await call(server, "GET", path);
      expect(response.status, path).toBe(404);
      expect(response.body).toEqual({ error: "Service not found" });
    }
    expect((await call(server, "PATCH", "/api/services/999999", { description: "x" })).status).toBe(404);
    expect((await call(server, "DELETE", "/api/services/999999")).status).toBe(404);
  });
});

describe("monitors", () => {
  it("creates, lists, reads, updates and deletes a monitor", async () => {
    const service = await createService();
    const other = await createService();
    const response = await call(server, "POST", "/api/monitors", {
      serviceId: service.id,
      name: "Health endpoint",
      type: "http",
      url: "https://example.com/health",
      intervalSeconds: 30,
      acceptedStatus: "200-299, 301",
      host: "ignored.example.com",
    });
    expect(response.status, response.text).toBe(201);
    const monitor = response.body;
    expect(response.headers.get("location")).toBe(`/api/monitors/${monitor.id}`);
    expect(Object.keys(monitor).sort()).toEqual([...MONITOR_KEYS].sort());
    expect(monitor).toMatchObject({
      serviceId: service.id,
      name: "Health endpoint",
      type: "http",
      mode: "active",
      intervalSeconds: 30,
      retries: 2,
      method: "GET",
      acceptedStatus: "200-299, 301",
      // A field the type does not use is cleared.
      host: null,
      pushTokenPrefix: null,
      state: null,
      version: 1,
    });
    expect(monitor.createdAt).toMatch(ISO_WITH_OFFSET);
    await createMonitor(other.id, { name: "Elsewhere" });

    const all = await call(server, "GET", "/api/monitors", undefined, { as: "read" });
    expect(all.body.monitors.map((m: { id: number }) => m.id)).toContain(monitor.id);
    const own = await call(server, "GET", `/api/monitors?service=${service.id}`, undefined, { as: "read" });
    expect(own.body).toEqual({ monitors: [monitor] });
    expect((await call(server, "GET", "/api/monitors?service=abc")).body).toEqual({ errors: { service: expect.any(String) } });

    const read = await call(server, "GET", `/api/monitors/${monitor.id}`, undefined, { as: "read" });
    expect(read.body).toEqual(monitor);
    expect(read.headers.get("etag")).toBe('"1"');

    // A partial PATCH keeps the rest; a new type is validated whole and clears what it does not use.
    const slower = await call(server, "PATCH", `/api/monitors/${monitor.id}`, { intervalSeconds: 120, version: 1 });
    expect(slower.status, slower.text).toBe(200);
    expect(slower.body).toMatchObject({ intervalSeconds: 120, url: "https://example.com/health", acceptedStatus: "200-299, 301", version: 2 });
    const tcp = await call(server, "PATCH", `/api/monitors/${monitor.id}`, { type: "tcp", host: "db.internal", port: 5432 }, { headers: { "If-Match": '"2"' } });
    expect(tcp.status, tcp.text).toBe(200);
    expect(tcp.body).toMatchObject({ type: "tcp", host: "db.internal", port: 5432, url: null, intervalSeconds: 120, version: 3 });
    // Sent back as read, with a change: read-only fields are ignored.
    const roundTrip = await call(server, "PATCH", `/api/monitors/${monitor.id}`, { ...tcp.body, name: "Database port" });
    expect(roundTrip.status, roundTrip.text).toBe(200);
    expect(roundTrip.body).toMatchObject({ name: "Database port", version: 4 });

    // Pausing is a state change in the log.
    const paused = await call(server, "PATCH", `/api/monitors/${monitor.id}`, { mode: "paused" });
    expect(paused.body).toMatchObject({ mode: "paused", state: "paused" });
    expect(paused.body.stateSince).toMatch(ISO_WITH_OFFSET);

    expect((await call(server, "DELETE", `/api/monitors/${monitor.id}`)).status).toBe(204);
    expect((await call(server, "GET", `/api/monitors/${monitor.id}`)).status).toBe(404);
    expect((await call(server, "DELETE", `/api/monitors/${monitor.id}`)).status).toBe(404);
  });

  it("answers 400 with the field's message for each kind of bad input", async () => {
    const service = await createService();
    const http = { serviceId: service.id, name: "Site", type: "http", url: "https://example.com" };
    const cases: [string, Record<string, unknown>, Record<string, string>][] = [
      ["interval under 10 s", { ...http, intervalSeconds: 5 }, { intervalSeconds: "Interval must be a whole number from 10 to 86,400 seconds" }],
      ["a URL that is not http(s)", { ...http, url: "ftp://example.com/file" }, { url: "URL must start with http:// or https://" }],
      ["no URL at all", { ...http, url: "" }, { url: "URL is required for an HTTP monitor" }],
      ["TCP without a port", { serviceId: service.id, name: "DB", type: "tcp", host: "db.internal" }, { port: "Port is required for a TCP monitor" }],
      ["an unknown field", { ...http, interval: 30 }, { interval: 'Unknown field "interval"' }],
      ["a status range upside down", { ...http, acceptedStatus: "299-200" }, { acceptedStatus: "Accepted status codes: codes or ranges such as 200-299, 301" }],
      ["a status code out of range", { ...http, acceptedStatus: "200-299, 700" }, { acceptedStatus: "Accepted status codes: codes or ranges such as 200-299, 301" }],
      ["an unknown service", { ...http, serviceId: 999_999 }, { serviceId: "There is no service 999999" }],
    ];
    for (const [label, body, errors] of cases) {
      const response = await call(server, "POST", "/api/monitors", body);
      expect(response.status, `${label}: ${response.text}`).toBe(400);
      expect(response.body, label).toEqual({ errors });
    }
    expect((await call(server, "GET", `/api/monitors?service=${service.id}`)).body.monitors).toEqual([]);

    // The same messages on PATCH, and nothing changes.
    const monitor = await createMonitor(service.id);
    for (const [label, body, errors] of [
      ["interval", { intervalSeconds: 9 }, { intervalSeconds: "Interval must be a whole number from 10 to 86,400 seconds" }],
      ["url", { url: "not a url" }, { url: "URL must start with http:// or https://" }],
      ["tcp", { type: "tcp", host: "db.internal" }, { port: "Port is required for a TCP monitor" }],
      ["status", { acceptedStatus: "2xx" }, { acceptedStatus: "Accepted status codes: codes or ranges such as 200-299, 301" }],
      ["unknown", { pushToken: "hp_guess" }, { pushToken: 'Unknown field "pushToken"' }],
    ] as const) {
      const response = await call(server, "PATCH", `/api/monitors/${monitor.id}`, body);
      expect(response.status, `${label}: ${response.text}`).toBe(400);
      expect(response.body, label).toEqual({ errors });
    }
    expect((await call(server, "GET", `/api/monitors/${monitor.id}`)).body).toEqual(monitor);
  });

  it("answers 409 with the stored monitor for a stale version", async () => {
    const service = await createService();
    const monitor = await createMonitor(service.id);
    expect((await call(server, "PATCH", `/api/monitors/${monitor.id}`, { name: "First", version: 1 })).status).toBe(200);
    const stale = await call(server, "PATCH", `/api/monitors/${monitor.id}`, { name: "Second", version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ id: monitor.id, name: "First", version: 2 });
    expect((await call(server, "GET", `/api/monitors/${monitor.id}`)).body.name).toBe("First");
  });

  it("answers 404 for unknown ids", async () => {
    for (const [method, path] of [
      ["GET", "/api/monitors/999999"],
      ["GET", "/api/monitors/abc"],
      ["PATCH", "/api/monitors/999999"],
      ["DELETE", "/api/monitors/999999"],
    ]) {
      const response = await call(server, method, path, method === "PATCH" ? { name: "x" } : undefined);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body).toEqual({ error: "Monitor not found" });
    }
  });

  it("lets a read token read but not write (403)", async () => {
    const service = await createService();
    const monitor = await createMonitor(service.id);
    const writes: [string, string, unknown][] = [
      ["POST", "/api/services", { name: "read-only" }],
      ["PATCH", `/api/services/${service.id}`, { description: "x" }],
      ["DELETE", `/api/services/${service.id}`, undefined],
      ["POST", "/api/monitors", { serviceId: service.id, name: "x", type: "push" }],
      ["PATCH", `/api/monitors/${monitor.id}`, { name: "x" }],
      ["DELETE", `/api/monitors/${monitor.id}`, undefined],
      ["POST", `/api/monitors/${monitor.id}/push-token`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const response = await call(server, method, path, body, { as: "read" });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect((await call(server, "GET", `/api/services/${service.id}`, undefined, { as: "read" })).body.monitors).toEqual([monitor]);
    expect((await call(server, "GET", "/api/services", undefined, { as: "anonymous" })).status).toBe(401);
  });
});

describe("push monitors", () => {
  it("returns the token once; a heartbeat to its URL changes the monitor's state", async () => {
    const service = await createService();
    const created = await call(server, "POST", "/api/monitors", { serviceId: service.id, name: "Nightly backup", type: "push", graceSeconds: 300 });
    expect(created.status, created.text).toBe(201);
    const { pushToken, pushUrl } = created.body;
    expect(pushToken).toMatch(/^hp_/);
    expect(pushUrl).toBe(`/api/push/${pushToken}`);
    expect(created.body.pushTokenPrefix).toBe(pushToken.slice(0, 9));
    expect(Object.keys(created.body).sort()).toEqual([...MONITOR_KEYS, "pushToken", "pushUrl"].sort());

    // Never again: not in any read, not stored in the clear.
    for (const path of [`/api/monitors/${created.body.id}`, "/api/monitors", `/api/services/${service.id}`, "/api/services"]) {
      const read = await call(server, "GET", path);
      expect(read.text, path).not.toContain(pushToken);
      expect(read.text, path).not.toContain("pushTokenHash");
    }
    expect(JSON.stringify(readRow(server, "select * from monitors where id = ?", created.body.id))).not.toContain(pushToken);
    expect((await call(server, "GET", `/api/monitors/${created.body.id}`)).body).toMatchObject({ state: null, pushTokenPrefix: pushToken.slice(0, 9) });

    const beat = await call(server, "POST", pushUrl, { latencyMs: 42, msg: "Backup done" }, { as: "anonymous" });
    expect(beat.status, beat.text).toBe(200);
    const after = await call(server, "GET", `/api/monitors/${created.body.id}`);
    expect(after.body).toMatchObject({ state: "up", lastLatencyMs: 42, lastMessage: "Backup done" });
    expect(after.body.lastCheckAt).toMatch(ISO_WITH_OFFSET);
    expect((await call(server, "GET", `/api/services/${service.id}`)).body.state).toBe("up");
  });

  it("makes a new token on request: the old one stops working, and only push monitors have one", async () => {
    const service = await createService();
    const push = await createMonitor(service.id, { type: "push", url: undefined });
    const http = await createMonitor(service.id);

    const response = await call(server, "POST", `/api/monitors/${push.id}/push-token`);
    expect(response.status, response.text).toBe(200);
    const { pushToken, pushUrl } = response.body;
    expect(pushToken).not.toBe(push.pushToken);
    expect(pushUrl).toBe(`/api/push/${pushToken}`);
    expect(response.body).toMatchObject({ id: push.id, pushTokenPrefix: pushToken.slice(0, 9) });
    expect((await call(server, "GET", `/api/monitors/${push.id}`)).text).not.toContain(pushToken);

    expect((await call(server, "POST", push.pushUrl, {}, { as: "anonymous" })).status).toBe(404);
    await heartbeat(pushToken);
    expect((await call(server, "GET", `/api/monitors/${push.id}`)).body.state).toBe("up");

    for (const id of [http.id, 999_999]) {
      const refused = await call(server, "POST", `/api/monitors/${id}/push-token`);
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ error: "Push monitor not found" });
    }
    expect((await call(server, "GET", `/api/monitors/${push.id}/push-token`)).status).toBe(405);

    // Changing a monitor's type to push answers with its token, once.
    const switched = await call(server, "PATCH", `/api/monitors/${http.id}`, { type: "push" });
    expect(switched.status, switched.text).toBe(200);
    expect(switched.body.pushToken).toMatch(/^hp_/);
    expect(switched.body.url).toBeNull();
    await heartbeat(switched.body.pushToken);
  });
});

describe("GET /api/services/:id/health", () => {
  it("returns the state changes and the checks, raw and per minute, for the service or one monitor", async () => {
    const service = await createService();
    const backup = await createMonitor(service.id, { name: "Backup", type: "push", degradedMs: 500 });
    const cron = await createMonitor(service.id, { name: "Cron", type: "push" });
    await awayFromMinuteEdge();
    const start = Date.now();
    await heartbeat(backup.pushToken, { latencyMs: 100 });
    await heartbeat(backup.pushToken, { latencyMs: 200 });
    await heartbeat(backup.pushToken, { latencyMs: 900, msg: "Slow" });
    await heartbeat(backup.pushToken, { status: "down", msg: "Disk full" });
    await heartbeat(backup.pushToken, { status: "down", msg: "Disk full" });
    await heartbeat(cron.pushToken, { latencyMs: 50 });

    const backupRead = (await call(server, "GET", `/api/monitors/${backup.id}`, undefined, { as: "read" })).body;
    expect(backupRead).toMatchObject({ state: "down", failures: 2 });
    expect(backupRead.failingSince).toMatch(ISO_WITH_OFFSET);

    // An hour back picks raw results by default.
    const from = new Date(start - 3_600_000).toISOString();
    const raw = await call(server, "GET", `/api/services/${service.id}/health?from=${encodeURIComponent(from)}`, undefined, { as: "read" });
    expect(raw.status, raw.text).toBe(200);
    expect(Object.keys(raw.body).sort()).toEqual(["service", "monitor", "from", "to", "resolution", "states", "buckets"].sort());
    expect(raw.body.resolution).toBe("raw");
    expect(raw.body.service).toMatchObject({ id: service.id, name: service.name, state: "down", monitorCount: 2 });
    expect(raw.body.service.monitors.map((m: { id: number; name: string }) => [m.id, m.name])).toEqual([
      [backup.id, "Backup"],
      [cron.id, "Cron"],
    ]);
    expect(raw.body.from).toBe(new Date(Math.floor((start - 3_600_000) / 1000) * 1000).toISOString().replace(".000Z", "+00:00"));
    expect(raw.body.to).toMatch(ISO_WITH_OFFSET);
    expect(raw.body.buckets.map((p: Record<string, unknown>) => [p.monitorId, p.ok, p.state, p.latencyMs, p.message])).toEqual([
      [backup.id, true, "up", 100, "Heartbeat"],
      [backup.id, true, "up", 200, "Heartbeat"],
      [backup.id, true, "degraded", 900, "Slow"],
      // Within retries the first failure leaves the state as it was.
      [backup.id, false, "degraded", null, "Disk full"],
      [backup.id, false, "down", null, "Disk full"],
      [cron.id, true, "up", 50, "Heartbeat"],
    ]);
    for (const point of raw.body.buckets) expect(point.at).toMatch(ISO_WITH_OFFSET);
    expect(raw.body.states.map((s: Record<string, unknown>) => [s.monitorId, s.monitorName, s.from, s.to, s.source])).toEqual([
      [backup.id, "Backup", null, "up", "push"],
      [backup.id, "Backup", "up", "degraded", "push"],
      [backup.id, "Backup", "degraded", "down", "push"],
      [cron.id, "Cron", null, "up", "push"],
    ]);
    expect(raw.body.states[2]).toMatchObject({ message: "Disk full", failingSince: expect.stringMatching(ISO_WITH_OFFSET) });

    // One monitor only.
    const narrowed = await call(server, "GET", `/api/services/${service.id}/health?from=${encodeURIComponent(from)}&monitor=${cron.id}`);
    expect(narrowed.body.monitor).toBe(cron.id);
    expect(narrowed.body.buckets.map((p: { monitorId: number }) => p.monitorId)).toEqual([cron.id]);
    expect(narrowed.body.states.map((s: { to: string }) => s.to)).toEqual(["up"]);

    // The last 24 hours (the default) are read per minute: counts merged across monitors.
    const minute = await call(server, "GET", `/api/services/${service.id}/health`, undefined, { as: "read" });
    expect(minute.status, minute.text).toBe(200);
    expect(minute.body.resolution).toBe("minute");
    expect(minute.body.buckets).toEqual([
      {
        at: new Date(Math.floor(start / 60_000) * 60_000).toISOString().replace(".000Z", "+00:00"),
        up: 3,
        degraded: 2,
        down: 1,
        maintenance: 0,
        latency: { avgMs: 312.5, minMs: 50, maxMs: 900 },
      },
    ]);
    expect(minute.body.states).toHaveLength(4);
    const minuteBackup = await call(server, "GET", `/api/services/${service.id}/health?resolution=minute&monitor=${backup.id}&from=${encodeURIComponent(from)}`);
    expect(minuteBackup.body.buckets).toEqual([expect.objectContaining({ up: 2, degraded: 2, down: 1, latency: { avgMs: 400, minMs: 100, maxMs: 900 } })]);

    // Asked for raw over the whole day, and by hour.
    expect((await call(server, "GET", `/api/services/${service.id}/health?resolution=raw`)).body.buckets).toHaveLength(6);
    const hour = await call(server, "GET", `/api/services/${service.id}/health?resolution=hour`);
    expect(hour.body.buckets.reduce((sum: number, b: { up: number }) => sum + b.up, 0)).toBe(3);

    // A window before the heartbeats is empty.
    const earlier = await call(server, "GET", `/api/services/${service.id}/health?from=2024-06-01&to=2024-06-02T00:00:00Z&resolution=hour`);
    expect(earlier.body).toMatchObject({ from: "2024-06-01T00:00:00+00:00", to: "2024-06-02T00:00:00+00:00", states: [], buckets: [] });

    // Uptime counts degraded as available: 5 of 6 checks.
    const listed = (await call(server, "GET", "/api/services")).body.services.find((s: { id: number }) => s.id === service.id);
    expect(listed.uptime["24h"]).toBeCloseTo((5 / 6) * 100, 2);
  });

  it("answers 400 for bad from/to/resolution/monitor and spans too long for the resolution", async () => {
    const service = await createService();
    const other = await createService();
    const elsewhere = await createMonitor(other.id);
    const path = `/api/services/${service.id}/health`;
    const cases: [string, string][] = [
      ["from=yesterday", "from"],
      ["to=2024-13-01T00:00:00Z", "to"],
      ["resolution=week", "resolution"],
      ["from=2024-06-02T00:00:00Z&to=2024-06-01T00:00:00Z", "from"],
      ["from=2024-06-01T00:00:00Z&to=2024-06-01T00:00:00Z", "from"],
      [`monitor=${elsewhere.id}`, "monitor"],
      ["monitor=abc", "monitor"],
    ];
    for (const [query, field] of cases) {
      const response = await call(server, "GET", `${path}?${query}`);
      expect(response.status, `${query}: ${response.text}`).toBe(400);
      expect(Object.keys(response.body.errors), query).toEqual([field]);
    }
    expect((await call(server, "GET", `${path}?from=2024-06-02T00:00:00Z&to=2024-06-01T00:00:00Z`)).body.errors.from).toBe("from must be before to");

    const tooLong: [string, string][] = [
      ["from=2024-06-01&to=2024-06-09&resolution=raw", "resolution=raw covers at most 7 days per request"],
      ["from=2024-06-01&to=2024-07-15&resolution=minute", "resolution=minute covers at most 31 days per request"],
      ["from=2022-01-01&to=2024-01-01&resolution=hour", "resolution=hour covers at most 366 days per request"],
    ];
    for (const [query, message] of tooLong) {
      const response = await call(server, "GET", `${path}?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.errors.resolution).toContain(message);
      expect(response.body.errors.resolution).toContain("narrow from/to");
    }
    // Exactly at the limit is fine; a long span without a resolution picks one that fits.
    expect((await call(server, "GET", `${path}?from=2024-06-01T00:00:00Z&to=2024-06-08T00:00:00Z&resolution=raw`)).status).toBe(200);
    const year = await call(server, "GET", `${path}?from=2022-01-01&to=2024-01-01`);
    expect(year.status).toBe(200);
    expect(year.body.resolution).toBe("day");
  });
});

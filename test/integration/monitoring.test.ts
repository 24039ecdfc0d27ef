// Monitoring end to end against real sockets and a real SQLite file: checks against servers
// started here, the scheduler on an injected clock, and the history a user reads back
// (state changes, raw results, rollups, uptime).
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

import { asc, eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { checkResults, healthRollups, monitors, services, stateChanges, type MonitorRow } from "~/db/schema";
import { runCheck } from "~/health/checks.server";
import { dailyBar, stateBands, stateChangesOf, uptime } from "~/health/history.server";
import { Scheduler } from "~/health/scheduler.server";
import { ingestResults, pruneHealth, rawResults, type CheckResultInput, type Retention } from "~/health/store.server";
import { validateMonitor } from "~/lib/monitor-validation";
import { createMonitor, createService, currentState, getService, updateMonitor } from "~/models/services.server";
import * as pushRoute from "~/routes/api.push.$token";

import { callLoader } from "../helpers/routes";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FOREVER = Number.MAX_SAFE_INTEGER;

// ---- servers started by the tests ----

const openServers: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(openServers.map((server) => server.close()));
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** An HTTP server on a free port; `requests` counts what it was asked. */
async function httpServer(handler: http.RequestListener) {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? "");
    response.on("error", () => {});
    handler(request, response);
  });
  const port = await listen(server);
  const handle = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  openServers.push(handle);
  return handle;
}

/** Accepts TCP connections and never writes a byte. */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await listen(server);
  const handle = {
    port,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  openServers.push(handle);
  return handle;
}

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---- monitors made through the same validation as the form and the API ----

let serviceId = 0;
beforeEach(() => {
  // Each test starts with no monitors, so a scheduler sees only the test's own.
  getDb().delete(services).run();
  const created = createService({ name: "Checkout", description: "" });
  if (!created.ok) throw new Error("service not created");
  serviceId = created.record.id;
});

function addMonitor(fields: Record<string, unknown>, createdAt = Date.now()) {
  const input = validateMonitor({ serviceId, name: "Monitor", ...fields });
  if (!input.ok) throw new Error(JSON.stringify(input.errors));
  const created = createMonitor(input.data, createdAt);
  if (!created.ok) throw new Error("monitor not created");
  return { row: monitorRow(created.record.id), pushToken: created.pushToken };
}

function monitorRow(id: number): MonitorRow {
  return getDb().select().from(monitors).where(eq(monitors.id, id)).get()!;
}

function changesOf(monitorId: number) {
  return getDb()
    .select({ at: stateChanges.at, from: stateChanges.fromState, to: stateChanges.toState, failingSince: stateChanges.failingSince, source: stateChanges.source, message: stateChanges.message })
    .from(stateChanges)
    .where(eq(stateChanges.monitorId, monitorId))
    .orderBy(asc(stateChanges.at), asc(stateChanges.id))
    .all();
}

function rollupsOf(monitorId: number) {
  return getDb()
    .select({
      resolution: healthRollups.resolution,
      bucket: healthRollups.bucket,
      up: healthRollups.up,
      degraded: healthRollups.degraded,
      down: healthRollups.down,
      maintenance: healthRollups.maintenance,
      latencyCount: healthRollups.latencyCount,
      latencySum: healthRollups.latencySum,
      latencyMin: healthRollups.latencyMin,
      latencyMax: healthRollups.latencyMax,
    })
    .from(healthRollups)
    .where(eq(healthRollups.monitorId, monitorId))
    .orderBy(asc(healthRollups.resolution), asc(healthRollups.bucket))
    .all();
}

/** What a rollup of these raw results must hold (latency over the results that have one). */
function expectedRollup(resolution: string, bucket: number, results: { state: string; latencyMs: number | null }[]) {
  const latencies = results.map((r) => r.latencyMs).filter((ms): ms is number => ms !== null);
  const count = (state: string) => results.filter((r) => r.state === state).length;
  return {
    resolution,
    bucket,
    up: count("up"),
    degraded: count("degraded"),
    down: count("down"),
    maintenance: count("maintenance"),
    latencyCount: latencies.length,
    latencySum: latencies.reduce((sum, ms) => sum + ms, 0),
    latencyMin: latencies.length ? Math.min(...latencies) : null,
    latencyMax: latencies.length ? Math.max(...latencies) : null,
  };
}

function clockAt(start: number) {
  const clock = { now: start };
  const log: string[] = [];
  const scheduler = new Scheduler({ now: () => clock.now, random: () => 0, log: (message) => log.push(message) });
  return { clock, scheduler, log };
}

// ---- 1. up, down after retries, up again ----

describe("an HTTP monitor whose target fails and recovers", () => {
  it("stays up on the first failure, is down on the second, up on the first success, and the history says so exactly", async () => {
    let status = 200;
    const target = await httpServer((_request, response) => {
      response.statusCode = status;
      response.end(status === 200 ? "fine" : "broken");
    });
    // 12:59:00 UTC: the six checks, 30 s apart, span three minutes and two hours.
    const start = Date.UTC(2024, 5, 10, 12, 59, 0);
    const { row } = addMonitor({ type: "http", url: `${target.url}/health`, intervalSeconds: 30, retries: 2, timeoutMs: 2_000 }, start - HOUR);
    const { clock, scheduler, log } = clockAt(start);

    // Seen for the first time: planned (random() = 0 → due now), not yet checked.
    expect(scheduler.tick()).toEqual([]);
    const statusAt = (at: number) => (at >= start + 30 * SECOND && at < start + 120 * SECOND ? 500 : 200);
    for (let n = 0; n < 6; n++) {
      clock.now = start + n * 30 * SECOND;
      if (n > 0) {
        // Just before it is due, nothing starts.
        clock.now -= 1;
        expect(scheduler.tick()).toEqual([]);
        clock.now += 1;
      }
      status = statusAt(clock.now);
      const started = scheduler.tick();
      expect(started).toHaveLength(1);
      await Promise.all(started);
      if (n === 1) expect(monitorRow(row.id)).toMatchObject({ state: "up", failures: 1, failingSince: start + 30 * SECOND });
      if (n === 2) expect(monitorRow(row.id)).toMatchObject({ state: "down", stateSince: start + 60 * SECOND });
    }
    await scheduler.stop();
    expect(log).toEqual([]);
    expect(target.requests).toEqual(Array(6).fill("/health"));

    const at = (n: number) => start + n * 30 * SECOND;
    expect(changesOf(row.id)).toEqual([
      { at: at(0), from: null, to: "up", failingSince: null, source: "check", message: "OK" },
      { at: at(2), from: "up", to: "down", failingSince: at(1), source: "check", message: "HTTP 500 Internal Server Error" },
      { at: at(4), from: "down", to: "up", failingSince: null, source: "check", message: "OK" },
    ]);
    // The same log as the pages read it.
    expect(stateChangesOf({ serviceId }, 0, FOREVER).map((c) => [c.monitorName, c.at, c.from, c.to])).toEqual([
      ["Monitor", at(0), null, "up"],
      ["Monitor", at(2), "up", "down"],
      ["Monitor", at(4), "down", "up"],
    ]);

    const raw = rawResults(row.id, 0, FOREVER);
    expect(raw.map(({ latencyMs: _latency, ...rest }) => rest)).toEqual([
      { at: at(0), ok: true, state: "up", message: "OK" },
      { at: at(1), ok: false, state: "up", message: "HTTP 500 Internal Server Error" },
      { at: at(2), ok: false, state: "down", message: "HTTP 500 Internal Server Error" },
      { at: at(3), ok: false, state: "down", message: "HTTP 500 Internal Server Error" },
      { at: at(4), ok: true, state: "up", message: "OK" },
      { at: at(5), ok: true, state: "up", message: "OK" },
    ]);
    for (const result of raw) expect(result.latencyMs).toBeGreaterThanOrEqual(0);

    const minute = (n: number) => start + n * MINUTE;
    const hour12 = Date.UTC(2024, 5, 10, 12);
    const hour13 = Date.UTC(2024, 5, 10, 13);
    expect(rollupsOf(row.id)).toEqual([
      expectedRollup("day", Date.UTC(2024, 5, 10), raw),
      expectedRollup("hour", hour12, raw.slice(0, 2)),
      expectedRollup("hour", hour13, raw.slice(2)),
      expectedRollup("minute", minute(0), raw.slice(0, 2)),
      expectedRollup("minute", minute(1), raw.slice(2, 4)),
      expectedRollup("minute", minute(2), raw.slice(4)),
    ]);
    // Spelled out for the day: four checks counted up, two down, all six with a latency.
    expect(rollupsOf(row.id)[0]).toMatchObject({ up: 4, degraded: 0, down: 2, maintenance: 0, latencyCount: 6 });

    const end = at(5);
    const fourOfSix = (4 / 6) * 100;
    for (const period of ["24h", "7d", "30d", "90d", "1y"] as const) {
      const result = uptime([row.id], period, end);
      expect(result.counts).toEqual({ up: 4, degraded: 0, down: 2, maintenance: 0 });
      expect(result.percent).toBeCloseTo(fourOfSix, 10);
    }
    // A day and an hour later the last 24 hours hold no checks; a week still does.
    expect(uptime([row.id], "24h", end + DAY + HOUR).percent).toBeNull();
    expect(uptime([row.id], "7d", end + DAY + HOUR).percent).toBeCloseTo(fourOfSix, 10);

    expect(stateBands([row.id], at(0), at(6))).toEqual([
      { from: at(0), to: at(2), state: "up" },
      { from: at(2), to: at(4), state: "down" },
      { from: at(4), to: at(6), state: "up" },
    ]);
    const bar = dailyBar([row.id], 2, end);
    expect(bar.map((cell) => [cell.day, cell.state, cell.counts.up, cell.counts.down])).toEqual([
      [Date.UTC(2024, 5, 9), null, 0, 0],
      [Date.UTC(2024, 5, 10), "down", 4, 2],
    ]);
    expect(bar[1].uptime).toBeCloseTo(fourOfSix, 10);

    expect(monitorRow(row.id)).toMatchObject({ state: "up", stateSince: at(4), failures: 0, failingSince: null, lastCheckAt: at(5), lastMessage: "OK" });
  });
});

describe("a monitor in maintenance", () => {
  it("is still checked, and its checks count as maintenance, not against uptime", async () => {
    const target = await httpServer((_request, response) => {
      response.statusCode = 503;
      response.end("down for maintenance");
    });
    const start = Date.UTC(2024, 5, 10, 7, 0, 0);
    const { row } = addMonitor({ type: "http", url: `${target.url}/`, mode: "maintenance", intervalSeconds: 30 }, start);
    const { clock, scheduler, log } = clockAt(start);
    scheduler.tick();
    for (const seconds of [0, 30, 60]) {
      clock.now = start + seconds * SECOND;
      await Promise.all(scheduler.tick());
    }
    await scheduler.stop();
    expect(log).toEqual([]);
    expect(target.requests).toHaveLength(3);
    expect(rawResults(row.id, 0, FOREVER).map((r) => [r.ok, r.state])).toEqual(Array(3).fill([false, "maintenance"]));
    expect(uptime([row.id], "24h", start + MINUTE)).toEqual({ percent: null, counts: { up: 0, degraded: 0, down: 0, maintenance: 3 } });
    expect(monitorRow(row.id)).toMatchObject({ state: "maintenance", failures: 0 });
    expect(changesOf(row.id)).toEqual([]);
  });
});

// ---- 2. TCP ----

describe("a TCP monitor", () => {
  it("fails against a closed port with a message naming it, and passes against an open one", async () => {
    const port = await closedPort();
    const closed = addMonitor({ type: "tcp", host: "127.0.0.1", port, timeoutMs: 2_000 }).row;
    const failed = await runCheck(closed);
    expect(failed.ok).toBe(false);
    expect(failed.message).toBe(`ECONNREFUSED connecting to 127.0.0.1:${port}`);

    // A listener that never answers is still an open port: TCP checks only connect.
    const listener = await silentServer();
    const open = addMonitor({ type: "tcp", host: "127.0.0.1", port: listener.port, timeoutMs: 2_000 }).row;
    expect(await runCheck(open)).toMatchObject({ ok: true, message: "OK" });
    expect(listener.connections()).toBe(1);

    // An HTTP monitor against the closed port names it too.
    const http = addMonitor({ type: "http", url: `http://127.0.0.1:${port}/`, timeoutMs: 2_000 }).row;
    const refused = await runCheck(http);
    expect(refused).toMatchObject({ ok: false, latencyMs: null });
    expect(refused.message).toContain(`127.0.0.1:${port}`);
  });
});

// ---- 3. push heartbeats ----

describe("a push monitor", () => {
  it("is kept up by heartbeats, missed heartbeats after interval + grace take it down after its retries, and a heartbeat brings it back", async () => {
    // The scheduler's clock runs half an hour behind the wall clock, so the last heartbeat,
    // sent through the real route at wall-clock time, comes after every missed one.
    const start = Math.floor((Date.now() - 30 * MINUTE) / MINUTE) * MINUTE;
    const { row, pushToken } = addMonitor({ type: "push", intervalSeconds: 60, graceSeconds: 30, retries: 2 }, start);
    expect(pushToken).toMatch(/^hp_/);
    const { clock, scheduler, log } = clockAt(start);
    const beat = (at: number) => ingestResults(row.id, [{ at, ok: true, latencyMs: null, message: "Heartbeat" }], "push", { now: at });
    const tickAt = (at: number) => {
      clock.now = at;
      expect(scheduler.tick()).toEqual([]); // push monitors are never checked, only watched
      return monitorRow(row.id);
    };
    const t = (seconds: number) => start + seconds * SECOND;

    expect(tickAt(t(5))).toMatchObject({ state: null, failures: 0 });
    expect(beat(t(10))?.state).toBe("up");
    expect(tickAt(t(60))).toMatchObject({ state: "up", failures: 0 });
    beat(t(70));
    // Due by 70 + 60 + 30 = 160 s: at 160 s nothing is missed yet, at 161 s one is.
    expect(tickAt(t(160))).toMatchObject({ state: "up", failures: 0 });
    expect(tickAt(t(161))).toMatchObject({ state: "up", failures: 1, failingSince: t(161), lastMessage: "No heartbeat for 91 s" });
    // After a miss, the next is due one interval later (no grace again).
    expect(tickAt(t(200))).toMatchObject({ state: "up", failures: 1 });
    expect(tickAt(t(221))).toMatchObject({ state: "up", failures: 1 });
    expect(tickAt(t(222))).toMatchObject({ state: "down", stateSince: t(222), failures: 2, failingSince: t(161) });
    expect(tickAt(t(240))).toMatchObject({ state: "down", failures: 2 });
    await scheduler.stop();
    expect(log).toEqual([]);

    const before = Date.now();
    const response = await callLoader(pushRoute.loader, `/api/push/${pushToken}`, { token: pushToken! });
    const after = Date.now();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, monitorId: row.id, recorded: true, state: "up" });

    const changes = changesOf(row.id);
    expect(changes.slice(0, 2)).toEqual([
      { at: t(10), from: null, to: "up", failingSince: null, source: "push", message: "Heartbeat" },
      // Silent since the heartbeat at 70 s, not since the first miss.
      { at: t(222), from: "up", to: "down", failingSince: t(161), source: "push", message: "No heartbeat for 152 s" },
    ]);
    expect(changes[2]).toMatchObject({ from: "down", to: "up", failingSince: null, source: "push", message: "Heartbeat" });
    expect(changes[2].at).toBeGreaterThanOrEqual(before);
    expect(changes[2].at).toBeLessThanOrEqual(after);
    expect(changes).toHaveLength(3);

    expect(rawResults(row.id, 0, FOREVER).map((r) => [r.at - start, r.ok, r.state])).toEqual([
      [10 * SECOND, true, "up"],
      [70 * SECOND, true, "up"],
      [161 * SECOND, false, "up"],
      [222 * SECOND, false, "down"],
      [changes[2].at - start, true, "up"],
    ]);
  });

  it("resumed after a pause, gets a full interval + grace for its first heartbeat", async () => {
    const start = Date.UTC(2024, 5, 10, 6, 0, 0);
    const fields = { type: "push", intervalSeconds: 60, graceSeconds: 30, retries: 2 };
    const { row } = addMonitor(fields, start);
    ingestResults(row.id, [{ at: start + 10 * SECOND, ok: true, latencyMs: null, message: "Heartbeat" }], "push", { now: start + 10 * SECOND });
    const setMode = (mode: string, at: number) => {
      const input = validateMonitor({ serviceId, name: "Monitor", ...fields, mode });
      if (!input.ok) throw new Error(JSON.stringify(input.errors));
      expect(updateMonitor(row.id, input.data, null, at).ok).toBe(true);
    };
    setMode("paused", start + 20 * SECOND);
    const resumed = start + DAY;
    setMode("active", resumed);

    const { clock, scheduler } = clockAt(resumed);
    for (const seconds of [1, 60, 90]) {
      clock.now = resumed + seconds * SECOND;
      scheduler.tick();
      expect(monitorRow(row.id)).toMatchObject({ state: null, failures: 0 });
    }
    clock.now = resumed + 91 * SECOND;
    scheduler.tick();
    expect(monitorRow(row.id)).toMatchObject({ failures: 1, failingSince: resumed + 91 * SECOND });
    await scheduler.stop();
  });

  it("a wrong token is refused and records nothing", async () => {
    const { row } = addMonitor({ type: "push", intervalSeconds: 60 });
    const response = await callLoader(pushRoute.loader, "/api/push/hp_wrong", { token: "hp_wrong" });
    expect(response.status).toBe(404);
    expect(rawResults(row.id, 0, FOREVER)).toEqual([]);
  });
});

// ---- 4. a target that never answers ----

describe("a target that accepts and never answers", () => {
  it("times out at the monitor's timeout without holding up other monitors, and is never checked twice at once", async () => {
    const hangingTarget = await silentServer();
    const healthy = await httpServer((_request, response) => response.end("ok"));
    const start = Date.UTC(2024, 5, 10, 8, 0, 0);
    const hanging = addMonitor({ type: "http", name: "Hanging", url: `http://127.0.0.1:${hangingTarget.port}/`, intervalSeconds: 10, timeoutMs: 1_500 }, start).row;
    const fast = addMonitor({ type: "http", name: "Fast", url: `${healthy.url}/`, intervalSeconds: 10, timeoutMs: 1_500 }, start).row;
    const { clock, scheduler, log } = clockAt(start);

    expect(scheduler.tick()).toEqual([]);
    const started = scheduler.tick();
    const ids = scheduler.inFlight;
    expect(started).toHaveLength(2);
    expect([...ids].sort()).toEqual([hanging.id, fast.id].sort());
    const finished: number[] = [];
    const tracked = started.map((run, i) => run.then(() => finished.push(ids[i])));

    await Promise.race(tracked);
    expect(finished).toEqual([fast.id]);
    expect(scheduler.inFlight).toEqual([hanging.id]);
    expect(rawResults(fast.id, 0, FOREVER)).toMatchObject([{ at: start, ok: true, state: "up", message: "OK" }]);
    expect(rawResults(hanging.id, 0, FOREVER)).toEqual([]);

    // "Check now" while a check is in flight joins it rather than starting a second one.
    const direct = scheduler.launch(monitorRow(hanging.id));
    expect(scheduler.inFlight).toEqual([hanging.id]);

    // The fast one is due again; the hanging one is overdue but still in flight, so it is left alone.
    clock.now = start + 10 * SECOND;
    const again = scheduler.tick();
    expect(again).toHaveLength(1);
    expect(scheduler.inFlight.filter((id) => id === hanging.id)).toHaveLength(1);
    await Promise.all(again);
    expect(rawResults(fast.id, 0, FOREVER)).toHaveLength(2);
    expect(hangingTarget.connections()).toBe(1);
    expect(scheduler.inFlight).toEqual([hanging.id]);

    await Promise.all([...tracked, direct]);
    expect(finished).toEqual([fast.id, hanging.id]);
    expect(hangingTarget.connections()).toBe(1);
    expect(scheduler.inFlight).toEqual([]);
    expect(rawResults(hanging.id, 0, FOREVER)).toEqual([{ at: start, ok: false, state: "down", latencyMs: null, message: "Timed out after 1500 ms" }]);
    expect(monitorRow(hanging.id)).toMatchObject({ failures: 1, lastMessage: "Timed out after 1500 ms" });
    expect(healthy.requests).toHaveLength(2);
    await scheduler.stop();
    expect(log).toEqual([]);
  });
});

// ---- 5. HTTP conditions ----

describe("HTTP conditions", () => {
  const document = { status: "ok", version: 3, checks: [{ name: "db", ok: true }, { name: "queue", ok: false }], nothing: null };
  let base = "";
  const slowMs = 600;

  beforeEach(async () => {
    if (base) return;
    const server = await httpServer((request, response) => {
      const path = request.url ?? "/";
      if (path === "/text") return response.end("service is healthy");
      if (path === "/json") {
        response.setHeader("Content-Type", "application/json");
        return response.end(JSON.stringify(document));
      }
      if (path === "/missing") {
        response.statusCode = 404;
        return response.end("no such page");
      }
      if (path === "/error") {
        response.statusCode = 500;
        return response.end("healthy? no");
      }
      if (path === "/slow") return setTimeout(() => response.end("service is healthy"), slowMs);
      if (path === "/huge-error") {
        response.statusCode = 500;
        return response.end("x".repeat(1_500_000));
      }
      if (path === "/huge") {
        // 1.5 MB, the word looked for at the very end.
        return response.end(`${"x".repeat(1_500_000)}needle`);
      }
      response.statusCode = 404;
      response.end();
    });
    base = server.url;
  });

  async function check(path: string, fields: Record<string, unknown> = {}) {
    return runCheck(addMonitor({ type: "http", url: `${base}${path}`, timeoutMs: 5_000, ...fields }).row);
  }

  it("body contains: passes when the text is there, fails naming it when not", async () => {
    expect(await check("/text", { bodyContains: "healthy" })).toMatchObject({ ok: true, message: "OK" });
    expect(await check("/text", { bodyContains: "broken" })).toMatchObject({ ok: false, message: 'HTTP 200, but the body does not contain "broken"' });
    // The status is checked before the body.
    expect(await check("/error", { bodyContains: "healthy" })).toMatchObject({ ok: false, message: "HTTP 500 Internal Server Error" });
  });

  it("JSON path: a value compared as text, a missing field, a false value, a body that is not JSON", async () => {
    expect(await check("/json", { jsonPath: "$.status", jsonExpected: "ok" })).toMatchObject({ ok: true });
    expect(await check("/json", { jsonPath: "$.version", jsonExpected: "3" })).toMatchObject({ ok: true });
    expect(await check("/json", { jsonPath: "$.checks[0].ok" })).toMatchObject({ ok: true });
    expect(await check("/json", { jsonPath: "$.status", jsonExpected: "degraded" })).toMatchObject({ ok: false, message: "$.status is not degraded" });
    expect(await check("/json", { jsonPath: "$.checks[1].ok" })).toMatchObject({ ok: false, message: "$.checks[1].ok is false" });
    expect(await check("/json", { jsonPath: "$.nothing" })).toMatchObject({ ok: false, message: "$.nothing is null" });
    expect(await check("/json", { jsonPath: "$.checks[5].ok" })).toMatchObject({ ok: false, message: "$.checks[5].ok is missing from the response" });
    expect(await check("/text", { jsonPath: "$.status" })).toMatchObject({ ok: false, message: "HTTP 200, but the body is not JSON" });
  });

  it("accepted status codes: a list of ranges and codes", async () => {
    expect(await check("/missing", { acceptedStatus: "200-299,404" })).toMatchObject({ ok: true });
    expect(await check("/text", { acceptedStatus: "200-299,404" })).toMatchObject({ ok: true });
    expect(await check("/error", { acceptedStatus: "200-299,404" })).toMatchObject({ ok: false, message: "HTTP 500 Internal Server Error" });
    expect(await check("/missing")).toMatchObject({ ok: false, message: "HTTP 404 Not Found" });
  });

  it("a slow answer is degraded, and a fast one brings the monitor back up", async () => {
    const slow = addMonitor({ type: "http", url: `${base}/slow`, timeoutMs: 5_000, degradedMs: slowMs / 2 }).row;
    const result = await runCheck(slow);
    expect(result.ok).toBe(true);
    expect(result.latencyMs).toBeGreaterThan(slowMs / 2);
    const start = Date.UTC(2024, 5, 10, 9, 0, 0);
    expect(ingestResults(slow.id, [{ ...result, at: start }], "check", { now: start })?.state).toBe("degraded");
    expect(rawResults(slow.id, 0, FOREVER)).toMatchObject([{ ok: true, state: "degraded" }]);
    expect(uptime([slow.id], "24h", start).percent).toBe(100); // slow is still available

    // The same monitor pointed at a fast page (as if the slowness passed).
    getDb().update(monitors).set({ url: `${base}/text` }).where(eq(monitors.id, slow.id)).run();
    const fast = await runCheck(monitorRow(slow.id));
    ingestResults(slow.id, [{ ...fast, at: start + MINUTE }], "check", { now: start + MINUTE });
    expect(changesOf(slow.id).map((c) => [c.from, c.to])).toEqual([
      [null, "degraded"],
      ["degraded", "up"],
    ]);
  });

  it("a body over 1 MB fails cleanly when it must be read, and is not read when only the status matters", async () => {
    const needsBody = await check("/huge", { bodyContains: "needle" });
    expect(needsBody).toMatchObject({ ok: false, latencyMs: null, message: "Response body is larger than 1,000,000 bytes" });
    expect(await check("/huge")).toMatchObject({ ok: true, message: "OK" });
    // A refused status is reported as such, whatever the size of the error page.
    expect(await check("/huge-error", { bodyContains: "needle" })).toMatchObject({ ok: false, message: "HTTP 500 Internal Server Error" });
    // The server is still fine afterwards.
    expect(await check("/text", { bodyContains: "healthy" })).toMatchObject({ ok: true });
  });
});

// ---- 6. rollups: mergeable, retention, pruning ----

/** A day of checks every 20 s across an hour boundary, failing in runs, with varied latency. */
function syntheticResults(start: number, count: number): CheckResultInput[] {
  return Array.from({ length: count }, (_, n) => {
    const ok = !(n % 17 >= 11 && n % 17 <= 14); // runs of four failures
    return { at: start + n * 20 * SECOND, ok, latencyMs: ok ? 20 + ((n * 37) % 90) : n % 2 ? null : 1_000, message: ok ? "OK" : "HTTP 502 Bad Gateway" };
  });
}

describe("rollups", () => {
  const retentionOf: Retention = { rawMs: 7 * DAY, minuteMs: 30 * DAY };

  it("are the same whether results arrive in one batch or in two (the second out of order)", () => {
    const start = Date.UTC(2024, 5, 10, 10, 50, 0);
    const results = syntheticResults(start, 100);
    const now = start + DAY;
    const once = addMonitor({ type: "http", name: "Once", url: "https://example.com/" }, start).row;
    const twice = addMonitor({ type: "http", name: "Twice", url: "https://example.com/" }, start).row;

    ingestResults(once.id, results, "check", { now, retention: retentionOf });
    ingestResults(twice.id, results.slice(0, 43), "check", { now, retention: retentionOf });
    ingestResults(twice.id, results.slice(43).reverse(), "check", { now, retention: retentionOf });

    expect(rollupsOf(twice.id)).toEqual(rollupsOf(once.id));
    expect(rawResults(twice.id, 0, FOREVER)).toEqual(rawResults(once.id, 0, FOREVER));
    expect(changesOf(twice.id)).toEqual(changesOf(once.id));
    const statusOf = (row: MonitorRow) => [row.state, row.stateSince, row.failures, row.failingSince, row.lastCheckAt];
    expect(statusOf(monitorRow(twice.id))).toEqual(statusOf(monitorRow(once.id)));

    // And they hold what the raw results say: every check once per level.
    const raw = rawResults(once.id, 0, FOREVER);
    const rollups = rollupsOf(once.id);
    const hourStart = Date.UTC(2024, 5, 10, 11);
    expect(rollups.filter((r) => r.resolution === "day")).toEqual([expectedRollup("day", Date.UTC(2024, 5, 10), raw)]);
    expect(rollups.filter((r) => r.resolution === "hour")).toEqual([
      expectedRollup("hour", Date.UTC(2024, 5, 10, 10), raw.filter((r) => r.at < hourStart)),
      expectedRollup("hour", hourStart, raw.filter((r) => r.at >= hourStart)),
    ]);
    const minutes = rollups.filter((r) => r.resolution === "minute");
    expect(minutes).toHaveLength(Math.ceil((100 * 20) / 60));
    for (const bucket of minutes) expect(bucket).toEqual(expectedRollup("minute", bucket.bucket, raw.filter((r) => r.at >= bucket.bucket && r.at < bucket.bucket + MINUTE)));
    // Two monitors read together add up.
    const both = uptime([once.id, twice.id], "7d", start + HOUR);
    const single = uptime([once.id], "7d", start + HOUR);
    expect(both.counts.down).toBe(2 * single.counts.down);
    expect(both.percent).toBeCloseTo(single.percent!, 10);
  });

  it("results older than raw retention write no raw row but still count in hour and day rollups (and minute ones within theirs)", () => {
    const now = Date.UTC(2024, 6, 1, 12, 0, 0);
    const { row } = addMonitor({ type: "http", url: "https://example.com/" }, now - 60 * DAY);
    const old = now - 40 * DAY; // past raw and minute retention
    const week = now - 10 * DAY; // past raw retention only
    const recent = now - HOUR;
    ingestResults(
      row.id,
      [
        { at: old, ok: true, latencyMs: 10 },
        { at: week, ok: true, latencyMs: 30 },
        { at: recent, ok: true, latencyMs: 50 },
      ],
      "check",
      { now, retention: retentionOf },
    );
    expect(rawResults(row.id, 0, FOREVER).map((r) => r.at)).toEqual([recent]);
    const rollups = rollupsOf(row.id);
    expect(rollups.filter((r) => r.resolution === "minute").map((r) => r.bucket)).toEqual([week, recent]);
    expect(rollups.filter((r) => r.resolution === "hour").map((r) => [r.bucket, r.up, r.latencySum])).toEqual([
      [old, 1, 10],
      [week, 1, 30],
      [recent, 1, 50],
    ]);
    expect(rollups.filter((r) => r.resolution === "day").map((r) => [r.bucket, r.up])).toEqual([
      [Math.floor(old / DAY) * DAY, 1],
      [Math.floor(week / DAY) * DAY, 1],
      [Math.floor(recent / DAY) * DAY, 1],
    ]);
    expect(uptime([row.id], "90d", now).counts.up).toBe(3);
    expect(uptime([row.id], "30d", now).counts.up).toBe(2);
  });

  it("pruning deletes old raw results and minute rollups in batches, letting other work in between, and keeps hours and days", async () => {
    const now = Date.UTC(2024, 6, 1, 12, 0, 0);
    const { row } = addMonitor({ type: "http", url: "https://example.com/" }, now - 60 * DAY);
    // 25 checks 40 days ago, written while they were recent; 5 in the last hour.
    const old = syntheticResults(now - 40 * DAY, 25).map((r) => ({ ...r, ok: true }));
    ingestResults(row.id, old, "check", { now: old[old.length - 1].at, retention: retentionOf });
    const recent = Array.from({ length: 5 }, (_, n) => ({ at: now - HOUR + n * MINUTE, ok: true, latencyMs: 15 }));
    ingestResults(row.id, recent, "check", { now, retention: retentionOf });
    const minuteBuckets = () => rollupsOf(row.id).filter((r) => r.resolution === "minute").length;
    expect(rawResults(row.id, 0, FOREVER)).toHaveLength(30);
    expect(minuteBuckets()).toBe(9 + 5); // 25 checks 20 s apart span 9 minutes

    const pruning = pruneHealth({ now, retention: retentionOf, batch: 10 });
    // The first batch is gone; the rest waits for the next turn of the event loop.
    expect(rawResults(row.id, 0, FOREVER)).toHaveLength(20);
    expect(await pruning).toBe(25 + 9);

    expect(rawResults(row.id, 0, FOREVER).map((r) => r.at)).toEqual(recent.map((r) => r.at));
    expect(minuteBuckets()).toBe(5);
    expect(uptime([row.id], "90d", now).counts.up).toBe(30);
    expect(await pruneHealth({ now, retention: retentionOf, batch: 10 })).toBe(0);
    // Raw rows of other monitors are counted separately: nothing else was touched.
    expect(getDb().select().from(checkResults).all()).toHaveLength(5);
  });

  it("a late result (a delayed heartbeat) counts in history as what it was and leaves the current state alone", () => {
    const now = Date.UTC(2024, 6, 1, 12, 0, 0);
    const { row } = addMonitor({ type: "push", intervalSeconds: 60, retries: 1 }, now - HOUR);
    ingestResults(row.id, [{ at: now - 2 * MINUTE, ok: true, latencyMs: 20 }, { at: now - MINUTE, ok: true, latencyMs: 30 }], "push", { now });
    // Arrives after the 12:59 heartbeat, but happened at 12:58:30.
    const summary = ingestResults(row.id, [{ at: now - 90 * SECOND, ok: false, latencyMs: null, message: "late failure" }], "push", { now });
    expect(summary).toEqual({ recorded: 1, changes: [], state: "up" });
    expect(monitorRow(row.id)).toMatchObject({ state: "up", failures: 0, lastCheckAt: now - MINUTE });
    expect(rawResults(row.id, 0, FOREVER).map((r) => [r.at - now, r.ok, r.state])).toEqual([
      [-2 * MINUTE, true, "up"],
      [-90 * SECOND, false, "down"],
      [-MINUTE, true, "up"],
    ]);
    expect(uptime([row.id], "24h", now).counts).toEqual({ up: 2, degraded: 0, down: 1, maintenance: 0 });
    expect(changesOf(row.id).map((c) => c.to)).toEqual(["up"]);
  });

  it("a service says what it is now only from fresh checks: stale results (checks off, example data) show no data", () => {
    const now = Date.now();
    const { row } = addMonitor({ type: "http", url: "https://example.com/", intervalSeconds: 60 }, now - HOUR);
    ingestResults(row.id, [{ at: now - 2 * MINUTE, ok: true, latencyMs: 20 }], "check", { now });
    expect(currentState(monitorRow(row.id), now)).toBe("up");
    // Three intervals, but at least five minutes, without a check: nothing can be said.
    expect(currentState(monitorRow(row.id), now + 3 * MINUTE)).toBe("up");
    expect(currentState(monitorRow(row.id), now + 4 * MINUTE)).toBeNull();
    expect(currentState({ ...monitorRow(row.id), mode: "paused" }, now + HOUR)).toBe("paused");
    expect(currentState({ ...monitorRow(row.id), type: "alert", state: "down" }, now + DAY)).toBe("down");
    expect(getService(serviceId)!.monitors.find((m) => m.id === row.id)!.currentState).toBe("up");
  });
});

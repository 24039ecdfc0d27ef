// Writing health history: check results go through the state machine, then into raw
// results (within retention), minute/hour/day rollups (upserted, mergeable) and, when
// the state moved, the permanent state-change log. One transaction per batch.
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";

import { getDb, type Db } from "~/db/client.server";
import { checkResults, monitors, stateChanges, type MonitorRow } from "~/db/schema";
import { RESOLUTION_MS, type HealthState, type RollupResolution, type StateChangeSource } from "~/lib/health-vocabulary";

import { step, type MonitorStatus } from "./state-machine";

export type CheckResultInput = { at: number; ok: boolean; latencyMs: number | null; message?: string | null };

/** How long each level of detail is kept: raw results and minute rollups are pruned, hours and days stay. */
export type Retention = { rawMs: number; minuteMs: number };

export function retention(env: NodeJS.ProcessEnv = process.env): Retention {
  // Checked at start by readConfig (app/lib/config.server.ts); read here so tests can vary it.
  const rawDays = Number(env.HEALTH_RAW_DAYS || 7);
  return {
    rawMs: (Number.isFinite(rawDays) && rawDays > 0 ? rawDays : 7) * RESOLUTION_MS.day,
    minuteMs: 30 * RESOLUTION_MS.day,
  };
}

type RollupDelta = {
  monitorId: number;
  resolution: RollupResolution;
  bucket: number;
  up: number;
  degraded: number;
  down: number;
  maintenance: number;
  latencyCount: number;
  latencySum: number;
  latencyMin: number | null;
  latencyMax: number | null;
};

const COUNTED: Partial<Record<HealthState, "up" | "degraded" | "down" | "maintenance">> = {
  up: "up",
  degraded: "degraded",
  down: "down",
  maintenance: "maintenance",
};

function addToRollups(deltas: Map<string, RollupDelta>, monitorId: number, at: number, state: HealthState, latencyMs: number | null, oldest: Record<RollupResolution, number>) {
  const column = COUNTED[state];
  if (!column) return;
  for (const resolution of ["minute", "hour", "day"] as const) {
    if (at < oldest[resolution]) continue;
    const size = RESOLUTION_MS[resolution];
    const bucket = Math.floor(at / size) * size;
    const key = `${resolution}:${bucket}`;
    let delta = deltas.get(key);
    if (!delta) {
      delta = { monitorId, resolution, bucket, up: 0, degraded: 0, down: 0, maintenance: 0, latencyCount: 0, latencySum: 0, latencyMin: null, latencyMax: null };
      deltas.set(key, delta);
    }
    delta[column] += 1;
    if (latencyMs != null) {
      delta.latencyCount += 1;
      delta.latencySum += latencyMs;
      delta.latencyMin = delta.latencyMin === null ? latencyMs : Math.min(delta.latencyMin, latencyMs);
      delta.latencyMax = delta.latencyMax === null ? latencyMs : Math.max(delta.latencyMax, latencyMs);
    }
  }
}

const UPSERT_ROLLUP = `insert into health_rollups
  (monitor_id, resolution, bucket, up, degraded, down, maintenance, latency_count, latency_sum, latency_min, latency_max)
  values (@monitorId, @resolution, @bucket, @up, @degraded, @down, @maintenance, @latencyCount, @latencySum, @latencyMin, @latencyMax)
  on conflict (monitor_id, resolution, bucket) do update set
    up = up + excluded.up,
    degraded = degraded + excluded.degraded,
    down = down + excluded.down,
    maintenance = maintenance + excluded.maintenance,
    latency_count = latency_count + excluded.latency_count,
    latency_sum = latency_sum + excluded.latency_sum,
    latency_min = min(coalesce(latency_min, excluded.latency_min), coalesce(excluded.latency_min, latency_min)),
    latency_max = max(coalesce(latency_max, excluded.latency_max), coalesce(excluded.latency_max, latency_max))`;

const INSERT_RESULT = `insert into check_results (monitor_id, at, ok, state, latency_ms, message) values (?, ?, ?, ?, ?, ?)`;

const UPDATE_STATUS = `update monitors set state = ?, state_since = ?, failures = ?, failing_since = ?, last_check_at = ?, last_latency_ms = ?, last_message = ? where id = ?`;

function prepareStatements(db: Db) {
  return {
    monitor: db.select().from(monitors).where(eq(monitors.id, sql.placeholder("id"))).prepare(),
    insertResult: db.$client.prepare(INSERT_RESULT),
    upsertRollup: db.$client.prepare(UPSERT_ROLLUP),
    updateStatus: db.$client.prepare(UPDATE_STATUS),
  };
}

/** The statements of every batch, prepared once per connection (building them cost more than a one-result batch). */
const preparedStatements = new WeakMap<Db["$client"], ReturnType<typeof prepareStatements>>();

function statements(db: Db) {
  let prepared = preparedStatements.get(db.$client);
  if (!prepared) {
    prepared = prepareStatements(db);
    preparedStatements.set(db.$client, prepared);
  }
  return prepared;
}

function statusOf(monitor: MonitorRow): MonitorStatus {
  return { state: monitor.state, stateSince: monitor.stateSince, failures: monitor.failures, failingSince: monitor.failingSince };
}

export type IngestSummary = { recorded: number; changes: { at: number; from: HealthState | null; to: HealthState }[]; state: HealthState | null };

/**
 * Records check results of one monitor, oldest first, in one transaction. Results older
 * than a level's retention skip that level (a year of history can be loaded in one go
 * without writing rows that pruning would delete at once).
 */
export function ingestResults(
  monitorId: number,
  results: CheckResultInput[],
  source: StateChangeSource = "check",
  options: { now?: number; retention?: Retention } = {},
): IngestSummary | null {
  const db = getDb();
  const now = options.now ?? Date.now();
  const keep = options.retention ?? retention();
  const oldest: Record<RollupResolution, number> = { minute: now - keep.minuteMs, hour: -Infinity, day: -Infinity };
  const rawOldest = now - keep.rawMs;
  const { monitor: selectMonitor, insertResult, upsertRollup, updateStatus } = statements(db);

  return db.transaction((tx) => {
    const monitor = selectMonitor.get({ id: monitorId });
    if (!monitor) return null;
    if (monitor.mode === "paused") return { recorded: 0, changes: [], state: monitor.state };
    let status = statusOf(monitor);
    const deltas = new Map<string, RollupDelta>();
    const changes: IngestSummary["changes"] = [];
    let last: CheckResultInput | null = null;
    const sorted = results.length > 1 && results.some((r, i) => i > 0 && r.at < results[i - 1].at) ? [...results].sort((a, b) => a.at - b.at) : results;
    const latest = monitor.lastCheckAt ?? -Infinity;
    for (const result of sorted) {
      if (result.at < latest) {
        // A late result (a delayed heartbeat, a back-fill) is history, not news: it counts in
        // raw results and rollups as what it was, and leaves the current state alone.
        const own = monitor.mode === "maintenance" ? "maintenance" : !result.ok ? "down" : monitor.degradedMs != null && result.latencyMs != null && result.latencyMs > monitor.degradedMs ? "degraded" : "up";
        if (result.at >= rawOldest) insertResult.run(monitorId, result.at, result.ok ? 1 : 0, own, result.latencyMs, result.message ?? null);
        addToRollups(deltas, monitorId, result.at, own, result.latencyMs, oldest);
        continue;
      }
      const outcome = step(status, monitor, { at: result.at, ok: result.ok, latencyMs: result.latencyMs });
      status = outcome.status;
      if (result.at >= rawOldest) {
        insertResult.run(monitorId, result.at, result.ok ? 1 : 0, outcome.recorded, result.latencyMs, result.message ?? null);
      }
      addToRollups(deltas, monitorId, result.at, outcome.recorded, result.latencyMs, oldest);
      if (outcome.change) {
        changes.push({ at: outcome.change.at, from: outcome.change.from, to: outcome.change.to });
        tx.insert(stateChanges)
          .values({
            monitorId,
            serviceId: monitor.serviceId,
            at: outcome.change.at,
            fromState: outcome.change.from,
            toState: outcome.change.to,
            failingSince: outcome.change.failingSince,
            source,
            message:
              outcome.change.to === "degraded" && monitor.degradedMs != null && result.latencyMs != null
                ? `Slow: ${result.latencyMs} ms, above the ${monitor.degradedMs} ms threshold`
                : (result.message ?? ""),
          })
          .run();
      }
      last = result;
    }
    for (const delta of deltas.values()) upsertRollup.run(delta);
    if (last) {
      updateStatus.run(status.state, status.stateSince, status.failures, status.failingSince, last.at, last.latencyMs, last.message ?? null, monitorId);
    }
    return { recorded: sorted.length, changes, state: status.state };
  });
}

/** A state set by hand or by an alert (no check result): logged as a change when it differs. */
export function setMonitorState(
  monitorId: number,
  to: HealthState,
  source: StateChangeSource,
  message: string,
  at = Date.now(),
): boolean {
  const db = getDb();
  return db.transaction((tx) => {
    const monitor = tx.select().from(monitors).where(eq(monitors.id, monitorId)).get();
    if (!monitor || monitor.state === to) return false;
    tx.insert(stateChanges)
      .values({ monitorId, serviceId: monitor.serviceId, at, fromState: monitor.state, toState: to, failingSince: to === "down" ? at : null, source, message })
      .run();
    tx.update(monitors)
      .set({ state: to, stateSince: at, failures: 0, failingSince: null, lastMessage: message || monitor.lastMessage })
      .where(eq(monitors.id, monitorId))
      .run();
    return true;
  });
}

/**
 * Deletes raw results and minute rollups past retention, `batch` rows at a time, so a
 * large backlog never holds the write lock long. Returns the rows deleted.
 */
export async function pruneHealth(options: { now?: number; retention?: Retention; batch?: number } = {}): Promise<number> {
  const now = options.now ?? Date.now();
  const keep = options.retention ?? retention();
  const batch = options.batch ?? 2_000;
  const sqlite = getDb().$client;
  const rawCut = now - keep.rawMs;
  const minuteCut = now - keep.minuteMs;
  const deleteRaw = sqlite.prepare(`delete from check_results where id in (select id from check_results where at < ? order by at limit ?)`);
  const deleteMinutes = sqlite.prepare(
    `delete from health_rollups where resolution = 'minute' and (monitor_id, bucket) in
      (select monitor_id, bucket from health_rollups where resolution = 'minute' and bucket < ? limit ?)`,
  );
  let total = 0;
  for (const [statement, cut] of [[deleteRaw, rawCut], [deleteMinutes, minuteCut]] as const) {
    for (;;) {
      const { changes } = statement.run(cut, batch);
      total += changes;
      if (changes < batch) break;
      // Let requests in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return total;
}

/** The raw results of one monitor in [from, to), oldest first. */
export function rawResults(monitorId: number, from: number, to: number) {
  return getDb()
    .select({ at: checkResults.at, ok: checkResults.ok, state: checkResults.state, latencyMs: checkResults.latencyMs, message: checkResults.message })
    .from(checkResults)
    .where(and(eq(checkResults.monitorId, monitorId), lt(checkResults.at, to), gte(checkResults.at, from)))
    .orderBy(asc(checkResults.at))
    .all();
}

// Reading health history: uptime, the 90-day bar, latency series and state changes all
// come from rollups and the state-change log, so a year of data reads as fast as a day.
import { and, asc, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { checkResults, healthRollups, monitors, stateChanges } from "~/db/schema";
import {
  RESOLUTION_MS,
  uptimePercent,
  worstState,
  type HealthState,
  type RollupResolution,
  type StateChangeSource,
} from "~/lib/health-vocabulary";

import { retention } from "./store.server";

export type Counts = { up: number; degraded: number; down: number; maintenance: number };
export type Bucket = Counts & { at: number; latencyAvgMs: number | null; latencyMinMs: number | null; latencyMaxMs: number | null };
export type RawPoint = { at: number; ok: boolean; state: HealthState; latencyMs: number | null; message: string | null };
export type StateChangeView = {
  id: number;
  monitorId: number;
  monitorName: string;
  at: number;
  from: HealthState | null;
  to: HealthState;
  failingSince: number | null;
  source: StateChangeSource;
  message: string;
};

const DAY = RESOLUTION_MS.day;
const HOUR = RESOLUTION_MS.hour;

function floorTo(at: number, size: number) {
  return Math.floor(at / size) * size;
}

function sumCounts(monitorIds: number[], resolution: RollupResolution, from: number, to: number): Counts {
  if (monitorIds.length === 0) return { up: 0, degraded: 0, down: 0, maintenance: 0 };
  const row = getDb()
    .select({
      up: sql<number>`coalesce(sum(${healthRollups.up}), 0)`,
      degraded: sql<number>`coalesce(sum(${healthRollups.degraded}), 0)`,
      down: sql<number>`coalesce(sum(${healthRollups.down}), 0)`,
      maintenance: sql<number>`coalesce(sum(${healthRollups.maintenance}), 0)`,
    })
    .from(healthRollups)
    .where(
      and(
        inArray(healthRollups.monitorId, monitorIds),
        eq(healthRollups.resolution, resolution),
        gte(healthRollups.bucket, from),
        lt(healthRollups.bucket, to),
      ),
    )
    .get();
  return row ?? { up: 0, degraded: 0, down: 0, maintenance: 0 };
}

export const UPTIME_PERIODS = [
  { key: "24h", label: "24 hours", days: 1 },
  { key: "7d", label: "7 days", days: 7 },
  { key: "30d", label: "30 days", days: 30 },
  { key: "90d", label: "90 days", days: 90 },
  { key: "1y", label: "1 year", days: 365 },
] as const;
export type UptimePeriod = (typeof UPTIME_PERIODS)[number]["key"];

/**
 * Uptime % of the checks of these monitors over a period ending `now` (null: no checks).
 * Up to 7 days it counts whole hours (the current hour included); longer periods count
 * whole UTC days (today included), so a year is at most 366 rows per monitor.
 */
export function uptime(monitorIds: number[], period: UptimePeriod, now = Date.now()): { percent: number | null; counts: Counts } {
  const days = UPTIME_PERIODS.find((p) => p.key === period)!.days;
  const counts =
    days <= 7
      ? sumCounts(monitorIds, "hour", floorTo(now, HOUR) - (days * 24 - 1) * HOUR, floorTo(now, HOUR) + HOUR)
      : sumCounts(monitorIds, "day", floorTo(now, DAY) - (days - 1) * DAY, floorTo(now, DAY) + DAY);
  return { percent: uptimePercent(counts), counts };
}

/** Buckets of these monitors merged per bucket (counts summed, latency averaged over all checks). */
export function buckets(monitorIds: number[], resolution: RollupResolution, from: number, to: number): Bucket[] {
  if (monitorIds.length === 0) return [];
  return getDb()
    .select({
      at: healthRollups.bucket,
      up: sql<number>`sum(${healthRollups.up})`,
      degraded: sql<number>`sum(${healthRollups.degraded})`,
      down: sql<number>`sum(${healthRollups.down})`,
      maintenance: sql<number>`sum(${healthRollups.maintenance})`,
      latencyAvgMs: sql<number | null>`case when sum(${healthRollups.latencyCount}) > 0 then round(1.0 * sum(${healthRollups.latencySum}) / sum(${healthRollups.latencyCount}), 1) end`,
      latencyMinMs: sql<number | null>`min(${healthRollups.latencyMin})`,
      latencyMaxMs: sql<number | null>`max(${healthRollups.latencyMax})`,
    })
    .from(healthRollups)
    .where(
      and(
        inArray(healthRollups.monitorId, monitorIds),
        eq(healthRollups.resolution, resolution),
        gte(healthRollups.bucket, floorTo(from, RESOLUTION_MS[resolution])),
        lt(healthRollups.bucket, to),
      ),
    )
    .groupBy(healthRollups.bucket)
    .orderBy(asc(healthRollups.bucket))
    .all();
}

/** Raw results of these monitors in [from, to), oldest first. */
export function rawPoints(monitorIds: number[], from: number, to: number): (RawPoint & { monitorId: number })[] {
  if (monitorIds.length === 0) return [];
  return getDb()
    .select({
      monitorId: checkResults.monitorId,
      at: checkResults.at,
      ok: checkResults.ok,
      state: checkResults.state,
      latencyMs: checkResults.latencyMs,
      message: checkResults.message,
    })
    .from(checkResults)
    .where(and(inArray(checkResults.monitorId, monitorIds), gte(checkResults.at, from), lt(checkResults.at, to)))
    .orderBy(asc(checkResults.at), asc(checkResults.id))
    .all();
}

/** The finest resolution still kept for data starting at `from`. */
export function finestResolution(from: number, now = Date.now()): "raw" | RollupResolution {
  const keep = retention();
  if (from >= now - keep.rawMs) return "raw";
  if (from >= now - keep.minuteMs) return "minute";
  return "hour";
}

export function stateChangesOf(
  where: { serviceId?: number; monitorIds?: number[] },
  from: number,
  to: number,
  options: { limit?: number; newestFirst?: boolean } = {},
): StateChangeView[] {
  const filters = [gte(stateChanges.at, from), lt(stateChanges.at, to)];
  if (where.serviceId != null) filters.push(eq(stateChanges.serviceId, where.serviceId));
  if (where.monitorIds) filters.push(inArray(stateChanges.monitorId, where.monitorIds.length ? where.monitorIds : [-1]));
  const query = getDb()
    .select({
      id: stateChanges.id,
      monitorId: stateChanges.monitorId,
      monitorName: monitors.name,
      at: stateChanges.at,
      from: stateChanges.fromState,
      to: stateChanges.toState,
      failingSince: stateChanges.failingSince,
      source: stateChanges.source,
      message: stateChanges.message,
    })
    .from(stateChanges)
    .innerJoin(monitors, eq(monitors.id, stateChanges.monitorId))
    .where(and(...filters))
    .orderBy(options.newestFirst ? desc(stateChanges.at) : asc(stateChanges.at), options.newestFirst ? desc(stateChanges.id) : asc(stateChanges.id));
  return options.limit ? query.limit(options.limit).all() : query.all();
}

/** Each monitor's state just before `at` (its last change before then), for drawing bands that start mid-state. */
export function statesBefore(monitorIds: number[], at: number): Map<number, HealthState> {
  const result = new Map<number, HealthState>();
  if (monitorIds.length === 0) return result;
  const db = getDb();
  for (const monitorId of monitorIds) {
    const row = db
      .select({ to: stateChanges.toState })
      .from(stateChanges)
      .where(and(eq(stateChanges.monitorId, monitorId), lt(stateChanges.at, at)))
      .orderBy(desc(stateChanges.at), desc(stateChanges.id))
      .limit(1)
      .get();
    if (row) result.set(monitorId, row.to);
  }
  return result;
}

export type Band = { from: number; to: number; state: HealthState | null };

/**
 * The service's state over [from, to): at each moment the worst state of its monitors,
 * taken from the state-change log. Adjacent equal bands are merged.
 */
export function stateBands(monitorIds: number[], from: number, to: number, changes = stateChangesOf({ monitorIds }, from, to)): Band[] {
  const current = statesBefore(monitorIds, from);
  const bands: Band[] = [];
  let since = from;
  let state = worstState(current.values());
  const push = (until: number) => {
    if (until <= since) return;
    const last = bands[bands.length - 1];
    if (last && last.state === state && last.to === since) last.to = until;
    else bands.push({ from: since, to: until, state });
  };
  for (const change of changes) {
    push(change.at);
    since = Math.max(since, change.at);
    current.set(change.monitorId, change.to);
    state = worstState(current.values());
  }
  push(to);
  return bands;
}

export type DayCell = { day: number; state: HealthState | null; counts: Counts; uptime: number | null };

/**
 * The last `days` UTC days up to and including the day of `until`, each coloured by its
 * worst state: from the day rollups, and from alert monitors' state changes (alerts have no checks).
 */
export function dailyBar(monitorIds: number[], days: number, until = Date.now()): DayCell[] {
  const last = floorTo(until, DAY);
  const first = last - (days - 1) * DAY;
  const byDay = new Map(buckets(monitorIds, "day", first, last + DAY).map((bucket) => [bucket.at, bucket]));
  const alertIds = monitorIds.length
    ? getDb()
        .select({ id: monitors.id })
        .from(monitors)
        .where(and(inArray(monitors.id, monitorIds), eq(monitors.type, "alert")))
        .all()
        .map((row) => row.id)
    : [];
  const alertWorst = new Map<number, HealthState>();
  if (alertIds.length) {
    for (const band of stateBands(alertIds, first, last + DAY)) {
      if (band.state !== "down" && band.state !== "degraded") continue;
      for (let day = floorTo(band.from, DAY); day < band.to; day += DAY) {
        alertWorst.set(day, worstState([alertWorst.get(day), band.state])!);
      }
    }
  }
  const cells: DayCell[] = [];
  for (let day = first; day <= last; day += DAY) {
    const bucket = byDay.get(day);
    const counts = bucket ? { up: bucket.up, degraded: bucket.degraded, down: bucket.down, maintenance: bucket.maintenance } : { up: 0, degraded: 0, down: 0, maintenance: 0 };
    const fromChecks = counts.down ? "down" : counts.degraded ? "degraded" : counts.up ? "up" : counts.maintenance ? "maintenance" : null;
    cells.push({ day, state: worstState([fromChecks, alertWorst.get(day)]), counts, uptime: uptimePercent(counts) });
  }
  return cells;
}

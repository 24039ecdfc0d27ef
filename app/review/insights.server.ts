// Everything the Insights page shows, for a range of UTC days by incident start (see
// insights-range.ts). Medians need every value, so the incidents in range come back as rows of a
// few numbers and are summarised by metrics.ts; the actions' figures come from one pass in SQL
// (see "Queries of the page" below). Must stay well under 100 ms with 10,000 incidents and
// 40,000 actions (bench/review.ts).
import type Database from "better-sqlite3";

import { getDb, type Db } from "~/db/client.server";
import { SEVERITIES, type Severity } from "~/lib/vocabulary";
import { today as serverToday } from "~/models/actions.server";

import { DAY_MS, monthsOf, rangeMs, type InsightsRange } from "./insights-range";
import { DurationCollector, ImpactCollector, detectDuration, impactMinutes, resolveDuration, type DurationSummary, type ImpactSummary } from "./metrics";

export type { InsightsRange } from "./insights-range";

export type MonthRow = {
  /** "2026-01" */
  month: string;
  /** "Jan 2026" */
  label: string;
  /** The part of the month inside the range (for links to the incident list). */
  from: string;
  to: string;
  bySeverity: Record<Severity, number>;
  total: number;
  impact: ImpactSummary;
  timeToResolve: DurationSummary;
};

export type BreakdownRow = {
  /** null: incidents that name no service / have no category ("uncategorised"). */
  name: string | null;
  count: number;
  impact: ImpactSummary;
  timeToResolve: DurationSummary;
};

export type ActionMonthRow = { month: string; label: string; opened: number; closed: number; overdue: number };

export type InsightsData = {
  range: InsightsRange;
  /** The server's calendar date: an action due before it and still open is overdue (as in the tracker). */
  today: string;
  incidents: {
    total: number;
    /** Incidents whose start is unknown, placed by when they were recorded (as the incident list does). */
    withoutStart: number;
  };
  months: MonthRow[];
  timeToDetect: DurationSummary;
  timeToResolve: DurationSummary;
  impact: ImpactSummary;
  byService: BreakdownRow[];
  byCategory: BreakdownRow[];
  actions: {
    months: ActionMonthRow[];
    opened: number;
    closed: number;
    overdue: number;
    /** Days from created to completed of the actions closed (done) in the range. */
    daysToClose: DurationSummary;
    /** Of the incidents in range: how many have actions, how many of those have every action done or won't do. */
    incidentsWithActions: number;
    incidentsAllClosed: number;
    /** incidentsAllClosed / incidentsWithActions, or null when no incident has actions. */
    shareAllClosed: number | null;
    incidentsWithoutActions: number;
    /** Actions of the incidents in range still open or in progress. */
    pendingActions: number;
  };
};

// ---------------------------------------------------------------------------
// Queries of the page, prepared once per connection, reading as little as they can:
// - rows as arrays (raw), not objects: half the time for 10,000 incidents;
// - no GROUP BY over actions: SQLite has no hash aggregate, so grouping 40,000 actions by month
//   sorts them all, and three such sorts (plus joins to the wide incident rows to leave out
//   deleted incidents) were most of the page's time. One pass over the actions instead returns
//   compact JSON arrays (a day or month number per action, filtered in SQL) that JS counts into
//   months; deleted incidents are left out by id, from the indexes alone.

/**
 * Live incidents in [from, to) by their start, or when they were recorded for one whose start is
 * unknown (as the incident list places them): the expression of incidents_list_order_idx.
 */
const IN_RANGE = `deleted_at is null and coalesce(started_at, created_at) >= :from and coalesce(started_at, created_at) < :to`;
const PENDING = `a.status in ('open', 'in_progress')`;
const CLOSED_IN_RANGE = `a.status = 'done' and a.completed_at >= :from and a.completed_at < :to`;

const PAGE_SQL = {
  incidents: `select id, severity, started_at, detected_at, resolved_at, impact_percent, category, coalesce(started_at, created_at)
    from incidents where ${IN_RANGE}`,
  // Ids only (names come from the few services), as two arrays.
  incidentServices: `select json_group_array(isv.incident_id), json_group_array(isv.service_id)
    from incident_services isv join incidents on incidents.id = isv.incident_id
    where incidents.deleted_at is null and coalesce(incidents.started_at, incidents.created_at) >= :from
      and coalesce(incidents.started_at, incidents.created_at) < :to`,
  services: `select id, name from services`,
  // Counted from indexes (the partial index holds the live ones): no wide row is read.
  incidentCounts: `select (select count(*) from incidents), (select count(*) from incidents where deleted_at is null)`,
  // Every incident id but the live ones, also from indexes alone.
  deletedIncidents: `select json_group_array(id) from (select id from incidents except select id from incidents where deleted_at is null)`,
  actions: `select
      json_group_array(a.created_at / ${DAY_MS}) filter (where a.created_at >= :from and a.created_at < :to),
      json_group_array(a.completed_at) filter (where ${CLOSED_IN_RANGE}),
      json_group_array(a.completed_at - a.created_at) filter (where ${CLOSED_IN_RANGE}),
      json_group_array(cast(substr(a.due_date, 1, 4) as integer) * 12 + cast(substr(a.due_date, 6, 2) as integer) - 1)
        filter (where ${PENDING} and a.due_date >= :fromDate and a.due_date <= :toDate and a.due_date < :today),
      json_group_array(a.incident_id * 2 + (${PENDING}))
    from corrective_actions a
    where a.deleted_at is null and a.incident_id not in (select value from json_each(:deleted))`,
};

type Statements = { [K in keyof typeof PAGE_SQL]: Statement };
type Statement = Database.Statement<unknown[]>;
const prepared = new WeakMap<Db["$client"], Statements>();

function statements(db: Db): Statements {
  let found = prepared.get(db.$client);
  if (!found) {
    found = Object.fromEntries(Object.entries(PAGE_SQL).map(([name, text]) => [name, db.$client.prepare<unknown[]>(text).raw()])) as Statements;
    prepared.set(db.$client, found);
  }
  return found;
}

/** The month index of an instant among month starts (ascending), by bisection: no Date per row. */
function monthIndexOf(starts: readonly number[], ms: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= ms) low = middle;
    else high = middle - 1;
  }
  return low;
}

class Breakdown {
  count = 0;
  impact = new ImpactCollector();
  ttr = new DurationCollector();
  constructor(readonly name: string | null) {}
  add(figures: IncidentFigures) {
    this.count++;
    this.impact.add(figures.impact);
    this.ttr.add(figures.ttr);
  }
  row(): BreakdownRow {
    return { name: this.name, count: this.count, impact: this.impact.summary(), timeToResolve: this.ttr.summary() };
  }
}

type IncidentFigures = { impact: ReturnType<typeof impactMinutes>; ttr: ReturnType<typeof resolveDuration> };

/** Most incidents first; the unnamed group (no service / uncategorised) last among equals. */
function breakdownRows(groups: Map<string | null, Breakdown>): BreakdownRow[] {
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || (a.name === null ? 1 : b.name === null ? -1 : a.name.localeCompare(b.name)))
    .map((group) => group.row());
}

function group(groups: Map<string | null, Breakdown>, name: string | null): Breakdown {
  let found = groups.get(name);
  if (!found) {
    found = new Breakdown(name);
    groups.set(name, found);
  }
  return found;
}

type IncidentRowArray = [number, Severity, number | null, number | null, number | null, number | null, string | null, number];

export function insightsData({ from, to }: InsightsRange, now = Date.now()): InsightsData {
  const range = { from, to };
  const { fromMs, toMs } = rangeMs(range);
  const todayDate = serverToday(now);
  const db = getDb();
  const sqls = statements(db);
  const bounds = { from: fromMs, to: toMs };

  // One read transaction: every figure from the same state of the database.
  return db.$client.transaction(() => {
    const monthList = monthsOf(range);
    const monthStarts = monthList.map((month) => Date.parse(`${month.month}-01T00:00:00Z`));
    const months = monthList.map((month) => ({
      ...month,
      bySeverity: Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>,
      total: 0,
      impactCollector: new ImpactCollector(),
      ttrCollector: new DurationCollector(),
    }));
    const ttd = new DurationCollector();
    const ttr = new DurationCollector();
    const impact = new ImpactCollector();
    const byCategory = new Map<string | null, Breakdown>();
    const perIncident = new Map<number, IncidentFigures>();
    let withoutStart = 0;

    const rows = sqls.incidents.all(bounds) as IncidentRowArray[];
    for (const [id, severity, startedAt, detectedAt, resolvedAt, impactPercent, category, placedAt] of rows) {
      const times = { startedAt, detectedAt, resolvedAt, impactPercent };
      const figures: IncidentFigures = { impact: impactMinutes(times), ttr: resolveDuration(times) };
      const month = months[monthIndexOf(monthStarts, placedAt)];
      if (startedAt === null) withoutStart++;
      month.bySeverity[severity]++;
      month.total++;
      month.impactCollector.add(figures.impact);
      month.ttrCollector.add(figures.ttr);
      ttd.add(detectDuration(times));
      ttr.add(figures.ttr);
      impact.add(figures.impact);
      group(byCategory, category?.trim() || null).add(figures);
      perIncident.set(id, figures);
    }

    // An incident that touched two services counts under each; one that names none, under "no service".
    const byService = new Map<string | null, Breakdown>();
    const named = new Set<number>();
    const serviceNames = new Map(sqls.services.all() as [number, string][]);
    const [incidentIds, serviceIds] = (sqls.incidentServices.get(bounds) as string[]).map((text) => JSON.parse(text) as number[]);
    incidentIds.forEach((incidentId, index) => {
      group(byService, serviceNames.get(serviceIds[index])!).add(perIncident.get(incidentId)!);
      named.add(incidentId);
    });
    for (const [id, figures] of perIncident) if (!named.has(id)) group(byService, null).add(figures);

    // Corrective actions: each counted in the month of its own date, whichever incident it belongs to.
    const actionMonths = monthList.map((month) => ({ month: month.month, label: month.label, opened: 0, closed: 0, overdue: 0 }));
    const [all, live] = sqls.incidentCounts.get() as [number, number];
    const deleted = all === live ? "[]" : (sqls.deletedIncidents.get() as [string])[0];
    const [openedDays, closedAt, closedAfter, overdueMonths, incidentCodes] = (
      sqls.actions.get({ ...bounds, fromDate: range.from, toDate: range.to, today: todayDate, deleted }) as string[]
    ).map((text) => JSON.parse(text) as number[]);
    for (const day of openedDays) actionMonths[monthIndexOf(monthStarts, day * DAY_MS)].opened++;
    const daysToClose = new DurationCollector();
    closedAt.forEach((completedAt, index) => {
      actionMonths[monthIndexOf(monthStarts, completedAt)].closed++;
      const took = closedAfter[index];
      daysToClose.add(took < 0 ? { reason: "endBeforeStart" } : { ms: took / DAY_MS });
    });
    // Months as year × 12 + month − 1, counted from the range's first month.
    const firstMonth = Number(range.from.slice(0, 4)) * 12 + Number(range.from.slice(5, 7)) - 1;
    for (const month of overdueMonths) actionMonths[month - firstMonth].overdue++;
    // Of the incidents in range: which have actions, which have one still open; each code is id × 2 + pending.
    const withActions = new Set<number>();
    const withPending = new Set<number>();
    let pending = 0;
    for (const code of incidentCodes) {
      const id = code >> 1;
      if (!perIncident.has(id)) continue;
      withActions.add(id);
      if (code & 1) {
        withPending.add(id);
        pending++;
      }
    }
    const allClosed = withActions.size - withPending.size;

    const total = (key: "opened" | "closed" | "overdue") => actionMonths.reduce((sum, month) => sum + month[key], 0);
    return {
      range,
      today: todayDate,
      incidents: { total: rows.length, withoutStart },
      months: months.map(({ impactCollector, ttrCollector, ...month }) => ({
        ...month,
        impact: impactCollector.summary(),
        timeToResolve: ttrCollector.summary(),
      })),
      timeToDetect: ttd.summary(),
      timeToResolve: ttr.summary(),
      impact: impact.summary(),
      byService: breakdownRows(byService),
      byCategory: breakdownRows(byCategory),
      actions: {
        months: actionMonths,
        opened: total("opened"),
        closed: total("closed"),
        overdue: total("overdue"),
        daysToClose: daysToClose.summary(),
        incidentsWithActions: withActions.size,
        incidentsAllClosed: allClosed,
        shareAllClosed: withActions.size ? allClosed / withActions.size : null,
        incidentsWithoutActions: rows.length - withActions.size,
        pendingActions: pending,
      },
    };
  })();
}

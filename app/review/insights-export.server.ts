// The rows of the Insights CSV exports: the incidents of a range with their services and
// action counts, and the corrective actions of those incidents. A download reads each row once,
// so these are plain drizzle queries (the page's figures are in insights.server.ts).
import { and, asc, eq, gte, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { correctiveActions, incidentServices, incidents, services } from "~/db/schema";
import { PENDING_ACTION_STATUSES, type ActionPriority, type ActionStatus, type ActionType, type IncidentStatus, type Severity } from "~/lib/vocabulary";
import { isOverdue, today as serverToday } from "~/models/actions.server";

import type { IncidentCsvRow } from "./insights-csv";
import { rangeMs, type InsightsRange } from "./insights-range";

/** Incidents are placed by their start; one whose start is unknown by when it was recorded, as the incident list does. */
const placedAt = sql<number>`coalesce(${incidents.startedAt}, ${incidents.createdAt})`;

function incidentsInRange(fromMs: number, toMs: number): SQL {
  return and(isNull(incidents.deletedAt), gte(placedAt, fromMs), lt(placedAt, toMs))!;
}

const pendingStatuses = [...PENDING_ACTION_STATUSES];

/** A CSV row (insights-csv.ts), with the vocabulary's types. */
export type IncidentExportRow = IncidentCsvRow & { severity: Severity; status: IncidentStatus };

const order = [asc(placedAt), asc(incidents.id)];

/** The incidents in range, oldest first, with their services (in the order named) and action counts. */
export function incidentsForExport(range: InsightsRange): IncidentExportRow[] {
  const { fromMs, toMs } = rangeMs(range);
  const db = getDb();
  return db.transaction((tx) => {
    const inRange = incidentsInRange(fromMs, toMs);
    const rows = tx
      .select({
        id: incidents.id,
        title: incidents.title,
        severity: incidents.severity,
        status: incidents.status,
        category: incidents.category,
        timeZone: incidents.timeZone,
        startedAt: incidents.startedAt,
        detectedAt: incidents.detectedAt,
        resolvedAt: incidents.resolvedAt,
        impactPercent: incidents.impactPercent,
      })
      .from(incidents)
      .where(inRange)
      .orderBy(...order)
      .all();
    const names = new Map<number, string[]>();
    for (const { incidentId, name } of tx
      .select({ incidentId: incidentServices.incidentId, name: services.name })
      .from(incidentServices)
      .innerJoin(incidents, eq(incidents.id, incidentServices.incidentId))
      .innerJoin(services, eq(services.id, incidentServices.serviceId))
      .where(inRange)
      .orderBy(asc(incidentServices.incidentId), asc(incidentServices.position))
      .all()) {
      const list = names.get(incidentId) ?? [];
      list.push(name);
      names.set(incidentId, list);
    }
    const counts = new Map<number, { total: number; pending: number }>();
    for (const { incidentId, total, pending } of tx
      .select({
        incidentId: correctiveActions.incidentId,
        total: sql<number>`count(*)`,
        pending: sql<number>`sum(${inArray(correctiveActions.status, pendingStatuses)})`,
      })
      .from(correctiveActions)
      .innerJoin(incidents, eq(incidents.id, correctiveActions.incidentId))
      .where(and(isNull(correctiveActions.deletedAt), inRange))
      .groupBy(correctiveActions.incidentId)
      .all()) {
      counts.set(incidentId, { total, pending });
    }
    return rows.map((row) => ({
      ...row,
      services: names.get(row.id) ?? [],
      actions: counts.get(row.id)?.total ?? 0,
      actionsOpen: counts.get(row.id)?.pending ?? 0,
    }));
  });
}

export type ActionExportRow = {
  id: number;
  incidentId: number;
  incidentTitle: string;
  /** The incident's zone: created and completed are written in it. */
  timeZone: string;
  title: string;
  owner: string | null;
  type: ActionType;
  priority: ActionPriority;
  status: ActionStatus;
  dueDate: string | null;
  createdAt: number;
  completedAt: number | null;
  overdue: boolean;
};

/** The corrective actions of the incidents in range (so the two files join on incident id). */
export function actionsForExport(range: InsightsRange, now = Date.now()): ActionExportRow[] {
  const { fromMs, toMs } = rangeMs(range);
  const todayDate = serverToday(now);
  return getDb()
    .select({
      id: correctiveActions.id,
      incidentId: correctiveActions.incidentId,
      incidentTitle: incidents.title,
      timeZone: incidents.timeZone,
      title: correctiveActions.title,
      owner: correctiveActions.owner,
      type: correctiveActions.type,
      priority: correctiveActions.priority,
      status: correctiveActions.status,
      dueDate: correctiveActions.dueDate,
      createdAt: correctiveActions.createdAt,
      completedAt: correctiveActions.completedAt,
    })
    .from(correctiveActions)
    .innerJoin(incidents, eq(incidents.id, correctiveActions.incidentId))
    .where(and(isNull(correctiveActions.deletedAt), incidentsInRange(fromMs, toMs)))
    .orderBy(...order, asc(correctiveActions.id))
    .all()
    .map((row) => ({ ...row, overdue: isOverdue(row, todayDate) }));
}

import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";

import { getDb, type Db } from "~/db/client.server";
import { correctiveActions, incidentServices, incidents, services, timelineEntries, type IncidentRow } from "~/db/schema";
import type { IncidentInput } from "~/lib/validation";
import { OPEN_INCIDENT_STATUSES, type IncidentStatus, type Severity } from "~/lib/vocabulary";

export type Incident = IncidentRow & { services: string[] };

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Starts first, falling back to when it was recorded for incidents whose start is unknown. */
const sortInstant = sql<number>`coalesce(${incidents.startedAt}, ${incidents.createdAt})`;

function servicesByIncident(ids: number[]): Map<number, string[]> {
  const result = new Map<number, string[]>();
  if (ids.length === 0) return result;
  const rows = getDb()
    .select({ incidentId: incidentServices.incidentId, name: services.name })
    .from(incidentServices)
    .innerJoin(services, eq(services.id, incidentServices.serviceId))
    .where(inArray(incidentServices.incidentId, ids))
    .orderBy(asc(incidentServices.incidentId), asc(incidentServices.position))
    .all();
  for (const row of rows) {
    const list = result.get(row.incidentId) ?? [];
    list.push(row.name);
    result.set(row.incidentId, list);
  }
  return result;
}

function withServices(rows: IncidentRow[]): Incident[] {
  const names = servicesByIncident(rows.map((row) => row.id));
  return rows.map((row) => ({ ...row, services: names.get(row.id) ?? [] }));
}

export type IncidentFilters = {
  status?: IncidentStatus | null;
  severity?: Severity | null;
  service?: string | null;
  /** Inclusive bounds on the start, as UTC instants. */
  from?: number | null;
  to?: number | null;
  q?: string | null;
  limit?: number;
  offset?: number;
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export function listIncidents(filters: IncidentFilters = {}): { incidents: Incident[]; total: number } {
  const conditions: SQL[] = [];
  if (filters.status) conditions.push(eq(incidents.status, filters.status));
  if (filters.severity) conditions.push(eq(incidents.severity, filters.severity));
  if (filters.from != null) conditions.push(gte(sortInstant, filters.from));
  if (filters.to != null) conditions.push(lt(sortInstant, filters.to));
  if (filters.q?.trim()) {
    conditions.push(sql`${incidents.title} like ${`%${escapeLike(filters.q.trim())}%`} escape '\\'`);
  }
  if (filters.service?.trim()) {
    conditions.push(
      sql`exists (select 1 from ${incidentServices} join ${services} on ${services.id} = ${incidentServices.serviceId}
        where ${incidentServices.incidentId} = ${incidents.id} and ${services.name} = ${filters.service.trim()} collate nocase)`,
    );
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const db = getDb();
  const rows = db
    .select()
    .from(incidents)
    .where(where)
    .orderBy(desc(sortInstant), desc(incidents.id))
    .limit(filters.limit ?? 50)
    .offset(filters.offset ?? 0)
    .all();
  const total = db.select({ count: sql<number>`count(*)` }).from(incidents).where(where).get()?.count ?? 0;
  return { incidents: withServices(rows), total };
}

export function getIncident(id: number): Incident | null {
  const row = getDb().select().from(incidents).where(eq(incidents.id, id)).get();
  return row ? withServices([row])[0] : null;
}

/** The incident with its timeline and corrective actions, as the postmortem needs it. */
export function getIncidentWithDetails(id: number) {
  const incident = getIncident(id);
  if (!incident) return null;
  const db = getDb();
  const timeline = db
    .select()
    .from(timelineEntries)
    .where(eq(timelineEntries.incidentId, id))
    .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.id))
    .all();
  const actions = db
    .select()
    .from(correctiveActions)
    .where(eq(correctiveActions.incidentId, id))
    .orderBy(asc(correctiveActions.id))
    .all();
  return { incident, timeline, actions };
}

function setServices(tx: Tx, incidentId: number, names: string[], now: number) {
  tx.delete(incidentServices).where(eq(incidentServices.incidentId, incidentId)).run();
  names.forEach((name, position) => {
    const existing = tx
      .select({ id: services.id })
      .from(services)
      .where(sql`${services.name} = ${name} collate nocase`)
      .get();
    const serviceId = existing?.id ?? tx.insert(services).values({ name, createdAt: now }).returning({ id: services.id }).get().id;
    tx.insert(incidentServices).values({ incidentId, serviceId, position }).run();
  });
}

export function createIncident(input: IncidentInput, now = Date.now()): Incident {
  const { services: names, ...fields } = input;
  const id = getDb().transaction((tx) => {
    const row = tx
      .insert(incidents)
      .values({ ...fields, createdAt: now, updatedAt: now })
      .returning({ id: incidents.id })
      .get();
    setServices(tx, row.id, names, now);
    return row.id;
  });
  return getIncident(id)!;
}

/** Replaces every field of an incident; returns null when it does not exist. */
export function updateIncident(id: number, input: IncidentInput, now = Date.now()): Incident | null {
  const { services: names, ...fields } = input;
  const found = getDb().transaction((tx) => {
    const result = tx.update(incidents).set({ ...fields, updatedAt: now }).where(eq(incidents.id, id)).run();
    if (result.changes === 0) return false;
    setServices(tx, id, names, now);
    return true;
  });
  return found ? getIncident(id) : null;
}

/** Deletes an incident with its timeline and actions; false when it did not exist. */
export function deleteIncident(id: number): boolean {
  return getDb().delete(incidents).where(eq(incidents.id, id)).run().changes > 0;
}

/** Marks an incident changed when one of its parts (timeline, actions) changes. */
export function touchIncident(tx: Tx | Db, id: number, now: number) {
  tx.update(incidents).set({ updatedAt: now }).where(eq(incidents.id, id)).run();
}

export function listServiceNames(): string[] {
  return getDb()
    .select({ name: services.name })
    .from(services)
    .orderBy(sql`${services.name} collate nocase`)
    .all()
    .map((row) => row.name);
}

export function listOpenIncidents(): Incident[] {
  const rows = getDb()
    .select()
    .from(incidents)
    .where(inArray(incidents.status, [...OPEN_INCIDENT_STATUSES]))
    .orderBy(desc(sortInstant))
    .all();
  return withServices(rows);
}

/** Incidents whose postmortem is being or has been written, most recently changed first. */
export function listRecentPostmortems(limit = 5): Incident[] {
  const rows = getDb()
    .select()
    .from(incidents)
    .where(inArray(incidents.status, ["in_review", "closed", "resolved"]))
    .orderBy(desc(incidents.updatedAt))
    .limit(limit)
    .all();
  return withServices(rows);
}

export function countIncidents(): number {
  return getDb().select({ count: sql<number>`count(*)` }).from(incidents).get()?.count ?? 0;
}

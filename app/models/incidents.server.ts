import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";

import type { Author } from "~/auth/actor";
import { getDb, type Db } from "~/db/client.server";
import { correctiveActions, incidentServices, incidents, services, timelineEntries, type IncidentRow } from "~/db/schema";
import { saveEvidence } from "~/health/evidence.server";
import { incidentJson } from "~/lib/api-format";
import type { IncidentInput } from "~/lib/validation";
import { OPEN_INCIDENT_STATUSES, type IncidentStatus, type Severity } from "~/lib/vocabulary";

import { lastChange, recordChange, type Tx } from "./history.server";

export type Incident = IncidentRow & { services: string[] };

/** The outcome of a save that may meet someone else's newer version. */
export type SaveResult<T> =
  | { ok: true; record: T }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "conflict"; current: T; changedBy: { name: string; at: number } | null };

/** Starts first, falling back to when it was recorded for incidents whose start is unknown. */
const sortInstant = sql<number>`coalesce(${incidents.startedAt}, ${incidents.createdAt})`;
const live = isNull(incidents.deletedAt);

function servicesByIncident(db: Tx | Db, ids: number[]): Map<number, string[]> {
  const result = new Map<number, string[]>();
  if (ids.length === 0) return result;
  const rows = db
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

function withServices(rows: IncidentRow[], db: Tx | Db = getDb()): Incident[] {
  const names = servicesByIncident(db, rows.map((row) => row.id));
  return rows.map((row) => ({ ...row, services: names.get(row.id) ?? [] }));
}

export type IncidentFilters = {
  status?: IncidentStatus | null;
  severity?: Severity | null;
  service?: string | null;
  /** A cause category as the vocabulary spells it (routes match what was typed with `matchCategory`). */
  category?: string | null;
  /** Bounds on the start, as UTC instants: from inclusive, to exclusive. */
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
  const conditions: SQL[] = [live];
  if (filters.status) conditions.push(eq(incidents.status, filters.status));
  if (filters.severity) conditions.push(eq(incidents.severity, filters.severity));
  if (filters.category) conditions.push(eq(incidents.category, filters.category));
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
  const where = and(...conditions);
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

function selectIncident(db: Tx | Db, id: number, includeDeleted = false): Incident | null {
  const row = db
    .select()
    .from(incidents)
    .where(includeDeleted ? eq(incidents.id, id) : and(eq(incidents.id, id), live))
    .get();
  return row ? withServices([row], db)[0] : null;
}

/** A live (not deleted) incident. */
export function getIncident(id: number, options: { includeDeleted?: boolean } = {}): Incident | null {
  return selectIncident(getDb(), id, options.includeDeleted);
}

/** The incident with its live timeline and corrective actions, as the postmortem needs it. */
export function getIncidentWithDetails(id: number) {
  const incident = getIncident(id);
  if (!incident) return null;
  const db = getDb();
  const timeline = db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.incidentId, id), isNull(timelineEntries.deletedAt)))
    .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.id))
    .all();
  const actions = db
    .select()
    .from(correctiveActions)
    .where(and(eq(correctiveActions.incidentId, id), isNull(correctiveActions.deletedAt)))
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

/** How an incident is classified for review; a draft written by Hindsight itself may leave it out. */
type Classification = "category" | "trigger" | "detectionMethod";
export type NewIncident = Omit<IncidentInput, Classification> & Partial<Pick<IncidentInput, Classification>>;

export function createIncident(input: NewIncident, author: Author, now = Date.now()): Incident {
  const { services: names, ...fields } = input;
  return getDb().transaction((tx) => {
    const { id } = tx
      .insert(incidents)
      .values({ ...fields, createdAt: now, updatedAt: now })
      .returning({ id: incidents.id })
      .get();
    setServices(tx, id, names, now);
    const incident = selectIncident(tx, id)!;
    recordChange(tx, { incidentId: id, entityType: "incident", entityId: id, change: "create", author, before: null, after: incidentJson(incident), at: now });
    return incident;
  });
}

/**
 * Replaces every field of an incident. With `expectedVersion`, a save based on
 * an older version than the stored one is refused as a conflict.
 */
export function updateIncident(
  id: number,
  input: IncidentInput,
  author: Author,
  options: { expectedVersion?: number | null; now?: number } = {},
): SaveResult<Incident> {
  const now = options.now ?? Date.now();
  const { services: names, ...fields } = input;
  return getDb().transaction((tx) => {
    const before = selectIncident(tx, id);
    if (!before) return { ok: false, reason: "not_found" } as const;
    if (options.expectedVersion != null && options.expectedVersion !== before.version) {
      return { ok: false, reason: "conflict", current: before, changedBy: lastChange(tx, "incident", id) } as const;
    }
    tx.update(incidents)
      .set({ ...fields, updatedAt: now, version: before.version + 1 })
      .where(eq(incidents.id, id))
      .run();
    setServices(tx, id, names, now);
    const after = selectIncident(tx, id)!;
    recordChange(tx, { incidentId: id, entityType: "incident", entityId: id, change: "update", author, before: incidentJson(before), after: incidentJson(after), at: now });
    // A resolved incident keeps what its monitors saw (docs/decisions/007).
    if (after.resolvedAt !== null) saveEvidence(id, now);
    return { ok: true, record: after } as const;
  });
}

/** Soft-deletes an incident (its timeline and actions go with it); false when there was none to delete. */
export function deleteIncident(id: number, author: Author, now = Date.now()): boolean {
  return getDb().transaction((tx) => {
    const before = selectIncident(tx, id);
    if (!before) return false;
    tx.update(incidents).set({ deletedAt: now, version: before.version + 1 }).where(eq(incidents.id, id)).run();
    recordChange(tx, { incidentId: id, entityType: "incident", entityId: id, change: "delete", author, before: incidentJson(before), after: null, at: now });
    return true;
  });
}

/** Brings a deleted incident back, with the timeline and actions it had; false when it was not deleted. */
export function restoreIncident(id: number, author: Author, now = Date.now()): boolean {
  return getDb().transaction((tx) => {
    const row = selectIncident(tx, id, true);
    if (!row || row.deletedAt === null) return false;
    tx.update(incidents).set({ deletedAt: null, version: row.version + 1 }).where(eq(incidents.id, id)).run();
    const after = selectIncident(tx, id)!;
    recordChange(tx, { incidentId: id, entityType: "incident", entityId: id, change: "restore", author, before: null, after: incidentJson(after), at: now });
    return true;
  });
}

export function listDeletedIncidents(): Incident[] {
  return withServices(getDb().select().from(incidents).where(isNotNull(incidents.deletedAt)).orderBy(desc(incidents.deletedAt)).all());
}

/** Marks an incident changed when one of its parts (timeline, actions) changes; its version is untouched. */
export function touchIncident(tx: Tx | Db, id: number, now: number) {
  tx.update(incidents).set({ updatedAt: now }).where(eq(incidents.id, id)).run();
}

/** Whether an incident exists and is not deleted, inside a transaction. */
export function isLiveIncident(tx: Tx | Db, id: number): boolean {
  return Boolean(tx.select({ id: incidents.id }).from(incidents).where(and(eq(incidents.id, id), live)).get());
}

/** Services named by at least one live incident. */
export function listServiceNames(): string[] {
  return getDb()
    .select({ name: services.name })
    .from(services)
    .where(
      sql`exists (select 1 from ${incidentServices} join ${incidents} on ${incidents.id} = ${incidentServices.incidentId}
        where ${incidentServices.serviceId} = ${services.id} and ${incidents.deletedAt} is null)`,
    )
    .orderBy(sql`${services.name} collate nocase`)
    .all()
    .map((row) => row.name);
}

export function listOpenIncidents(): Incident[] {
  const rows = getDb()
    .select()
    .from(incidents)
    .where(and(live, inArray(incidents.status, [...OPEN_INCIDENT_STATUSES])))
    .orderBy(desc(sortInstant))
    .all();
  return withServices(rows);
}

/** Incidents whose postmortem is being or has been written, most recently changed first. */
export function listRecentPostmortems(limit = 5): Incident[] {
  const rows = getDb()
    .select()
    .from(incidents)
    .where(and(live, inArray(incidents.status, ["in_review", "closed", "resolved"])))
    .orderBy(desc(incidents.updatedAt))
    .limit(limit)
    .all();
  return withServices(rows);
}

/** The zone of the most recently recorded incident: teams mostly write in one zone. */
export function lastUsedTimeZone(): string | null {
  return getDb().select({ zone: incidents.timeZone }).from(incidents).where(live).orderBy(desc(incidents.createdAt), desc(incidents.id)).limit(1).get()?.zone ?? null;
}

/** Every incident ever recorded, deleted ones included: the example is loaded only into an empty database. */
export function countIncidents(): number {
  return getDb().select({ count: sql<number>`count(*)` }).from(incidents).get()?.count ?? 0;
}

import { and, asc, eq, gte, inArray, lt, lte, sql, type SQL } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { correctiveActions, incidents, type ActionRow } from "~/db/schema";
import type { ActionInput } from "~/lib/validation";
import { PENDING_ACTION_STATUSES, type ActionStatus, type ActionType } from "~/lib/vocabulary";

import { touchIncident } from "./incidents.server";

export type CorrectiveAction = ActionRow;
export type TrackedAction = CorrectiveAction & { incidentTitle: string };

/**
 * Today's calendar date where the server runs. Due dates are calendar dates, so
 * an action due today is not overdue until tomorrow begins.
 */
export function today(now = Date.now()): string {
  const date = new Date(now);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

export function addDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function isOverdue(action: Pick<CorrectiveAction, "dueDate" | "status">, todayDate: string): boolean {
  return action.dueDate !== null && action.dueDate < todayDate && PENDING_ACTION_STATUSES.includes(action.status);
}

export type ActionFilters = {
  /** One status, or "pending" for every action that still needs work (open or in progress). */
  status?: ActionStatus | "pending" | null;
  owner?: string | null;
  type?: ActionType | null;
  overdue?: boolean;
  /** Only pending actions due between today and this date (inclusive). */
  dueBy?: string | null;
  incidentId?: number | null;
  /** Only pending actions that nobody owns or that have no due date: the ones that will be forgotten. */
  uncommitted?: boolean;
  sort?: "due" | "due_desc" | "created";
  today?: string;
  limit?: number;
};

const pending = inArray(correctiveActions.status, [...PENDING_ACTION_STATUSES]);

export function listActions(filters: ActionFilters = {}): TrackedAction[] {
  const todayDate = filters.today ?? today();
  const conditions: SQL[] = [];
  if (filters.status === "pending") conditions.push(pending);
  else if (filters.status) conditions.push(eq(correctiveActions.status, filters.status));
  if (filters.type) conditions.push(eq(correctiveActions.type, filters.type));
  if (filters.owner?.trim()) {
    conditions.push(sql`${correctiveActions.owner} = ${filters.owner.trim()} collate nocase`);
  }
  if (filters.uncommitted) {
    conditions.push(pending, sql`(${correctiveActions.owner} is null or ${correctiveActions.dueDate} is null)`);
  }
  if (filters.incidentId != null) conditions.push(eq(correctiveActions.incidentId, filters.incidentId));
  if (filters.overdue) conditions.push(pending, lt(correctiveActions.dueDate, todayDate));
  if (filters.dueBy) {
    conditions.push(pending, gte(correctiveActions.dueDate, todayDate), lte(correctiveActions.dueDate, filters.dueBy));
  }
  // Undated actions sort last when sorting by due date: they are the ones nobody has committed to.
  const order =
    filters.sort === "created"
      ? [asc(correctiveActions.createdAt), asc(correctiveActions.id)]
      : [
          sql`${correctiveActions.dueDate} is null`,
          filters.sort === "due_desc"
            ? sql`${correctiveActions.dueDate} desc`
            : asc(correctiveActions.dueDate),
          asc(correctiveActions.id),
        ];
  return getDb()
    .select({ action: correctiveActions, incidentTitle: incidents.title })
    .from(correctiveActions)
    .innerJoin(incidents, eq(incidents.id, correctiveActions.incidentId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(filters.limit ?? -1)
    .all()
    .map((row) => ({ ...row.action, incidentTitle: row.incidentTitle }));
}

export function listActionOwners(): string[] {
  return getDb()
    .selectDistinct({ owner: correctiveActions.owner })
    .from(correctiveActions)
    .where(sql`${correctiveActions.owner} is not null`)
    .orderBy(sql`${correctiveActions.owner} collate nocase`)
    .all()
    .map((row) => row.owner!);
}

export function getAction(id: number): CorrectiveAction | null {
  return getDb().select().from(correctiveActions).where(eq(correctiveActions.id, id)).get() ?? null;
}

/** completedAt follows the status: set when an action becomes done, cleared when it is reopened. */
function completedAtFor(status: ActionStatus, previous: CorrectiveAction | null, now: number): number | null {
  if (status !== "done") return null;
  return previous?.status === "done" ? previous.completedAt ?? now : now;
}

export function addAction(incidentId: number, input: ActionInput, now = Date.now()): CorrectiveAction | null {
  return getDb().transaction((tx) => {
    const incident = tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incidentId)).get();
    if (!incident) return null;
    const action = tx
      .insert(correctiveActions)
      .values({ ...input, incidentId, completedAt: completedAtFor(input.status, null, now), createdAt: now, updatedAt: now })
      .returning()
      .get();
    touchIncident(tx, incidentId, now);
    return action;
  });
}

export function updateAction(id: number, input: ActionInput, now = Date.now()): CorrectiveAction | null {
  return getDb().transaction((tx) => {
    const previous = tx.select().from(correctiveActions).where(eq(correctiveActions.id, id)).get();
    if (!previous) return null;
    const action = tx
      .update(correctiveActions)
      .set({ ...input, completedAt: completedAtFor(input.status, previous, now), updatedAt: now })
      .where(eq(correctiveActions.id, id))
      .returning()
      .get();
    touchIncident(tx, previous.incidentId, now);
    return action;
  });
}

export function setActionStatus(id: number, status: ActionStatus, now = Date.now()): CorrectiveAction | null {
  const previous = getAction(id);
  if (!previous) return null;
  const { id: _id, incidentId: _incidentId, completedAt: _completedAt, createdAt: _createdAt, updatedAt: _updatedAt, ...input } =
    previous;
  return updateAction(id, { ...input, status }, now);
}

export function deleteAction(id: number, now = Date.now()): boolean {
  return getDb().transaction((tx) => {
    const action = tx.delete(correctiveActions).where(eq(correctiveActions.id, id)).returning().get();
    if (!action) return false;
    touchIncident(tx, action.incidentId, now);
    return true;
  });
}

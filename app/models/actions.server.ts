import { and, asc, eq, gte, inArray, isNull, lt, lte, sql, type SQL } from "drizzle-orm";

import type { Author } from "~/auth/actor";
import { getDb, type Db } from "~/db/client.server";
import { correctiveActions, incidents, type ActionRow } from "~/db/schema";
import { actionJson } from "~/lib/api-format";
import type { ActionInput } from "~/lib/validation";
import { PENDING_ACTION_STATUSES, type ActionStatus, type ActionType } from "~/lib/vocabulary";

import { lastChange, recordChange, type Tx } from "./history.server";
import { isLiveIncident, touchIncident, type SaveResult } from "./incidents.server";

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
  const conditions: SQL[] = [isNull(correctiveActions.deletedAt), isNull(incidents.deletedAt)];
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
    .where(and(...conditions))
    .orderBy(...order)
    .limit(filters.limit ?? -1)
    .all()
    .map((row) => ({ ...row.action, incidentTitle: row.incidentTitle }));
}

/** Owners as written, one per name whatever its case (the owner filter ignores case too). */
export function listActionOwners(): string[] {
  return getDb()
    .select({ owner: sql<string>`min(${correctiveActions.owner})` })
    .from(correctiveActions)
    .where(and(sql`${correctiveActions.owner} is not null`, isNull(correctiveActions.deletedAt)))
    .groupBy(sql`${correctiveActions.owner} collate nocase`)
    .orderBy(sql`${correctiveActions.owner} collate nocase`)
    .all()
    .map((row) => row.owner);
}

function selectAction(db: Tx | Db, id: number, includeDeleted = false): CorrectiveAction | null {
  return (
    db
      .select({ action: correctiveActions })
      .from(correctiveActions)
      .innerJoin(incidents, eq(incidents.id, correctiveActions.incidentId))
      .where(
        includeDeleted
          ? and(eq(correctiveActions.id, id), isNull(incidents.deletedAt))
          : and(eq(correctiveActions.id, id), isNull(correctiveActions.deletedAt), isNull(incidents.deletedAt)),
      )
      .get()?.action ?? null
  );
}

/** A live action of a live incident. */
export function getAction(id: number): CorrectiveAction | null {
  return selectAction(getDb(), id);
}

/** completedAt follows the status: set when an action becomes done, cleared when it is reopened. */
function completedAtFor(status: ActionStatus, previous: CorrectiveAction | null, now: number): number | null {
  if (status !== "done") return null;
  return previous?.status === "done" ? previous.completedAt ?? now : now;
}

export function addAction(incidentId: number, input: ActionInput, author: Author, now = Date.now()): CorrectiveAction | null {
  return getDb().transaction((tx) => {
    if (!isLiveIncident(tx, incidentId)) return null;
    const action = tx
      .insert(correctiveActions)
      .values({ ...input, incidentId, completedAt: completedAtFor(input.status, null, now), createdAt: now, updatedAt: now })
      .returning()
      .get();
    recordChange(tx, { incidentId, entityType: "action", entityId: action.id, change: "create", author, before: null, after: actionJson(action), at: now });
    touchIncident(tx, incidentId, now);
    return action;
  });
}

export function updateAction(
  id: number,
  input: ActionInput,
  author: Author,
  options: { expectedVersion?: number | null; now?: number } = {},
): SaveResult<CorrectiveAction> {
  const now = options.now ?? Date.now();
  return getDb().transaction((tx) => {
    const previous = selectAction(tx, id);
    if (!previous) return { ok: false, reason: "not_found" } as const;
    if (options.expectedVersion != null && options.expectedVersion !== previous.version) {
      return { ok: false, reason: "conflict", current: previous, changedBy: lastChange(tx, "action", id) } as const;
    }
    const action = tx
      .update(correctiveActions)
      .set({ ...input, completedAt: completedAtFor(input.status, previous, now), updatedAt: now, version: previous.version + 1 })
      .where(eq(correctiveActions.id, id))
      .returning()
      .get();
    recordChange(tx, { incidentId: previous.incidentId, entityType: "action", entityId: id, change: "update", author, before: actionJson(previous), after: actionJson(action), at: now });
    touchIncident(tx, previous.incidentId, now);
    return { ok: true, record: action } as const;
  });
}

/**
 * One-click status change. It changes nothing else, so it needs no version:
 * it cannot overwrite anyone's edit, and it bumps the version so a stale edit form notices.
 */
export function setActionStatus(id: number, status: ActionStatus, author: Author, now = Date.now()): CorrectiveAction | null {
  const previous = getAction(id);
  if (!previous) return null;
  const { title, details, type, owner, dueDate, priority, trackerUrl } = previous;
  const result = updateAction(id, { title, details, type, owner, dueDate, priority, trackerUrl, status }, author, { now });
  return result.ok ? result.record : null;
}

/** Soft-deletes an action: it stays in History and can be restored. */
export function deleteAction(id: number, author: Author, now = Date.now()): boolean {
  return setActionDeleted(id, author, true, now);
}

export function restoreAction(id: number, author: Author, now = Date.now()): boolean {
  return setActionDeleted(id, author, false, now);
}

function setActionDeleted(id: number, author: Author, deleted: boolean, now: number): boolean {
  return getDb().transaction((tx) => {
    const action = selectAction(tx, id, true);
    if (!action || (action.deletedAt !== null) === deleted) return false;
    const changed = tx
      .update(correctiveActions)
      .set({ deletedAt: deleted ? now : null, version: action.version + 1, updatedAt: now })
      .where(eq(correctiveActions.id, id))
      .returning()
      .get();
    recordChange(tx, {
      incidentId: action.incidentId,
      entityType: "action",
      entityId: id,
      change: deleted ? "delete" : "restore",
      author,
      before: deleted ? actionJson(action) : null,
      after: deleted ? null : actionJson(changed),
      at: now,
    });
    touchIncident(tx, action.incidentId, now);
    return true;
  });
}

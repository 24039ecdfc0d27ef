import { and, asc, eq, isNull } from "drizzle-orm";

import type { Author } from "~/auth/actor";
import { getDb, type Db } from "~/db/client.server";
import { incidents, timelineEntries, type TimelineEntryRow } from "~/db/schema";
import { timelineEntryJson } from "~/lib/api-format";
import { localDate } from "~/lib/time";
import type { TimelineInput } from "~/lib/validation";

import { lastChange, recordChange, type Tx } from "./history.server";
import { isLiveIncident, touchIncident, type Incident, type SaveResult } from "./incidents.server";

export type TimelineEntry = TimelineEntryRow;

/** The zone an entry's time is read in, and the date a bare time ("4:20 PM") falls on: the incident's start. */
export function timelineContext(incident: Incident) {
  const anchor = incident.startedAt ?? incident.detectedAt;
  return { timeZone: incident.timeZone, referenceDate: anchor === null ? null : localDate(anchor, incident.timeZone) };
}

/** Entries in the order they happened; entries at the same instant keep the order they were added in. */
export function listTimeline(incidentId: number): TimelineEntry[] {
  return getDb()
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.incidentId, incidentId), isNull(timelineEntries.deletedAt)))
    .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.id))
    .all();
}

function selectEntry(db: Tx | Db, id: number, includeDeleted = false) {
  return (
    db
      .select({ entry: timelineEntries, zone: incidents.timeZone })
      .from(timelineEntries)
      .innerJoin(incidents, eq(incidents.id, timelineEntries.incidentId))
      .where(
        includeDeleted
          ? and(eq(timelineEntries.id, id), isNull(incidents.deletedAt))
          : and(eq(timelineEntries.id, id), isNull(timelineEntries.deletedAt), isNull(incidents.deletedAt)),
      )
      .get() ?? null
  );
}

/** A live entry of a live incident. */
export function getTimelineEntry(id: number): TimelineEntry | null {
  return selectEntry(getDb(), id)?.entry ?? null;
}

/** Adds an entry; null when the incident does not exist. */
export function addTimelineEntry(
  incidentId: number,
  input: TimelineInput,
  author: Author,
  now = Date.now(),
  options: { stateChangeId?: number } = {},
): TimelineEntry | null {
  return getDb().transaction((tx) => {
    if (!isLiveIncident(tx, incidentId)) return null;
    // An entry written by a person is signed by them unless they name someone else.
    const signed = input.author ?? (author.userId !== null ? author.name : null);
    const entry = tx
      .insert(timelineEntries)
      .values({ ...input, author: signed, incidentId, createdAt: now, updatedAt: now, stateChangeId: options.stateChangeId ?? null })
      .returning()
      .get();
    const zone = selectEntry(tx, entry.id)!.zone;
    recordChange(tx, { incidentId, entityType: "timeline_entry", entityId: entry.id, change: "create", author, before: null, after: timelineEntryJson(entry, zone), at: now });
    touchIncident(tx, incidentId, now);
    return entry;
  });
}

export function updateTimelineEntry(
  id: number,
  input: TimelineInput,
  author: Author,
  options: { expectedVersion?: number | null; now?: number } = {},
): SaveResult<TimelineEntry> {
  const now = options.now ?? Date.now();
  return getDb().transaction((tx) => {
    const found = selectEntry(tx, id);
    if (!found) return { ok: false, reason: "not_found" } as const;
    const { entry: before, zone } = found;
    if (options.expectedVersion != null && options.expectedVersion !== before.version) {
      return { ok: false, reason: "conflict", current: before, changedBy: lastChange(tx, "timeline_entry", id) } as const;
    }
    const after = tx
      .update(timelineEntries)
      .set({ ...input, updatedAt: now, version: before.version + 1 })
      .where(eq(timelineEntries.id, id))
      .returning()
      .get();
    recordChange(tx, {
      incidentId: before.incidentId,
      entityType: "timeline_entry",
      entityId: id,
      change: "update",
      author,
      before: timelineEntryJson(before, zone),
      after: timelineEntryJson(after, zone),
      at: now,
    });
    touchIncident(tx, before.incidentId, now);
    return { ok: true, record: after } as const;
  });
}

/** Soft-deletes an entry: it stays in History and can be restored. */
export function deleteTimelineEntry(id: number, author: Author, now = Date.now()): boolean {
  return setEntryDeleted(id, author, true, now);
}

export function restoreTimelineEntry(id: number, author: Author, now = Date.now()): boolean {
  return setEntryDeleted(id, author, false, now);
}

function setEntryDeleted(id: number, author: Author, deleted: boolean, now: number): boolean {
  return getDb().transaction((tx) => {
    const found = selectEntry(tx, id, true);
    if (!found || (found.entry.deletedAt !== null) === deleted) return false;
    const { entry, zone } = found;
    const changed = tx
      .update(timelineEntries)
      .set({ deletedAt: deleted ? now : null, version: entry.version + 1, updatedAt: now })
      .where(eq(timelineEntries.id, id))
      .returning()
      .get();
    recordChange(tx, {
      incidentId: entry.incidentId,
      entityType: "timeline_entry",
      entityId: id,
      change: deleted ? "delete" : "restore",
      author,
      before: deleted ? timelineEntryJson(entry, zone) : null,
      after: deleted ? null : timelineEntryJson(changed, zone),
      at: now,
    });
    touchIncident(tx, entry.incidentId, now);
    return true;
  });
}

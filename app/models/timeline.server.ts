import { asc, eq } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { incidents, timelineEntries, type TimelineEntryRow } from "~/db/schema";
import { localDate } from "~/lib/time";
import type { TimelineInput } from "~/lib/validation";

import { touchIncident, type Incident } from "./incidents.server";

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
    .where(eq(timelineEntries.incidentId, incidentId))
    .orderBy(asc(timelineEntries.occurredAt), asc(timelineEntries.id))
    .all();
}

export function getTimelineEntry(id: number): TimelineEntry | null {
  return getDb().select().from(timelineEntries).where(eq(timelineEntries.id, id)).get() ?? null;
}

/** Adds an entry; null when the incident does not exist. */
export function addTimelineEntry(incidentId: number, input: TimelineInput, now = Date.now()): TimelineEntry | null {
  return getDb().transaction((tx) => {
    const incident = tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.id, incidentId)).get();
    if (!incident) return null;
    const entry = tx
      .insert(timelineEntries)
      .values({ ...input, incidentId, createdAt: now, updatedAt: now })
      .returning()
      .get();
    touchIncident(tx, incidentId, now);
    return entry;
  });
}

export function updateTimelineEntry(id: number, input: TimelineInput, now = Date.now()): TimelineEntry | null {
  return getDb().transaction((tx) => {
    const entry = tx
      .update(timelineEntries)
      .set({ ...input, updatedAt: now })
      .where(eq(timelineEntries.id, id))
      .returning()
      .get();
    if (!entry) return null;
    touchIncident(tx, entry.incidentId, now);
    return entry;
  });
}

export function deleteTimelineEntry(id: number, now = Date.now()): boolean {
  return getDb().transaction((tx) => {
    const entry = tx.delete(timelineEntries).where(eq(timelineEntries.id, id)).returning().get();
    if (!entry) return false;
    touchIncident(tx, entry.incidentId, now);
    return true;
  });
}

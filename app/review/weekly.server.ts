// The weekly review: what is overdue or due this week, by owner, and which postmortems wait in review.
import { sql } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import type { Severity } from "~/lib/vocabulary";
import { addDays, listActions, type TrackedAction } from "~/models/actions.server";

export const DUE_SOON_DAYS = 7;

export type OwnerGroup = {
  /** null for actions nobody owns: listed first, since nobody will bring them up. */
  owner: string | null;
  actions: TrackedAction[];
};

/**
 * Pending actions that are overdue or due from today to `DUE_SOON_DAYS` days on, grouped by owner
 * (ignoring case, as the tracker's owner filter does): the unowned first, then owners A–Z; in each
 * group the earliest due date first.
 */
export function actionsForReview(todayDate: string): OwnerGroup[] {
  const actions = [
    ...listActions({ overdue: true, today: todayDate }),
    ...listActions({ dueBy: addDays(todayDate, DUE_SOON_DAYS), today: todayDate }),
  ];
  const groups = new Map<string, OwnerGroup>();
  for (const action of actions) {
    const owner = action.owner?.trim() || null;
    const key = owner?.toLowerCase() ?? "";
    const group = groups.get(key) ?? { owner, actions: [] };
    group.actions.push(action);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    group.actions.sort((a, b) => (a.dueDate ?? "").localeCompare(b.dueDate ?? "") || a.id - b.id);
  }
  return [...groups.entries()].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))).map(([, group]) => group);
}

export type IncidentInReview = {
  id: number;
  title: string;
  severity: Severity;
  timeZone: string;
  /** When it last went into review, from History; else its last change (see `sinceKnown`). */
  since: number;
  /** False when History holds no change into review (e.g. written to the database directly). */
  sinceKnown: boolean;
};

/**
 * Incidents whose postmortem is in review, the longest waiting first. History records every save
 * with the status before and after, so "in review since" is the last save that moved it there.
 */
export function incidentsInReview(): IncidentInReview[] {
  const rows = getDb().all<{ id: number; title: string; severity: Severity; timeZone: string; enteredAt: number | null; updatedAt: number }>(sql`
    select i.id, i.title, i.severity, i.time_zone as timeZone, i.updated_at as updatedAt,
      (select max(h.at) from history h
        where h.incident_id = i.id and h.entity_type = 'incident' and h.entity_id = i.id and h.change in ('create', 'update')
          and json_extract(h.after, '$.status') = 'in_review'
          and (h.before is null or json_extract(h.before, '$.status') is not 'in_review')) as enteredAt
    from incidents i
    where i.deleted_at is null and i.status = 'in_review'`);
  return rows
    .map(({ enteredAt, updatedAt, ...row }) => ({ ...row, since: enteredAt ?? updatedAt, sinceKnown: enteredAt !== null }))
    .sort((a, b) => a.since - b.since || a.id - b.id);
}

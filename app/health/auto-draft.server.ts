// Auto-draft (a setting, off by default): a service down longer than N minutes opens a
// draft incident (investigating) whose first timeline entries come from the monitor.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";

import { SYSTEM_AUTHOR, type Author } from "~/auth/actor";
import { getDb } from "~/db/client.server";
import { incidentServices, incidents, monitors, services, settings, stateChanges } from "~/db/schema";
import { OPEN_INCIDENT_STATUSES } from "~/lib/vocabulary";
import { createIncident } from "~/models/incidents.server";
import { addTimelineEntry } from "~/models/timeline.server";

import { MONITOR_AUTHOR } from "./incident-link.server";

const SETTING_KEY = "auto_draft_minutes";
const AUTHOR: Author = { userId: null, name: `${SYSTEM_AUTHOR.name} (auto-draft)` };

/** Minutes a service must be down before a draft opens; null when auto-draft is off. */
export function autoDraftMinutes(): number | null {
  const row = getDb().select().from(settings).where(eq(settings.key, SETTING_KEY)).get();
  const minutes = row ? Number(row.value) : NaN;
  return Number.isInteger(minutes) && minutes > 0 ? minutes : null;
}

export function setAutoDraftMinutes(minutes: number | null) {
  const db = getDb();
  if (minutes === null) db.delete(settings).where(eq(settings.key, SETTING_KEY)).run();
  else db.insert(settings).values({ key: SETTING_KEY, value: String(minutes) }).onConflictDoUpdate({ target: settings.key, set: { value: String(minutes) } }).run();
}

/** Opens drafts for services down long enough; returns the new incident ids. */
export function openAutoDrafts(now = Date.now()): number[] {
  const minutes = autoDraftMinutes();
  if (minutes === null) return [];
  const db = getDb();
  const down = db
    .select({ id: monitors.id, name: monitors.name, serviceId: monitors.serviceId, serviceName: services.name })
    .from(monitors)
    .innerJoin(services, eq(services.id, monitors.serviceId))
    .where(and(eq(monitors.state, "down"), eq(monitors.mode, "active"), eq(monitors.example, false)))
    .all();
  const opened: number[] = [];
  const handled = new Set<number>();
  for (const monitor of down) {
    if (handled.has(monitor.serviceId)) continue;
    const change = db
      .select()
      .from(stateChanges)
      .where(and(eq(stateChanges.monitorId, monitor.id), eq(stateChanges.toState, "down")))
      .orderBy(desc(stateChanges.at), desc(stateChanges.id))
      .limit(1)
      .get();
    if (!change || change.draftIncidentId !== null || now - change.at < minutes * 60_000) continue;
    handled.add(monitor.serviceId);
    // Someone is already on it: an open incident naming this service takes the place of a draft.
    const open = db
      .select({ id: incidents.id })
      .from(incidents)
      .innerJoin(incidentServices, eq(incidentServices.incidentId, incidents.id))
      .where(and(eq(incidentServices.serviceId, monitor.serviceId), isNull(incidents.deletedAt), inArray(incidents.status, [...OPEN_INCIDENT_STATUSES])))
      .limit(1)
      .get();
    const incidentId = db.transaction(() => {
      if (open) {
        db.update(stateChanges).set({ draftIncidentId: open.id }).where(eq(stateChanges.id, change.id)).run();
        return null;
      }
      const firstFailure = change.failingSince ?? change.at;
      const incident = createIncident(
        {
          title: `${monitor.serviceName} is down`,
          severity: "SEV2",
          status: "investigating",
          timeZone: "UTC",
          startedAt: firstFailure,
          detectedAt: null,
          mitigatedAt: null,
          resolvedAt: null,
          impactPercent: null,
          impactDescription: "",
          services: [monitor.serviceName],
          summary: `Draft opened by Hindsight: monitor "${monitor.name}" has reported ${monitor.serviceName} down for ${minutes} minutes or more. Edit or delete this draft.`,
          rootCause: "",
          resolution: "",
          lessons: "",
          unplaced: "",
          detectionMethod: "monitor",
        },
        AUTHOR,
        now,
      );
      if (firstFailure < change.at) {
        addTimelineEntry(incident.id, { occurredAt: firstFailure, kind: "detection", text: `First failed check of monitor "${monitor.name}" (${monitor.serviceName}).`, author: MONITOR_AUTHOR }, AUTHOR, now);
      }
      addTimelineEntry(
        incident.id,
        { occurredAt: change.at, kind: "detection", text: `Monitor "${monitor.name}" (${monitor.serviceName}) went down.${change.message ? ` ${change.message}` : ""}`, author: MONITOR_AUTHOR },
        AUTHOR,
        now,
        { stateChangeId: change.id },
      );
      db.update(stateChanges).set({ draftIncidentId: incident.id }).where(eq(stateChanges.id, change.id)).run();
      return incident.id;
    });
    if (incidentId !== null) opened.push(incidentId);
  }
  return opened;
}


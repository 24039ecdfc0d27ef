// The JSON shapes of the public API (camelCase, ISO 8601 instants with offsets).
// Pure: shared by API routes, the CLI and tests.
import type { CorrectiveAction } from "~/models/actions.server";
import type { Category } from "~/models/categories.server";
import type { Incident } from "~/models/incidents.server";
import type { TimelineEntry } from "~/models/timeline.server";

import { toIsoInZone, type ZoneName } from "./time";

function iso(ms: number | null, zone: ZoneName): string | null {
  return ms === null ? null : toIsoInZone(ms, zone);
}

export function incidentJson(incident: Incident) {
  const zone = incident.timeZone;
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    startedAt: iso(incident.startedAt, zone),
    detectedAt: iso(incident.detectedAt, zone),
    mitigatedAt: iso(incident.mitigatedAt, zone),
    resolvedAt: iso(incident.resolvedAt, zone),
    timeZone: zone,
    impactPercent: incident.impactPercent,
    impactDescription: incident.impactDescription,
    services: incident.services,
    category: incident.category,
    trigger: incident.trigger,
    detectionMethod: incident.detectionMethod,
    summary: incident.summary,
    rootCause: incident.rootCause,
    resolution: incident.resolution,
    lessons: incident.lessons,
    unplaced: incident.unplaced,
    createdAt: iso(incident.createdAt, zone),
    updatedAt: iso(incident.updatedAt, zone),
    version: incident.version,
  };
}

export function timelineEntryJson(entry: TimelineEntry, zone: ZoneName) {
  return {
    id: entry.id,
    incidentId: entry.incidentId,
    occurredAt: iso(entry.occurredAt, zone),
    text: entry.text,
    kind: entry.kind,
    author: entry.author,
    version: entry.version,
  };
}

export function actionJson(action: CorrectiveAction) {
  return {
    id: action.id,
    incidentId: action.incidentId,
    title: action.title,
    details: action.details,
    type: action.type,
    owner: action.owner,
    dueDate: action.dueDate,
    priority: action.priority,
    status: action.status,
    trackerUrl: action.trackerUrl,
    completedAt: iso(action.completedAt, "UTC"),
    version: action.version,
  };
}

export type IncidentJson = ReturnType<typeof incidentJson>;

/** A cause category with how many incidents (deleted ones included) use it. */
export function categoryJson(category: Category) {
  return { id: category.id, name: category.name, builtIn: category.builtIn, incidents: category.incidents };
}

// Converts stored records to the strings their edit forms show, so a form that
// is submitted unchanged validates back to the same record.
import type { Incident } from "~/models/incidents.server";

import { incidentJson } from "./api-format";
import { formatForInput } from "./time";

export function incidentFormValues(incident: Incident): Record<string, string> {
  const zone = incident.timeZone;
  const time = (ms: number | null) => (ms === null ? "" : formatForInput(ms, zone));
  return {
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    timeZone: zone,
    startedAt: time(incident.startedAt),
    detectedAt: time(incident.detectedAt),
    mitigatedAt: time(incident.mitigatedAt),
    resolvedAt: time(incident.resolvedAt),
    impactPercent: incident.impactPercent === null ? "" : String(incident.impactPercent),
    impactDescription: incident.impactDescription,
    services: incident.services.join(", "),
    category: incident.category ?? "",
    trigger: incident.trigger ?? "",
    detectionMethod: incident.detectionMethod ?? "",
    summary: incident.summary,
    rootCause: incident.rootCause,
    resolution: incident.resolution,
    lessons: incident.lessons,
    unplaced: incident.unplaced,
  };
}

/** The incident as the API shows it, without read-only fields: exact instants with offsets, the real service list. */
export function incidentPatchBase(incident: Incident): Record<string, unknown> {
  const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, version: _version, ...rest } = incidentJson(incident);
  return rest;
}

/**
 * What an edit form's save is validated from: the stored incident, exactly,
 * with only the fields whose text the user changed taken from the form. A time
 * left as shown keeps its instant (even in the hour repeated when clocks go back,
 * or after the zone changes), and services named with commas stay whole.
 */
export function mergeEditedFields(incident: Incident, submitted: Record<string, string>): Record<string, unknown> {
  const shown = incidentFormValues(incident);
  const merged = incidentPatchBase(incident);
  for (const [field, value] of Object.entries(submitted)) {
    if (value !== shown[field]) merged[field] = value;
  }
  return merged;
}

/** Zones offered in the zone field; any IANA name or offset may still be typed. */
export const COMMON_ZONES = [
  "UTC",
  "GMT+1", "GMT+2", "GMT+3", "GMT+4", "GMT+5:30", "GMT+8", "GMT+9", "GMT-3", "GMT-5", "GMT-8",
  "Europe/London", "Europe/Berlin", "Europe/Paris", "Africa/Lagos", "Africa/Nairobi", "Africa/Johannesburg",
  "Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney",
  "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Sao_Paulo",
];

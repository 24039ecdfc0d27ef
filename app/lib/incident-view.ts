// Display strings for an incident, computed in loaders so server and browser agree.
import type { Incident } from "~/models/incidents.server";
import { impactText } from "./impact";

import { formatDuration, formatInstant } from "./time";
import { OPEN_INCIDENT_STATUSES } from "./vocabulary";

export function incidentSummaryView(incident: Incident, now = Date.now()) {
  const { startedAt, resolvedAt, timeZone } = incident;
  let duration = "unknown";
  if (startedAt !== null && resolvedAt !== null) duration = formatDuration(resolvedAt - startedAt);
  else if (startedAt !== null && OPEN_INCIDENT_STATUSES.includes(incident.status)) duration = `${formatDuration(now - startedAt)} so far`;
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    services: incident.services,
    started: startedAt === null ? "Start unknown" : formatInstant(startedAt, timeZone),
    duration,
    impact: impactText(incident.impactPercent, null, "—"),
  };
}

export type IncidentSummaryView = ReturnType<typeof incidentSummaryView>;

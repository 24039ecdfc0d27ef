import { incidentHealthWindows } from "~/health/evidence.server";
import { renderPostmortem, type PostmortemMonitoring } from "~/postmortem/render";

import { getIncidentWithDetails } from "./incidents.server";

/** The incident's postmortem as Markdown, or null when the incident does not exist. */
export function postmortemMarkdown(incidentId: number): { title: string; markdown: string } | null {
  const details = getIncidentWithDetails(incidentId);
  if (!details) return null;
  // The earliest failed check of any affected service: when the monitors first saw it.
  let monitoring: PostmortemMonitoring | null = null;
  for (const window of incidentHealthWindows(details.incident)) {
    const first = window.firstFailure;
    if (first && (!monitoring || first.at < monitoring.at)) {
      monitoring = { at: first.at, serviceName: window.serviceName, monitorName: first.monitorName, message: first.message };
    }
  }
  return {
    title: details.incident.title,
    markdown: renderPostmortem(details.incident, details.timeline, details.actions, { monitoring }),
  };
}

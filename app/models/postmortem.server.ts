import { renderPostmortem } from "~/postmortem/render";

import { getIncidentWithDetails } from "./incidents.server";

/** The incident's postmortem as Markdown, or null when the incident does not exist. */
export function postmortemMarkdown(incidentId: number): { title: string; markdown: string } | null {
  const details = getIncidentWithDetails(incidentId);
  if (!details) return null;
  return {
    title: details.incident.title,
    markdown: renderPostmortem(details.incident, details.timeline, details.actions),
  };
}

import { reviewPostmortem, summarizeReview } from "~/postmortem/review";

import { getIncidentWithDetails } from "./incidents.server";

/** The review checklist of a stored incident, or null when it does not exist. */
export function reviewIncident(incidentId: number) {
  const details = getIncidentWithDetails(incidentId);
  if (!details) return null;
  const checks = reviewPostmortem(details.incident, details.timeline, details.actions);
  return { checks, summary: summarizeReview(checks) };
}

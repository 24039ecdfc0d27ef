import type { Author } from "~/auth/actor";
import { getDb } from "~/db/client.server";
import { validateAction, validateIncident, validateTimelineEntry, type FieldErrors } from "~/lib/validation";
import type { ParsedPostmortem } from "~/postmortem/import/parse";

import { addAction } from "./actions.server";
import { incidentVocabulary } from "./categories.server";
import { createIncident, type Incident } from "./incidents.server";
import { addTimelineEntry } from "./timeline.server";

/**
 * Saves a parsed document as one incident with its timeline and actions, in one
 * transaction, after the same validation as every other write.
 */
export function saveImported(parsed: ParsedPostmortem, author: Author): { ok: true; incident: Incident } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const incident = validateIncident({
    ...parsed.incident,
    startedAt: parsed.incident.startedAt === null ? null : new Date(parsed.incident.startedAt).toISOString(),
    detectedAt: parsed.incident.detectedAt === null ? null : new Date(parsed.incident.detectedAt).toISOString(),
    mitigatedAt: parsed.incident.mitigatedAt === null ? null : new Date(parsed.incident.mitigatedAt).toISOString(),
    resolvedAt: parsed.incident.resolvedAt === null ? null : new Date(parsed.incident.resolvedAt).toISOString(),
  }, incidentVocabulary());
  if (!incident.ok) Object.assign(errors, incident.errors);
  const context = { timeZone: parsed.incident.timeZone, referenceDate: null };
  const entries = parsed.timeline.map((entry, index) => {
    const result = validateTimelineEntry({ ...entry, occurredAt: new Date(entry.occurredAt).toISOString() }, context);
    if (!result.ok) for (const [field, message] of Object.entries(result.errors)) errors[`timeline[${index}].${field}`] = message;
    return result;
  });
  const actions = parsed.actions.map((action, index) => {
    const result = validateAction(action);
    if (!result.ok) for (const [field, message] of Object.entries(result.errors)) errors[`actions[${index}].${field}`] = message;
    return result;
  });
  if (!incident.ok || Object.keys(errors).length) return { ok: false, errors };
  const saved = getDb().transaction(() => {
    const created = createIncident(incident.data, author);
    for (const entry of entries) if (entry.ok) addTimelineEntry(created.id, entry.data, author);
    for (const action of actions) if (action.ok) addAction(created.id, action.data, author);
    return created;
  });
  return { ok: true, incident: saved };
}

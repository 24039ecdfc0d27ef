import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { noContent, readBody } from "~/lib/api.server";
import { timelineEntryJson } from "~/lib/api-format";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { TIMELINE_FIELDS, validateTimelineEntry } from "~/lib/validation";
import { getIncident } from "~/models/incidents.server";
import { deleteTimelineEntry, getTimelineEntry, timelineContext, updateTimelineEntry } from "~/models/timeline.server";

function findEntry(params: { id?: string }) {
  const id = parseId(params.id);
  const entry = id === null ? null : getTimelineEntry(id);
  const incident = entry ? getIncident(entry.incidentId) : null;
  return entry && incident ? { entry, incident } : null;
}

/** GET /api/timeline/:id */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = findEntry(params);
  if (!found) return apiNotFound("Timeline entry");
  return json(timelineEntryJson(found.entry, found.incident.timeZone));
}

/** PATCH /api/timeline/:id (only the fields sent change), DELETE /api/timeline/:id */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const found = findEntry(params);
  if (!found) return apiNotFound("Timeline entry");
  const { entry, incident } = found;
  if (request.method === "DELETE") {
    deleteTimelineEntry(entry.id);
    return noContent();
  }
  const read = await readBody(request, TIMELINE_FIELDS);
  if (!read.ok) return read.response;
  const base = timelineEntryJson(entry, incident.timeZone);
  const result = validateTimelineEntry(
    { occurredAt: base.occurredAt, text: base.text, kind: base.kind, author: base.author, ...read.body },
    timelineContext(incident),
  );
  if (!result.ok) return apiErrors(result.errors);
  const updated = updateTimelineEntry(entry.id, result.data);
  return updated ? json(timelineEntryJson(updated, incident.timeZone)) : apiNotFound("Timeline entry");
}

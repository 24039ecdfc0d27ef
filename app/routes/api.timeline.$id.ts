import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { conflict, expectedVersion, noContent, readBody } from "~/lib/api.server";
import { conflictMessage } from "~/lib/conflict";
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
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const found = findEntry(params);
  if (!found) return apiNotFound("Timeline entry");
  const { entry, incident } = found;
  const author = authorOf(requireActor(context));
  if (request.method === "DELETE") {
    deleteTimelineEntry(entry.id, author);
    return noContent();
  }
  const read = await readBody(request, TIMELINE_FIELDS);
  if (!read.ok) return read.response;
  const version = expectedVersion(request, read.raw);
  if (!version.ok) return version.response;
  // Read again now that the body is in: nothing below waits, so no other save can land between this read and the write.
  const fresh = findEntry(params);
  if (!fresh) return apiNotFound("Timeline entry");
  const base = timelineEntryJson(fresh.entry, incident.timeZone);
  const result = validateTimelineEntry(
    { occurredAt: base.occurredAt, text: base.text, kind: base.kind, author: base.author, ...read.body },
    timelineContext(incident),
  );
  if (!result.ok) return apiErrors(result.errors);
  const saved = updateTimelineEntry(entry.id, result.data, author, { expectedVersion: version.version });
  if (saved.ok) return json(timelineEntryJson(saved.record, incident.timeZone));
  if (saved.reason === "conflict") {
    return conflict(conflictMessage(saved.changedBy, incident.timeZone), timelineEntryJson(saved.current, incident.timeZone));
  }
  return apiNotFound("Timeline entry");
}

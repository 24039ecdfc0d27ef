import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { created, findIncident, readBody } from "~/lib/api.server";
import { timelineEntryJson } from "~/lib/api-format";
import { apiErrors, apiNotFound, methodNotAllowed } from "~/lib/http.server";
import { TIMELINE_FIELDS, validateTimelineEntry } from "~/lib/validation";
import { addTimelineEntry, listTimeline, timelineContext } from "~/models/timeline.server";

/** GET /api/incidents/:id/timeline */
export async function loader({ params }: LoaderFunctionArgs) {
  const incident = findIncident(params);
  if (!incident) return apiNotFound("Incident");
  return json({ timeline: listTimeline(incident.id).map((entry) => timelineEntryJson(entry, incident.timeZone)) });
}

/** POST /api/incidents/:id/timeline: occurredAt may be an ISO instant or a local time such as "4:20 PM". */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const incident = findIncident(params);
  if (!incident) return apiNotFound("Incident");
  const read = await readBody(request, TIMELINE_FIELDS);
  if (!read.ok) return read.response;
  const result = validateTimelineEntry(read.body, timelineContext(incident));
  if (!result.ok) return apiErrors(result.errors);
  const entry = addTimelineEntry(incident.id, result.data, authorOf(requireActor(context)));
  if (!entry) return apiNotFound("Incident");
  return created(timelineEntryJson(entry, incident.timeZone), `/api/timeline/${entry.id}`);
}

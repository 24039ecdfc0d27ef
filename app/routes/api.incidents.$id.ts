import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { conflict, expectedVersion, findIncident, incidentWithDetailsJson, noContent, readBody } from "~/lib/api.server";
import { incidentPatchBase } from "~/lib/incident-form";
import { conflictMessage } from "~/lib/conflict";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { INCIDENT_FIELDS, validateIncident } from "~/lib/validation";
import { incidentVocabulary } from "~/models/categories.server";
import { deleteIncident, updateIncident } from "~/models/incidents.server";

/** GET /api/incidents/:id: the incident with its timeline and actions. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const body = id === null ? null : incidentWithDetailsJson(id);
  return body ? json(body, { headers: { ETag: `"${body.version}"` } }) : apiNotFound("Incident");
}

/** PATCH /api/incidents/:id (only the fields sent change), DELETE /api/incidents/:id */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const incident = findIncident(params);
  if (!incident) return apiNotFound("Incident");

  const author = authorOf(requireActor(context));
  if (request.method === "DELETE") {
    deleteIncident(incident.id, author);
    return noContent();
  }
  const read = await readBody(request, INCIDENT_FIELDS);
  if (!read.ok) return read.response;
  const version = expectedVersion(request, read.raw);
  if (!version.ok) return version.response;
  // Read again now that the body is in: nothing below waits, so no other save can land between this read and the write.
  const current = findIncident(params);
  if (!current) return apiNotFound("Incident");
  const result = validateIncident({ ...incidentPatchBase(current), ...read.body }, incidentVocabulary());
  if (!result.ok) return apiErrors(result.errors);
  const saved = updateIncident(incident.id, result.data, author, { expectedVersion: version.version });
  if (!saved.ok && saved.reason === "not_found") return apiNotFound("Incident");
  if (!saved.ok && saved.reason === "conflict") {
    return conflict(conflictMessage(saved.changedBy, saved.current.timeZone), incidentWithDetailsJson(incident.id));
  }
  const body = incidentWithDetailsJson(incident.id)!;
  return json(body, { headers: { ETag: `"${body.version}"` } });
}

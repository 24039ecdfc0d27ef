import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { findIncident, incidentPatchBase, incidentWithDetailsJson, noContent, readBody } from "~/lib/api.server";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { INCIDENT_FIELDS, validateIncident } from "~/lib/validation";
import { deleteIncident, updateIncident } from "~/models/incidents.server";

/** GET /api/incidents/:id: the incident with its timeline and actions. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const body = id === null ? null : incidentWithDetailsJson(id);
  return body ? json(body) : apiNotFound("Incident");
}

/** PATCH /api/incidents/:id (only the fields sent change), DELETE /api/incidents/:id */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const incident = findIncident(params);
  if (!incident) return apiNotFound("Incident");

  if (request.method === "DELETE") {
    deleteIncident(incident.id);
    return noContent();
  }
  const read = await readBody(request, INCIDENT_FIELDS);
  if (!read.ok) return read.response;
  const result = validateIncident({ ...incidentPatchBase(incident), ...read.body });
  if (!result.ok) return apiErrors(result.errors);
  updateIncident(incident.id, result.data);
  return json(incidentWithDetailsJson(incident.id));
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { created, findIncident, readBody } from "~/lib/api.server";
import { actionJson } from "~/lib/api-format";
import { apiErrors, apiNotFound, methodNotAllowed } from "~/lib/http.server";
import { ACTION_FIELDS, validateAction } from "~/lib/validation";
import { addAction, listActions } from "~/models/actions.server";

/** GET /api/incidents/:id/actions */
export async function loader({ params }: LoaderFunctionArgs) {
  const incident = findIncident(params);
  if (!incident) return apiNotFound("Incident");
  return json({ actions: listActions({ incidentId: incident.id, sort: "created" }).map(actionJson) });
}

/** POST /api/incidents/:id/actions */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const incident = findIncident(params);
  if (!incident) return apiNotFound("Incident");
  const read = await readBody(request, ACTION_FIELDS);
  if (!read.ok) return read.response;
  const result = validateAction(read.body);
  if (!result.ok) return apiErrors(result.errors);
  const created_ = addAction(incident.id, result.data, authorOf(requireActor(context)));
  if (!created_) return apiNotFound("Incident");
  return created(actionJson(created_), `/api/actions/${created_.id}`);
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { noContent, readBody } from "~/lib/api.server";
import { actionJson } from "~/lib/api-format";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { ACTION_FIELDS, validateAction } from "~/lib/validation";
import { deleteAction, getAction, updateAction } from "~/models/actions.server";

function findAction(params: { id?: string }) {
  const id = parseId(params.id);
  return id === null ? null : getAction(id);
}

/** GET /api/actions/:id */
export async function loader({ params }: LoaderFunctionArgs) {
  const action = findAction(params);
  return action ? json(actionJson(action)) : apiNotFound("Corrective action");
}

/** PATCH /api/actions/:id (only the fields sent change), DELETE /api/actions/:id */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const existing = findAction(params);
  if (!existing) return apiNotFound("Corrective action");
  if (request.method === "DELETE") {
    deleteAction(existing.id);
    return noContent();
  }
  const read = await readBody(request, ACTION_FIELDS);
  if (!read.ok) return read.response;
  const { id: _id, incidentId: _incidentId, completedAt: _completedAt, ...base } = actionJson(existing);
  const result = validateAction({ ...base, ...read.body });
  if (!result.ok) return apiErrors(result.errors);
  const updated = updateAction(existing.id, result.data);
  return updated ? json(actionJson(updated)) : apiNotFound("Corrective action");
}

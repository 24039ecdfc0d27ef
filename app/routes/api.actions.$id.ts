import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { conflict, expectedVersion, noContent, readBody } from "~/lib/api.server";
import { conflictMessage } from "~/lib/conflict";
import { actionJson } from "~/lib/api-format";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { ACTION_FIELDS, validateAction } from "~/lib/validation";
import { deleteAction, getAction, updateAction } from "~/models/actions.server";
import { getIncident } from "~/models/incidents.server";

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
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const existing = findAction(params);
  if (!existing) return apiNotFound("Corrective action");
  const author = authorOf(requireActor(context));
  if (request.method === "DELETE") {
    deleteAction(existing.id, author);
    return noContent();
  }
  const read = await readBody(request, ACTION_FIELDS);
  if (!read.ok) return read.response;
  const version = expectedVersion(request, read.raw);
  if (!version.ok) return version.response;
  // Read again now that the body is in: nothing below waits, so no other save can land between this read and the write.
  const current = findAction(params);
  if (!current) return apiNotFound("Corrective action");
  const { id: _id, incidentId: _incidentId, completedAt: _completedAt, version: _version, ...base } = actionJson(current);
  const result = validateAction({ ...base, ...read.body });
  if (!result.ok) return apiErrors(result.errors);
  const saved = updateAction(existing.id, result.data, author, { expectedVersion: version.version });
  if (saved.ok) return json(actionJson(saved.record));
  if (saved.reason === "conflict") {
    const zone = getIncident(existing.incidentId)?.timeZone ?? "UTC";
    return conflict(conflictMessage(saved.changedBy, zone), actionJson(saved.current));
  }
  return apiNotFound("Corrective action");
}

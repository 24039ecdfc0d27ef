import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { conflict, expectedVersion, noContent, readBody } from "~/lib/api.server";
import { MONITOR_READ_ONLY_FIELDS, monitorJson, writableFields } from "~/lib/health-api-format";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { MONITOR_FIELDS, validateMonitor } from "~/lib/monitor-validation";
import { deleteMonitor, getMonitor, updateMonitor, type Monitor } from "~/models/services.server";

function findMonitor(params: { id?: string }) {
  const id = parseId(params.id);
  return id === null ? null : getMonitor(id);
}

function withEtag(monitor: Monitor, pushToken?: string) {
  return json(monitorJson(monitor, pushToken), { headers: { ETag: `"${monitor.version}"` } });
}

/** GET /api/monitors/:id */
export async function loader({ params }: LoaderFunctionArgs) {
  const monitor = findMonitor(params);
  return monitor ? withEtag(monitor) : apiNotFound("Monitor");
}

/**
 * PATCH /api/monitors/:id: the fields sent are laid over the stored ones and the whole
 * monitor is validated again (a new type clears the settings it does not use; a change
 * to push answers with the new token, once). DELETE /api/monitors/:id removes it with its history.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const existing = findMonitor(params);
  if (!existing) return apiNotFound("Monitor");

  if (request.method === "DELETE") {
    return deleteMonitor(existing.id) ? noContent() : apiNotFound("Monitor");
  }

  const read = await readBody(request, [...MONITOR_FIELDS, ...MONITOR_READ_ONLY_FIELDS]);
  if (!read.ok) return read.response;
  const version = expectedVersion(request, read.raw);
  if (!version.ok) return version.response;
  // Read again now that the body is in: nothing below waits, so no other save can land between this read and the write.
  const current = findMonitor(params);
  if (!current) return apiNotFound("Monitor");
  const stored = writableFields(current as unknown as Record<string, unknown>, MONITOR_FIELDS);
  const result = validateMonitor({ ...stored, ...writableFields(read.body, MONITOR_FIELDS) });
  if (!result.ok) return apiErrors(result.errors);
  const saved = updateMonitor(current.id, result.data, version.version);
  if (saved.ok) return withEtag(saved.record, saved.pushToken);
  if (saved.reason === "not_found") return apiNotFound("Monitor");
  if (saved.reason === "invalid") return apiErrors(saved.errors);
  const latest = getMonitor(current.id)!;
  return conflict(
    `Not saved: this monitor was changed by someone else after you read it (it is now version ${latest.version}). The stored monitor is in "current"; send your change again with that version to replace it.`,
    monitorJson(latest),
  );
}

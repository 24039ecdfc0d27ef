import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { uptime } from "~/health/history.server";
import { conflict, expectedVersion, noContent, readBody } from "~/lib/api.server";
import { SERVICE_READ_ONLY_FIELDS, serviceJson, uptimeJson, writableFields } from "~/lib/health-api-format";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { SERVICE_FIELDS, validateService } from "~/lib/monitor-validation";
import { deleteService, getService, updateService, type Service } from "~/models/services.server";

function findService(params: { id?: string }) {
  const id = parseId(params.id);
  return id === null ? null : getService(id);
}

function detailJson(service: Service) {
  const ids = service.monitors.map((monitor) => monitor.id);
  const now = Date.now();
  return serviceJson(service, { uptime: uptimeJson((period) => uptime(ids, period, now).percent), monitors: true });
}

function withEtag(service: Service) {
  return json(detailJson(service), { headers: { ETag: `"${service.version}"` } });
}

/** GET /api/services/:id: the service with its state, uptime and monitors. */
export async function loader({ params }: LoaderFunctionArgs) {
  const service = findService(params);
  return service ? withEtag(service) : apiNotFound("Service");
}

/** PATCH /api/services/:id (only the fields sent change), DELETE /api/services/:id (refused while incidents name it) */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "PATCH" && request.method !== "DELETE") return methodNotAllowed(["GET", "PATCH", "DELETE"]);
  const existing = findService(params);
  if (!existing) return apiNotFound("Service");

  if (request.method === "DELETE") {
    const deleted = deleteService(existing.id);
    if (deleted.ok) return noContent();
    if (deleted.reason === "not_found") return apiNotFound("Service");
    const count = deleted.incidents === 1 ? "1 incident names" : `${deleted.incidents} incidents name`;
    // Deleted incidents (still restorable from the bin) count too: restoring one would lose its service.
    return json(
      { error: `Not deleted: ${count} the service "${existing.name}". Remove it from them first (incidents in the bin count too); its monitors and history stay until then.` },
      { status: 409 },
    );
  }

  const read = await readBody(request, [...SERVICE_FIELDS, ...SERVICE_READ_ONLY_FIELDS]);
  if (!read.ok) return read.response;
  const version = expectedVersion(request, read.raw);
  if (!version.ok) return version.response;
  // Read again now that the body is in: nothing below waits, so no other save can land between this read and the write.
  const current = findService(params);
  if (!current) return apiNotFound("Service");
  const result = validateService({ name: current.name, description: current.description, ...writableFields(read.body, SERVICE_FIELDS) });
  if (!result.ok) return apiErrors(result.errors);
  const saved = updateService(current.id, result.data, version.version);
  if (saved.ok) return withEtag(saved.record);
  if (saved.reason === "not_found") return apiNotFound("Service");
  if (saved.reason === "invalid") return apiErrors(saved.errors);
  const stored = getService(current.id)!;
  return conflict(
    `Not saved: this service was changed by someone else after you read it (it is now version ${stored.version}). The stored service is in "current"; send your change again with that version to replace it.`,
    detailJson(stored),
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { created, readBody } from "~/lib/api.server";
import { MONITOR_READ_ONLY_FIELDS, monitorJson, writableFields } from "~/lib/health-api-format";
import { apiErrors, methodNotAllowed, parseId } from "~/lib/http.server";
import { MONITOR_FIELDS, validateMonitor } from "~/lib/monitor-validation";
import { createMonitor, listMonitors } from "~/models/services.server";

/** GET /api/monitors?service=<id>: every monitor, or a service's. */
export async function loader({ request }: LoaderFunctionArgs) {
  const service = new URL(request.url).searchParams.get("service");
  const serviceId = service ? parseId(service) : null;
  if (service && serviceId === null) return apiErrors({ service: "service must be a service's id, a whole number" });
  return json({ monitors: listMonitors(serviceId ?? undefined).map((monitor) => monitorJson(monitor)) });
}

/** POST /api/monitors: 201 with the monitor; a push monitor's token (and push URL) is in this answer only. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const read = await readBody(request, [...MONITOR_FIELDS, ...MONITOR_READ_ONLY_FIELDS]);
  if (!read.ok) return read.response;
  const result = validateMonitor(writableFields(read.body, MONITOR_FIELDS));
  if (!result.ok) return apiErrors(result.errors);
  const saved = createMonitor(result.data);
  if (!saved.ok) return apiErrors(saved.reason === "invalid" ? saved.errors : { serviceId: "The monitor could not be saved" });
  return created(monitorJson(saved.record, saved.pushToken), `/api/monitors/${saved.record.id}`);
}

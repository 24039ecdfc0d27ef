import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { uptime } from "~/health/history.server";
import { created, readBody } from "~/lib/api.server";
import { SERVICE_READ_ONLY_FIELDS, serviceJson, uptimeJson, writableFields } from "~/lib/health-api-format";
import { apiErrors, methodNotAllowed } from "~/lib/http.server";
import { SERVICE_FIELDS, validateService } from "~/lib/monitor-validation";
import { createService, listServices } from "~/models/services.server";

/** GET /api/services: every service with its current state and uptime over 24 hours, 30 and 90 days. */
export async function loader() {
  const now = Date.now();
  const services = listServices().map((service) => {
    const ids = service.monitors.map((monitor) => monitor.id);
    return serviceJson(service, { uptime: uptimeJson((period) => uptime(ids, period, now).percent) });
  });
  return json({ services });
}

/** POST /api/services { name, description }: 201 with the service as GET /api/services/:id answers it. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const read = await readBody(request, [...SERVICE_FIELDS, ...SERVICE_READ_ONLY_FIELDS]);
  if (!read.ok) return read.response;
  const result = validateService(writableFields(read.body, SERVICE_FIELDS));
  if (!result.ok) return apiErrors(result.errors);
  const saved = createService(result.data);
  if (!saved.ok) return apiErrors(saved.reason === "invalid" ? saved.errors : { name: "The service could not be saved" });
  const body = serviceJson(saved.record, { uptime: uptimeJson(() => null), monitors: true });
  return created(body, `/api/services/${saved.record.id}`);
}

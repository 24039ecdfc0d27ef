import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { monitorJson } from "~/lib/health-api-format";
import { apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { getMonitor, regeneratePushToken } from "~/models/services.server";

/** Only POST: a token is shown once, so there is nothing to GET. */
export async function loader() {
  return methodNotAllowed(["POST"]);
}

/** POST /api/monitors/:id/push-token: a new token for a push monitor (the old one stops working), shown in this answer only. */
export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const id = parseId(params.id);
  const token = id === null ? null : regeneratePushToken(id);
  const monitor = id === null || token === null ? null : getMonitor(id);
  if (!token || !monitor) return apiNotFound("Push monitor");
  return json(monitorJson(monitor, token));
}

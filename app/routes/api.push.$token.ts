import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { ingestResults } from "~/health/store.server";
import { apiErrors, methodNotAllowed } from "~/lib/http.server";
import type { FieldErrors } from "~/lib/validation";
import { monitorByPushToken } from "~/models/services.server";

// A push monitor's heartbeat: POST /api/push/:token (GET too, for cron jobs and plain curl).
// The token in the path is the credential (the gate lets /api/push/* through), as in Uptime Kuma.
// Optional status=up|down, msg, latencyMs: in the query string, a form or a JSON body.

async function readParams(request: Request): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(new URL(request.url).searchParams);
  if (request.method !== "POST") return params;
  const type = request.headers.get("content-type") ?? "";
  const text = (await request.text()).slice(0, 100_000);
  if (!text.trim()) return params;
  if (type.includes("application/json")) {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new SyntaxError("not an object");
    return { ...params, ...(body as Record<string, unknown>) };
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(text)) };
}

async function heartbeat(request: Request, token: string | undefined) {
  const monitor = token ? monitorByPushToken(token) : null;
  if (!monitor) return json({ error: "No push monitor has this token" }, { status: 404 });
  let params: Record<string, unknown>;
  try {
    params = await readParams(request);
  } catch {
    return apiErrors({ body: "Body must be a JSON object, a form, or empty" });
  }
  const errors: FieldErrors = {};
  const status = params.status ?? "up";
  if (status !== "up" && status !== "down") errors.status = 'status must be "up" or "down"';
  const message = params.msg ?? params.message ?? null;
  if (message !== null && (typeof message !== "string" || message.length > 500)) errors.msg = "msg must be text of at most 500 characters";
  const latencyRaw = params.latencyMs ?? params.ping ?? null;
  const latency = latencyRaw === null || latencyRaw === "" ? null : Number(latencyRaw);
  if (latency !== null && (!Number.isFinite(latency) || latency < 0 || latency > 3_600_000)) errors.latencyMs = "latencyMs must be a number of milliseconds from 0 to 3600000";
  if (Object.keys(errors).length) return apiErrors(errors);
  const result = ingestResults(
    monitor.id,
    [{ at: Date.now(), ok: status === "up", latencyMs: latency === null ? null : Math.round(latency), message: (message as string | null) ?? (status === "up" ? "Heartbeat" : "Heartbeat reported down") }],
    "push",
  );
  return json({ ok: true, monitorId: monitor.id, recorded: (result?.recorded ?? 0) > 0, state: result?.state ?? null });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  return heartbeat(request, params.token);
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return heartbeat(request, params.token);
}

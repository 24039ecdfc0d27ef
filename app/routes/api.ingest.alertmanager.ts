import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { ingestAlerts } from "~/health/alerts.server";
import { apiErrors, methodNotAllowed, readJsonObject } from "~/lib/http.server";

// POST /api/ingest/alertmanager: Prometheus Alertmanager's webhook (version 4) or Grafana's
// (version 1; /api/ingest/grafana is the same route). The gate admits only ingest-scope tokens.
// ?serviceLabel=team[,other] names the label(s) that say which service an alert is about,
// instead of ALERT_SERVICE_LABELS. How alerts become monitors: app/health/alerts.server.ts.

/** Seconds a sender should wait before retrying a delivery the database was too busy for. */
const RETRY_AFTER_SECONDS = 5;

function serviceLabels(url: URL): { ok: true; labels: string[] | undefined } | { ok: false; response: Response } {
  const given = url.searchParams.getAll("serviceLabel");
  if (given.length === 0) return { ok: true, labels: undefined };
  const labels = given.flatMap((value) => value.split(",")).map((label) => label.trim());
  if (labels.some((label) => !label || label.length > 100)) {
    return { ok: false, response: apiErrors({ serviceLabel: "serviceLabel must be label names separated by commas, e.g. ?serviceLabel=service,team" }) };
  }
  return { ok: true, labels };
}

/** Faults that clear by themselves (another writer holds the database): the sender should retry. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

export async function loader() {
  return methodNotAllowed(["POST"]);
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const labels = serviceLabels(new URL(request.url));
  if (!labels.ok) return labels.response;
  const read = await readJsonObject(request);
  if (!read.ok) return read.response;
  try {
    const result = ingestAlerts(read.body, { labels: labels.labels });
    if (!result.ok) return apiErrors(result.errors);
    const { ok: _ok, ...delivery } = result;
    return json(delivery);
  } catch (error) {
    if (!isTransient(error)) throw error;
    return json(
      { error: "The database is busy; nothing was recorded. Send the delivery again." },
      { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } },
    );
  }
}

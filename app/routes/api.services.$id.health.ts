import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { buckets, finestResolution, rawPoints, stateChangesOf } from "~/health/history.server";
import { bucketJson, isoUtc, rawPointJson, serviceJson, stateChangeJson } from "~/lib/health-api-format";
import { RESOLUTION_MS } from "~/lib/health-vocabulary";
import { apiErrors, apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { parseDateTimeInput } from "~/lib/time";
import type { FieldErrors } from "~/lib/validation";
import { getService } from "~/models/services.server";

const RESOLUTIONS = ["raw", "minute", "hour", "day"] as const;
type Resolution = (typeof RESOLUTIONS)[number];

const DAY = RESOLUTION_MS.day;
const HOUR = RESOLUTION_MS.hour;

/** The longest span one request may cover at each resolution, so an answer stays a few thousand rows per monitor. */
const MAX_SPAN: Record<Resolution, { ms: number; text: string; coarser: string }> = {
  raw: { ms: 7 * DAY, text: "7 days", coarser: "resolution=minute" },
  minute: { ms: 31 * DAY, text: "31 days", coarser: "resolution=hour" },
  hour: { ms: 366 * DAY, text: "366 days", coarser: "resolution=day" },
  day: { ms: 3_660 * DAY, text: "10 years", coarser: "several requests" },
};

/** ISO 8601 with an offset keeps its milliseconds (parseDateTimeInput checks the calendar, to the second). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function readInstant(value: string, endOfDay: boolean): number | null {
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    // A date alone is that whole UTC day, as in GET /api/incidents.
    const parsed = parseDateTimeInput(`${text} 00:00`, "UTC");
    return parsed.ok ? parsed.ms + (endOfDay ? DAY : 0) : null;
  }
  const parsed = parseDateTimeInput(text, "UTC");
  if (!parsed.ok) return null;
  const exact = ISO_INSTANT.test(text) ? Date.parse(text) : NaN;
  return Number.isFinite(exact) ? exact : parsed.ms;
}

/** The default detail: by span (≤ 6 h raw, ≤ 7 d minutes, ≤ 90 d hours, else days), never finer than is still kept for `from`. */
function defaultResolution(from: number, to: number, now: number): Resolution {
  const span = to - from;
  const bySpan: Resolution = span <= 6 * HOUR ? "raw" : span <= 7 * DAY ? "minute" : span <= 90 * DAY ? "hour" : "day";
  const kept = finestResolution(from, now);
  return RESOLUTIONS.indexOf(kept) > RESOLUTIONS.indexOf(bySpan) ? kept : bySpan;
}

/**
 * GET /api/services/:id/health?from=&to=&resolution=raw|minute|hour|day&monitor=<id>
 * The state changes in [from, to) and the checks: raw results, or rollup buckets merged
 * across the service's monitors (or one monitor's).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const service = id === null ? null : getService(id);
  if (!service) return apiNotFound("Service");

  const query = new URL(request.url).searchParams;
  const now = Date.now();
  const errors: FieldErrors = {};
  const instant = (name: "from" | "to") => {
    const value = query.get(name);
    if (!value) return null;
    const ms = readInstant(value, name === "to");
    if (ms === null) errors[name] = `${name} must be an ISO 8601 instant (2024-06-09T13:20:00Z) or a date (2024-06-09)`;
    return ms;
  };
  const toParam = instant("to");
  const fromParam = instant("from");
  const to = toParam ?? now;
  const from = fromParam ?? to - DAY;
  if (!errors.from && !errors.to && from >= to) errors.from = "from must be before to";

  const resolutionParam = query.get("resolution");
  if (resolutionParam && !RESOLUTIONS.includes(resolutionParam as Resolution)) errors.resolution = `resolution must be one of ${RESOLUTIONS.join(", ")}`;

  const monitorParam = query.get("monitor");
  let monitorIds = service.monitors.map((monitor) => monitor.id);
  if (monitorParam) {
    const monitorId = parseId(monitorParam);
    if (monitorId === null || !monitorIds.includes(monitorId)) errors.monitor = `monitor must be the id of one of ${service.name}'s monitors`;
    else monitorIds = [monitorId];
  }
  if (Object.keys(errors).length) return apiErrors(errors);

  const resolution = (resolutionParam as Resolution | null) ?? defaultResolution(from, to, now);
  const limit = MAX_SPAN[resolution];
  if (to - from > limit.ms) {
    return apiErrors({
      resolution: `resolution=${resolution} covers at most ${limit.text} per request, to cap the rows in one answer: narrow from/to or use ${limit.coarser}`,
    });
  }

  const states = monitorParam ? stateChangesOf({ monitorIds }, from, to) : stateChangesOf({ serviceId: service.id }, from, to);
  return json({
    service: serviceJson(service, { monitors: true }),
    monitor: monitorParam ? monitorIds[0] : null,
    from: isoUtc(from),
    to: isoUtc(to),
    resolution,
    states: states.map(stateChangeJson),
    buckets: resolution === "raw" ? rawPoints(monitorIds, from, to).map(rawPointJson) : buckets(monitorIds, resolution, from, to).map(bucketJson),
  });
}

export async function action() {
  return methodNotAllowed(["GET"]);
}

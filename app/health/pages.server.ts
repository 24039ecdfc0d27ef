// The data behind the services overview and a service's page, all from rollups and the
// state-change log (so a year of 1-minute checks reads as fast as a day's).
import { and, desc, eq, isNull } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { incidentServices, incidents } from "~/db/schema";
import { LATENCY_RANGES, RESOLUTION_MS, type LatencyRange } from "~/lib/health-vocabulary";
import { getService, listServices, type Service } from "~/models/services.server";

import { retention } from "./store.server";
import { buckets, dailyBar, stateChangesOf, uptime, type Bucket, type DayCell, type StateChangeView } from "./history.server";

export const BAR_DAYS = 90;

export type ServiceSummary = Service & {
  uptime: { "24h": number | null; "30d": number | null; "90d": number | null };
  bar: DayCell[];
};

function summarize(service: Service, now: number, until: number): ServiceSummary {
  const ids = service.monitors.map((m) => m.id);
  return {
    ...service,
    uptime: { "24h": uptime(ids, "24h", now).percent, "30d": uptime(ids, "30d", now).percent, "90d": uptime(ids, "90d", now).percent },
    bar: dailyBar(ids, BAR_DAYS, until),
  };
}

export function servicesOverview(now = Date.now()): ServiceSummary[] {
  return listServices().map((service) => summarize(service, now, now));
}

export { LATENCY_RANGES, type LatencyRange };

export type ServicePage = ServiceSummary & {
  uptimeYear: number | null;
  uptime7d: number | null;
  latencyRange: LatencyRange;
  latency: Bucket[];
  changes: StateChangeView[];
  incidents: { id: number; title: string; severity: string; status: string; startedAt: number | null; timeZone: string }[];
  /** The end of the shown period: now, or an earlier day asked for with ?until= (e.g. for example data). */
  until: number;
  /** When nothing was checked in the period, the latest moment anything was (to offer a link). */
  latestData: number | null;
};

export function servicePage(id: number, options: { now?: number; until?: number; range?: LatencyRange } = {}): ServicePage | null {
  const now = options.now ?? Date.now();
  const until = Math.min(options.until ?? now, now);
  const service = getService(id);
  if (!service) return null;
  const ids = service.monitors.map((m) => m.id);
  const summary = summarize(service, until, until);
  const range = options.range ?? "24h";
  const spec = LATENCY_RANGES[range];
  const changes = stateChangesOf({ serviceId: id }, until - BAR_DAYS * RESOLUTION_MS.day, until + 1, { newestFirst: true, limit: 200 });
  const latest = changes.length || summary.bar.some((cell) => cell.state) ? null : latestActivity(id);
  const linked = getDb()
    .select({ id: incidents.id, title: incidents.title, severity: incidents.severity, status: incidents.status, startedAt: incidents.startedAt, timeZone: incidents.timeZone })
    .from(incidentServices)
    .innerJoin(incidents, eq(incidents.id, incidentServices.incidentId))
    .where(and(eq(incidentServices.serviceId, id), isNull(incidents.deletedAt)))
    .orderBy(desc(incidents.startedAt))
    .limit(50)
    .all();
  return {
    ...summary,
    uptimeYear: uptime(ids, "1y", until).percent,
    uptime7d: uptime(ids, "7d", until).percent,
    latencyRange: range,
    // Minute rollups are kept 30 days: an older period is drawn from hours.
    latency: buckets(ids, spec.resolution === "minute" && until - spec.ms < now - retention().minuteMs ? "hour" : spec.resolution, until - spec.ms, until + 1),
    changes,
    incidents: linked,
    until,
    latestData: latest,
  };
}

function latestActivity(serviceId: number): number | null {
  const change = stateChangesOf({ serviceId }, 0, Number.MAX_SAFE_INTEGER, { newestFirst: true, limit: 1 })[0];
  return change?.at ?? null;
}

// The JSON shapes of services, monitors and health history in the public API
// (camelCase, ISO 8601 instants in UTC). Pure: shared by the API routes and tests.
// A push token is never stored in the clear: it appears only in the answer that made it.
import type { Bucket, RawPoint, StateChangeView } from "~/health/history.server";
import type { Monitor, Service } from "~/models/services.server";

import { toIsoInZone } from "./time";

export function isoUtc(ms: number | null): string | null {
  return ms === null ? null : toIsoInZone(ms, "UTC");
}

/**
 * Fields a GET answers that a write ignores (so a client may send a record back as read);
 * anything else not writable is an unknown field.
 */
export const SERVICE_READ_ONLY_FIELDS = ["example", "state", "monitorCount", "incidentCount", "uptime", "monitors"];
export const MONITOR_READ_ONLY_FIELDS = [
  "example",
  "state",
  "stateSince",
  "failures",
  "failingSince",
  "lastCheckAt",
  "lastLatencyMs",
  "lastMessage",
  "pushTokenPrefix",
];

/** The writable fields of a body read with the read-only ones allowed. */
export function writableFields(body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => fields.includes(key)));
}

/** A service; with `uptime` (list and record) and `monitors` (record) when given. */
export function serviceJson(service: Service, extra: { uptime?: Record<ApiUptimePeriod, number | null>; monitors?: boolean } = {}) {
  return {
    id: service.id,
    name: service.name,
    description: service.description,
    state: service.state,
    monitorCount: service.monitors.length,
    incidentCount: service.incidentCount,
    example: service.example,
    createdAt: isoUtc(service.createdAt),
    updatedAt: isoUtc(service.updatedAt),
    version: service.version,
    ...(extra.uptime ? { uptime: extra.uptime } : {}),
    ...(extra.monitors ? { monitors: service.monitors.map((monitor) => monitorJson(monitor)) } : {}),
  };
}

/** The uptime periods a service answers with (as on the services page). */
export const API_UPTIME_PERIODS = ["24h", "30d", "90d"] as const;
export type ApiUptimePeriod = (typeof API_UPTIME_PERIODS)[number];

/** Uptime % per period, to three decimals (null: nothing was checked in the period). */
export function uptimeJson(percentOf: (period: ApiUptimePeriod) => number | null): Record<ApiUptimePeriod, number | null> {
  const result = {} as Record<ApiUptimePeriod, number | null>;
  for (const period of API_UPTIME_PERIODS) {
    const percent = percentOf(period);
    // Rounded down, as on the pages: 99.9996% must not read as 100%.
    result[period] = percent === null ? null : Math.floor(percent * 1000) / 1000;
  }
  return result;
}

/** The push URL is a path: the host a client reaches Hindsight by is the one it already uses. */
export function pushPath(token: string): string {
  return `/api/push/${token}`;
}

/** A monitor; `pushToken` only when it was just made (create, regenerate, change of type to push). */
export function monitorJson(monitor: Monitor, pushToken?: string) {
  return {
    id: monitor.id,
    serviceId: monitor.serviceId,
    name: monitor.name,
    type: monitor.type,
    mode: monitor.mode,
    intervalSeconds: monitor.intervalSeconds,
    retries: monitor.retries,
    timeoutMs: monitor.timeoutMs,
    degradedMs: monitor.degradedMs,
    url: monitor.url,
    method: monitor.method,
    acceptedStatus: monitor.acceptedStatus,
    bodyContains: monitor.bodyContains,
    jsonPath: monitor.jsonPath,
    jsonExpected: monitor.jsonExpected,
    host: monitor.host,
    port: monitor.port,
    graceSeconds: monitor.graceSeconds,
    alertName: monitor.alertName,
    pushTokenPrefix: monitor.pushTokenPrefix,
    ...(pushToken ? { pushToken, pushUrl: pushPath(pushToken) } : {}),
    state: monitor.state,
    stateSince: isoUtc(monitor.stateSince),
    failures: monitor.failures,
    failingSince: isoUtc(monitor.failingSince),
    lastCheckAt: isoUtc(monitor.lastCheckAt),
    lastLatencyMs: monitor.lastLatencyMs,
    lastMessage: monitor.lastMessage,
    example: monitor.example,
    createdAt: isoUtc(monitor.createdAt),
    updatedAt: isoUtc(monitor.updatedAt),
    version: monitor.version,
  };
}

export function stateChangeJson(change: StateChangeView) {
  return {
    id: change.id,
    monitorId: change.monitorId,
    monitorName: change.monitorName,
    at: isoUtc(change.at),
    from: change.from,
    to: change.to,
    failingSince: isoUtc(change.failingSince),
    source: change.source,
    message: change.message,
  };
}

export function rawPointJson(point: RawPoint & { monitorId: number }) {
  return {
    monitorId: point.monitorId,
    at: isoUtc(point.at),
    ok: point.ok,
    state: point.state,
    latencyMs: point.latencyMs,
    message: point.message,
  };
}

export function bucketJson(bucket: Bucket) {
  return {
    at: isoUtc(bucket.at),
    up: bucket.up,
    degraded: bucket.degraded,
    down: bucket.down,
    maintenance: bucket.maintenance,
    latency: { avgMs: bucket.latencyAvgMs, minMs: bucket.latencyMinMs, maxMs: bucket.latencyMaxMs },
  };
}

export type MonitorJson = ReturnType<typeof monitorJson>;
export type ServiceJson = ReturnType<typeof serviceJson>;

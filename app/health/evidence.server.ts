// An incident's health window: what its services' monitors saw from 2 hours before the
// start to 2 hours after resolution. Computed live while raw data exists, and saved with
// the incident (incident_health) so it outlives raw-data retention.
import { and, eq, gte, isNotNull, isNull } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { incidentHealth, incidentServices, incidents, monitors, services, type IncidentRow } from "~/db/schema";
import { RESOLUTION_MS, type StateChangeSource } from "~/lib/health-vocabulary";

import { buckets, finestResolution, rawPoints, stateBands, stateChangesOf, type Band, type StateChangeView } from "./history.server";
import { retention } from "./store.server";

export const WINDOW_MARGIN_MS = 2 * RESOLUTION_MS.hour;

export type LatencyPoint = { at: number; ms: number; monitorId: number };
export type HealthWindow = {
  serviceId: number;
  serviceName: string;
  example: boolean;
  from: number;
  to: number;
  resolution: "raw" | "minute" | "hour";
  monitors: { id: number; name: string; type: string }[];
  bands: Band[];
  latency: LatencyPoint[];
  changes: StateChangeView[];
  /** The earliest failed check (or start of a failing run / firing alert) in the window. */
  firstFailure: { at: number; monitorName: string; message: string; source: StateChangeSource | "check" } | null;
  /** Saved as evidence at this time (null: computed live). */
  capturedAt: number | null;
};

type Times = Pick<IncidentRow, "startedAt" | "detectedAt" | "mitigatedAt" | "resolvedAt" | "createdAt">;

/** [start − 2 h, resolution (or now, while open) + 2 h); null without a start. */
export function windowOf(incident: Times, now = Date.now()): { from: number; to: number } | null {
  const start = incident.startedAt ?? incident.detectedAt;
  if (start == null) return null;
  const end = incident.resolvedAt ?? Math.max(now, start);
  return { from: start - WINDOW_MARGIN_MS, to: Math.max(end, start) + WINDOW_MARGIN_MS };
}

export function computeWindow(service: { id: number; name: string; example: boolean }, from: number, to: number, now = Date.now()): HealthWindow {
  const monitorRows = getDb()
    .select({ id: monitors.id, name: monitors.name, type: monitors.type })
    .from(monitors)
    .where(eq(monitors.serviceId, service.id))
    .all();
  const ids = monitorRows.map((m) => m.id);
  const changes = stateChangesOf({ monitorIds: ids }, from, to);
  const bands = stateBands(ids, from, to, changes);
  let resolution = finestResolution(from, now);
  let latency: LatencyPoint[] = [];
  let firstFailure: HealthWindow["firstFailure"] = null;
  const names = new Map(monitorRows.map((m) => [m.id, m.name]));
  if (resolution === "raw") {
    const points = rawPoints(ids, from, to);
    if (points.length === 0 && changes.length === 0) resolution = "minute";
    for (const point of points) {
      if (point.latencyMs != null) latency.push({ at: point.at, ms: point.latencyMs, monitorId: point.monitorId });
      if (!point.ok && !firstFailure) firstFailure = { at: point.at, monitorName: names.get(point.monitorId) ?? "", message: point.message ?? "", source: "check" };
    }
  }
  if (resolution !== "raw") {
    const level = resolution === "minute" ? "minute" : "hour";
    latency = [];
    for (const monitor of monitorRows) {
      for (const bucket of buckets([monitor.id], level, from, to)) {
        if (bucket.latencyAvgMs != null) latency.push({ at: bucket.at, ms: bucket.latencyAvgMs, monitorId: monitor.id });
      }
    }
    latency.sort((a, b) => a.at - b.at);
  }
  // A run of failures that began before its state change (retries), or an alert, may be earlier than any raw failure left.
  for (const change of changes) {
    // Slowness is shown in the bands; the first failure is the first check that failed.
    if (change.to !== "down") continue;
    const at = change.failingSince ?? change.at;
    if (at >= from && (!firstFailure || at < firstFailure.at)) {
      firstFailure = { at, monitorName: change.monitorName, message: change.message, source: change.source };
    }
  }
  return { serviceId: service.id, serviceName: service.name, example: service.example, from, to, resolution: resolution as HealthWindow["resolution"], monitors: monitorRows, bands, latency, changes, firstFailure, capturedAt: null };
}

function servicesOf(incidentId: number) {
  return getDb()
    .select({ id: services.id, name: services.name, example: services.example })
    .from(incidentServices)
    .innerJoin(services, eq(services.id, incidentServices.serviceId))
    .where(eq(incidentServices.incidentId, incidentId))
    .orderBy(incidentServices.position)
    .all();
}

/**
 * Saved evidence still serves an edited incident while it spans the incident itself (start to
 * resolution): a minute's correction of the end must not swap every check for hourly averages.
 */
function spansIncident(evidence: { windowFrom: number; windowTo: number }, incident: Times): boolean {
  const start = incident.startedAt ?? incident.detectedAt;
  const end = incident.resolvedAt ?? start;
  return start !== null && end !== null && evidence.windowFrom <= start && evidence.windowTo >= end;
}

/**
 * The health window of each of the incident's services: the saved evidence when live data no
 * longer has every check and the evidence spans the incident, otherwise computed now.
 */
export function incidentHealthWindows(incident: IncidentRow, now = Date.now()): HealthWindow[] {
  const window = windowOf(incident, now);
  if (!window) return [];
  const saved = new Map(
    getDb()
      .select()
      .from(incidentHealth)
      .where(eq(incidentHealth.incidentId, incident.id))
      .all()
      .map((row) => [row.serviceId, row]),
  );
  const rawGone = window.from < now - retention().rawMs;
  return servicesOf(incident.id).map((service) => {
    const evidence = saved.get(service.id);
    if (evidence && spansIncident(evidence, incident) && (rawGone || service.example)) {
      return { ...(JSON.parse(evidence.data) as HealthWindow), serviceName: service.name, capturedAt: evidence.capturedAt };
    }
    return computeWindow(service, window.from, window.to, now);
  });
}

/** Saves the incident's health windows as evidence (replacing older ones). Only for resolved incidents. */
export function saveEvidence(incidentId: number, now = Date.now()): number {
  const db = getDb();
  const incident = db.select().from(incidents).where(eq(incidents.id, incidentId)).get();
  if (!incident || incident.resolvedAt == null || incident.deletedAt != null) return 0;
  const window = windowOf(incident, now);
  // Without a start or detection time there is no window to keep.
  if (!window) return 0;
  const existing = new Map(db.select().from(incidentHealth).where(eq(incidentHealth.incidentId, incidentId)).all().map((row) => [row.serviceId, row]));
  // Evidence taken while every check still existed beats a recomputation from rollups, as long
  // as it still spans the incident.
  const detailGone = finestResolution(window.from, now) !== "raw";
  const keep = (serviceId: number) => {
    const saved = existing.get(serviceId);
    return Boolean(detailGone && saved && spansIncident(saved, incident));
  };
  const services = servicesOf(incidentId);
  const windows = services.filter((service) => !keep(service.id)).map((service) => computeWindow(service, window.from, window.to, now));
  db.transaction((tx) => {
    for (const row of existing.values()) {
      if (!keep(row.serviceId)) tx.delete(incidentHealth).where(and(eq(incidentHealth.incidentId, incidentId), eq(incidentHealth.serviceId, row.serviceId))).run();
    }
    for (const health of windows) {
      // An empty window (no monitors saw anything) is not evidence worth keeping.
      if (health.monitors.length === 0) continue;
      tx.insert(incidentHealth)
        .values({ incidentId, serviceId: health.serviceId, windowFrom: window.from, windowTo: window.to, capturedAt: now, data: JSON.stringify(health) })
        .run();
    }
  });
  return windows.length;
}

/**
 * Saves evidence for resolved incidents whose window still has raw data and whose saved
 * evidence is missing, stale (other bounds) or taken before the window ended. Run before pruning.
 */
export function refreshEvidence(now = Date.now()): number {
  const db = getDb();
  const oldestKept = now - retention().rawMs;
  const candidates = db
    .select({ id: incidents.id, startedAt: incidents.startedAt, detectedAt: incidents.detectedAt, mitigatedAt: incidents.mitigatedAt, resolvedAt: incidents.resolvedAt, createdAt: incidents.createdAt })
    .from(incidents)
    .where(and(isNull(incidents.deletedAt), isNotNull(incidents.resolvedAt), gte(incidents.resolvedAt, oldestKept - WINDOW_MARGIN_MS)))
    .all();
  let saved = 0;
  for (const incident of candidates) {
    const window = windowOf(incident, now);
    if (!window) continue;
    const existing = db.select().from(incidentHealth).where(eq(incidentHealth.incidentId, incident.id)).all();
    const fresh = existing.length > 0 && existing.every((row) => row.windowFrom === window.from && row.windowTo === window.to && row.capturedAt >= window.to);
    // A window that began before raw retention (a long incident) is saved from what is left.
    if (fresh) continue;
    saveEvidence(incident.id, now);
    saved++;
  }
  return saved;
}


// Alerts pushed by Prometheus Alertmanager (webhook version 4) and Grafana alerting (version 1).
// Each alert names its service by a label and its rule by `alertname`; each (service, alertname)
// is one monitor of type "alert" whose state is the worst of its firing alerts. alert_events,
// keyed on (fingerprint, startsAt), make a delivery sent twice change nothing the second time.
import { createHash } from "node:crypto";

import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";

import { getDb } from "~/db/client.server";
import { alertEvents, monitors } from "~/db/schema";
import { readConfig } from "~/lib/config.server";
import { worstState, type HealthState } from "~/lib/health-vocabulary";
import { validateMonitor, validateService } from "~/lib/monitor-validation";
import type { FieldErrors } from "~/lib/validation";
import { createMonitor, createService, findServiceByName } from "~/models/services.server";

import { setMonitorState } from "./store.server";

export type AlertSource = "alertmanager" | "grafana";
/** The webhook versions understood, and who sends each. */
export const ALERT_WEBHOOK_VERSIONS: Record<string, AlertSource> = { "4": "alertmanager", "1": "grafana" };
/** Severities that make a firing alert degrade its monitor instead of taking it down. */
export const DEGRADED_SEVERITIES = ["warning", "info"];
const MAX_MESSAGE = 1_000;

export type IgnoredAlert = { index: number; reason: string };
export type AlertDelivery = { accepted: number; stateChanges: number; ignored: IgnoredAlert[]; truncated: number };
export type IngestAlertsResult = ({ ok: true } & AlertDelivery) | { ok: false; errors: FieldErrors };
export type IngestAlertsOptions = {
  /** Who sent it; by default what the payload's version says ("4" Alertmanager, "1" Grafana). */
  source?: AlertSource;
  /** Labels naming the service, first present wins; by default ALERT_SERVICE_LABELS. */
  labels?: string[];
  now?: number;
};

// Go's zero time: what Alertmanager and Grafana send as endsAt while an alert fires.
const ZERO_TIME = Date.parse("0001-01-01T00:00:00Z");
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** An RFC 3339 time as UTC ms; null for Go's zero time; undefined when it is not one. */
export function parseAlertTime(text: string): number | null | undefined {
  const match = RFC3339.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = "", zone, zoneHours, zoneMinutes] = match;
  const leap = Number(year) % 4 === 0 && (Number(year) % 100 !== 0 || Number(year) % 400 === 0);
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(month) - 1];
  if (!monthDays || Number(day) < 1 || Number(day) > monthDays || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  if (zoneHours && (Number(zoneHours) > 23 || Number(zoneMinutes) > 59)) return undefined;
  // Go sends nanoseconds; milliseconds are what we store.
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${zone.toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  return ms === ZERO_TIME ? null : ms;
}

// Built on call, so zod stays out of anything the browser loads.
function deliverySchema() {
  const labelSet = (what: string) =>
    z.record(z.string(), z.string({ error: `Values in ${what} must be text` }), { error: `${what} must be an object of names and text values` });
  const time = (field: string) =>
    z.string({ error: `${field} must be an RFC 3339 time such as 2024-06-09T13:20:00Z` }).transform((text, context) => {
      const ms = parseAlertTime(text);
      if (ms !== undefined) return ms;
      context.addIssue({ code: "custom", message: `${field} must be an RFC 3339 time such as 2024-06-09T13:20:00Z (got "${text.slice(0, 60)}")` });
      return z.NEVER;
    });
  const status = z.enum(["firing", "resolved"], { error: 'status must be "firing" or "resolved"' });
  const alert = z
    .looseObject(
      {
        status,
        labels: labelSet("labels"),
        annotations: labelSet("annotations").nullish(),
        startsAt: time("startsAt"),
        endsAt: time("endsAt").nullish(),
        generatorURL: z.string({ error: "generatorURL must be text" }).nullish(),
        fingerprint: z.string({ error: "fingerprint must be text" }).nullish(),
      },
      { error: "Each alert must be an object" },
    )
    .superRefine((alert, context) => {
      if (alert.startsAt === null) context.addIssue({ code: "custom", path: ["startsAt"], message: "startsAt must be a real time, not the zero time" });
      if (alert.status !== "resolved") return;
      if (alert.endsAt == null) context.addIssue({ code: "custom", path: ["endsAt"], message: "A resolved alert needs endsAt: when it stopped firing" });
      else if (alert.startsAt !== null && alert.endsAt < alert.startsAt) context.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt is before startsAt" });
    });
  return z.looseObject(
    {
      version: z.enum(["4", "1"], { error: 'version must be "4" (Alertmanager) or "1" (Grafana)' }),
      status: status.nullish(),
      truncatedAlerts: z.number({ error: "truncatedAlerts must be a number" }).int("truncatedAlerts must be a whole number").min(0, "truncatedAlerts must not be negative").nullish(),
      alerts: z.array(alert, { error: "alerts must be a list of alerts" }),
    },
    { error: "Body must be a JSON object" },
  );
}

type Alert = {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  /** When it stopped firing (resolved alerts only). */
  endsAt: number | null;
  generatorURL: string | null;
  fingerprint: string;
};

/** Alertmanager's fingerprint when sent; otherwise SHA-256 of the sorted labels, stable across deliveries. */
export function alertFingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
  return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

function parseDelivery(payload: unknown): { ok: true; source: AlertSource; alerts: Alert[]; truncated: number } | { ok: false; errors: FieldErrors } {
  const parsed = deliverySchema().safeParse(payload);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[issue.path.length ? issue.path.join(".") : "body"] ??= issue.message;
    return { ok: false, errors };
  }
  const alerts = parsed.data.alerts.map((alert) => ({
    status: alert.status,
    labels: alert.labels,
    annotations: alert.annotations ?? {},
    startsAt: alert.startsAt!,
    endsAt: alert.status === "resolved" ? alert.endsAt! : null,
    generatorURL: alert.generatorURL || null,
    fingerprint: alert.fingerprint?.trim() || alertFingerprint(alert.labels),
  }));
  return { ok: true, source: ALERT_WEBHOOK_VERSIONS[parsed.data.version], alerts, truncated: parsed.data.truncatedAlerts ?? 0 };
}

function stateOf(labels: Record<string, string>): HealthState {
  return DEGRADED_SEVERITIES.includes((labels.severity ?? "").trim().toLowerCase()) ? "degraded" : "down";
}

function messageOf(labels: Record<string, string>, annotations: Record<string, string>): string {
  const text = annotations.summary?.trim() || annotations.description?.trim() || labels.alertname?.trim() || "Alert";
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

type Firing = { state: HealthState; message: string };
/** A moment this delivery tells us about: an alert began (opens) or stopped firing. */
type Transition = { at: number; eventId: number; opens: boolean; firing: Firing; order: number };
/** A monitor this delivery touches: what fired before it, and what the delivery adds. */
type Touched = { firingBefore: Map<number, Firing>; transitions: Transition[] };

type Found = { id: number } | { reason: string };

function findOrCreateService(label: string, name: string, now: number): Found {
  const existing = findServiceByName(name);
  if (existing) return { id: existing.id };
  const valid = validateService({ name, description: `Created from an alert (its ${label} label).` });
  if (!valid.ok) return { reason: `The ${label} label "${name.slice(0, 100)}" is not a usable service name: ${Object.values(valid.errors)[0]}` };
  const created = createService(valid.data, now);
  return created.ok ? { id: created.record.id } : { reason: `Could not create the service "${name}"` };
}

function findOrCreateMonitor(serviceId: number, alertName: string, now: number): Found {
  const existing = getDb()
    .select({ id: monitors.id })
    .from(monitors)
    .where(and(eq(monitors.serviceId, serviceId), eq(monitors.type, "alert"), sql`${monitors.alertName} = ${alertName} collate nocase`))
    .orderBy(asc(monitors.id))
    .get();
  if (existing) return existing;
  const valid = validateMonitor({ serviceId, name: alertName, type: "alert", mode: "active", alertName });
  if (!valid.ok) return { reason: `The alertname "${alertName.slice(0, 100)}" cannot name a monitor: ${Object.values(valid.errors)[0]}` };
  const created = createMonitor(valid.data, now);
  return created.ok ? { id: created.record.id } : { reason: `Could not create a monitor for "${alertName}"` };
}

/** The monitor an alert belongs to, creating its service and monitor on first sight; or why it has none. */
function makeResolver(serviceLabels: string[], now: number) {
  const seen = new Map<string, Found>();
  const once = (key: string, find: () => Found) => {
    if (!seen.has(key)) seen.set(key, find());
    return seen.get(key)!;
  };
  return (alert: Alert): Found => {
    // Own labels only: "constructor" or "toString" must not find Object's.
    const label = serviceLabels.find((name) => Object.hasOwn(alert.labels, name) && typeof alert.labels[name] === "string" && alert.labels[name].trim());
    if (!label) return { reason: `No service label: the alert has none of ${serviceLabels.join(", ")}` };
    const alertName = Object.hasOwn(alert.labels, "alertname") && typeof alert.labels.alertname === "string" ? alert.labels.alertname.trim() : "";
    if (!alertName) return { reason: "No alertname label" };
    const serviceName = alert.labels[label].trim();
    const service = once(`service\u0000${serviceName.toLowerCase()}`, () => findOrCreateService(label, serviceName, now));
    if ("reason" in service) return service;
    return once(`monitor\u0000${service.id}\u0000${alertName.toLowerCase()}`, () => findOrCreateMonitor(service.id, alertName, now));
  };
}

/**
 * Records one webhook delivery in one transaction: events first, then each touched monitor's
 * state replayed through the delivery's moments in time order (a monitor is the worst of its
 * firing alerts, up when none fire). Invalid payloads write nothing.
 */
export function ingestAlerts(payload: unknown, options: IngestAlertsOptions = {}): IngestAlertsResult {
  const delivery = parseDelivery(payload);
  if (!delivery.ok) return delivery;
  const source = options.source ?? delivery.source;
  const now = options.now ?? Date.now();
  const serviceLabels = options.labels?.length ? options.labels : readConfig().alertServiceLabels;
  const db = getDb();

  return db.transaction(
    (tx) => {
      const monitorOf = makeResolver(serviceLabels, now);
      const touched = new Map<number, Touched>();
      const ignored: IgnoredAlert[] = [];
      let accepted = 0;
      let order = 0;

      // Snapshot a monitor's firing alerts before this delivery writes any of its events.
      const touch = (monitorId: number): Touched => {
        let entry = touched.get(monitorId);
        if (!entry) {
          const rows = tx.select().from(alertEvents).where(and(eq(alertEvents.monitorId, monitorId), eq(alertEvents.status, "firing"))).all();
          const firingBefore = new Map<number, Firing>();
          for (const row of rows) {
            const labels = JSON.parse(row.labels) as Record<string, string>;
            firingBefore.set(row.id, { state: stateOf(labels), message: messageOf(labels, JSON.parse(row.annotations) as Record<string, string>) });
          }
          entry = { firingBefore, transitions: [] };
          touched.set(monitorId, entry);
        }
        return entry;
      };
      const close = (monitorId: number, eventId: number, at: number, fallback: Firing) => {
        const entry = touch(monitorId);
        tx.update(alertEvents).set({ status: "resolved", endsAt: at, updatedAt: now }).where(eq(alertEvents.id, eventId)).run();
        entry.transitions.push({ at, eventId, opens: false, firing: entry.firingBefore.get(eventId) ?? fallback, order: order++ });
      };

      delivery.alerts.forEach((alert, index) => {
        const monitor = monitorOf(alert);
        if ("reason" in monitor) {
          ignored.push({ index, reason: monitor.reason });
          return;
        }
        accepted += 1;
        const firing = { state: stateOf(alert.labels), message: messageOf(alert.labels, alert.annotations) };

        // One fingerprint fires once at a time: a newer start means an older firing run ended
        // unseen (a lost or never-sent resolve), by the new start at the latest.
        const stale = tx
          .select()
          .from(alertEvents)
          .where(and(eq(alertEvents.fingerprint, alert.fingerprint), eq(alertEvents.status, "firing"), sql`${alertEvents.startsAt} < ${alert.startsAt}`))
          .all();
        for (const event of stale) close(event.monitorId, event.id, alert.startsAt, firing);

        const existing = tx
          .select()
          .from(alertEvents)
          .where(and(eq(alertEvents.fingerprint, alert.fingerprint), eq(alertEvents.startsAt, alert.startsAt)))
          .get();
        if (!existing) {
          const entry = touch(monitor.id);
          const { id } = tx
            .insert(alertEvents)
            .values({
              monitorId: monitor.id,
              source,
              fingerprint: alert.fingerprint,
              startsAt: alert.startsAt,
              endsAt: alert.endsAt,
              status: alert.status,
              labels: JSON.stringify(alert.labels),
              annotations: JSON.stringify(alert.annotations),
              generatorUrl: alert.generatorURL,
              receivedAt: now,
              updatedAt: now,
            })
            .returning({ id: alertEvents.id })
            .get();
          entry.transitions.push({ at: alert.startsAt, eventId: id, opens: true, firing, order: order++ });
          if (alert.endsAt !== null) entry.transitions.push({ at: alert.endsAt, eventId: id, opens: false, firing, order: order++ });
        } else if (existing.status === "firing" && alert.status === "resolved") {
          close(existing.monitorId, existing.id, alert.endsAt!, firing);
        } else {
          // Seen already (a redelivery), or a late "firing" for an alert that has ended: nothing moves,
          // but a monitor left out of step (paused meanwhile, set by hand) is put right.
          touch(existing.monitorId);
        }
      });

      let stateChanges = 0;
      for (const [monitorId, entry] of touched) {
        const monitor = tx.select().from(monitors).where(eq(monitors.id, monitorId)).get();
        if (!monitor || monitor.mode !== "active") continue;
        const firing = new Map(entry.firingBefore);
        let state = monitor.state;
        // At one instant, starts before ends: a hand-over between alerts is not a moment of "up".
        entry.transitions.sort((a, b) => a.at - b.at || Number(b.opens) - Number(a.opens) || a.order - b.order);
        for (const transition of entry.transitions) {
          if (transition.opens) firing.set(transition.eventId, transition.firing);
          else firing.delete(transition.eventId);
          const next = worstState([...firing.values()].map((f) => f.state)) ?? "up";
          if (next === state) continue;
          const message = transition.opens ? transition.firing.message : `Resolved: ${transition.firing.message}`;
          if (setMonitorState(monitorId, next, source, message, transition.at)) stateChanges += 1;
          state = next;
        }
        const wanted = worstState([...firing.values()].map((f) => f.state)) ?? "up";
        if (wanted !== state) {
          const worst = [...firing.values()].find((f) => f.state === wanted);
          if (setMonitorState(monitorId, wanted, source, worst ? worst.message : "No alerts firing", now)) stateChanges += 1;
        }
      }

      return { ok: true as const, accepted, stateChanges, ignored, truncated: delivery.truncated };
    },
    // Take the write lock up front: a busy database waits (busy_timeout) instead of failing mid-way.
    { behavior: "immediate" },
  );
}

// Alertmanager/Grafana deliveries through the model, against this file's own SQLite database:
// which services and monitors appear, which state changes are logged and when.
import fs from "node:fs";
import path from "node:path";

import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { alertEvents, monitors, services, stateChanges } from "~/db/schema";
import { alertFingerprint, ingestAlerts, parseAlertTime, type IngestAlertsOptions } from "~/health/alerts.server";
import { createMonitor, createService, updateMonitor } from "~/models/services.server";
import { validateMonitor } from "~/lib/monitor-validation";

const FIXTURES = path.resolve(import.meta.dirname, "..", "fixtures", "alerts");
const NOW = Date.parse("2024-06-12T18:00:00Z");

type Payload = any;
const fixture = (name: string): Payload => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8"));
const ms = (iso: string) => Date.parse(iso);

function ingest(payload: unknown, options: IngestAlertsOptions = {}) {
  const result = ingestAlerts(payload, { now: NOW, ...options });
  if (!result.ok) throw new Error(`expected the delivery to be accepted: ${JSON.stringify(result.errors)}`);
  return result;
}

function changes() {
  return getDb()
    .select({ monitor: monitors.name, service: services.name, at: stateChanges.at, from: stateChanges.fromState, to: stateChanges.toState, source: stateChanges.source, message: stateChanges.message })
    .from(stateChanges)
    .innerJoin(monitors, eq(monitors.id, stateChanges.monitorId))
    .innerJoin(services, eq(services.id, stateChanges.serviceId))
    .orderBy(asc(stateChanges.id))
    .all();
}

const events = () => getDb().select().from(alertEvents).orderBy(asc(alertEvents.id)).all();
const monitorNamed = (name: string) => getDb().select().from(monitors).where(eq(monitors.name, name)).get();

/** An Alertmanager v4 delivery of the given alerts (for cases the fixtures do not cover). */
function delivery(alerts: Payload[]): Payload {
  return { ...fixture("alertmanager-firing"), alerts };
}
function alert(fingerprint: string, labels: Record<string, string>, startsAt: string, endsAt?: string): Payload {
  return {
    status: endsAt ? "resolved" : "firing",
    labels: { alertname: "HighErrorRate", service: "checkout-api", ...labels },
    annotations: { summary: `${labels.instance ?? "checkout"} failing` },
    startsAt,
    endsAt: endsAt ?? "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus.example.com:9090/graph",
    fingerprint,
  };
}

beforeEach(() => {
  getDb().delete(services).run();
});

describe("a firing Alertmanager alert", () => {
  it("creates its service and an alert monitor, and takes the monitor down at startsAt", () => {
    const result = ingest(fixture("alertmanager-firing"));

    expect(result).toEqual({ ok: true, accepted: 1, stateChanges: 1, ignored: [], truncated: 0 });
    const service = getDb().select().from(services).get()!;
    expect(service).toMatchObject({ name: "checkout-api", description: "Created from an alert (its service label)." });
    const monitor = monitorNamed("HighErrorRate")!;
    expect(monitor).toMatchObject({ serviceId: service.id, type: "alert", mode: "active", alertName: "HighErrorRate", state: "down", stateSince: ms("2024-06-09T13:20:00.123Z") });
    expect(changes()).toEqual([
      { monitor: "HighErrorRate", service: "checkout-api", at: ms("2024-06-09T13:20:00.123Z"), from: null, to: "down", source: "alertmanager", message: "checkout-api is failing requests" },
    ]);
    expect(events()).toEqual([
      expect.objectContaining({
        monitorId: monitor.id,
        source: "alertmanager",
        fingerprint: "5ef77f1f8a3ecfc8",
        startsAt: ms("2024-06-09T13:20:00.123Z"),
        endsAt: null,
        status: "firing",
        generatorUrl: expect.stringContaining("prometheus.example.com"),
        receivedAt: NOW,
      }),
    ]);
    expect(JSON.parse(events()[0].labels)).toMatchObject({ severity: "critical", instance: "checkout-1:8080" });
    expect(JSON.parse(events()[0].annotations)).toMatchObject({ summary: "checkout-api is failing requests" });
  });

  it("changes nothing when the same delivery comes again", () => {
    ingest(fixture("alertmanager-firing"));
    const before = { changes: changes(), events: events(), monitors: getDb().select().from(monitors).all() };

    const again = ingest(fixture("alertmanager-firing"), { now: NOW + 60_000 });

    expect(again).toEqual({ ok: true, accepted: 1, stateChanges: 0, ignored: [], truncated: 0 });
    expect(changes()).toEqual(before.changes);
    expect(events()).toEqual(before.events);
    expect(getDb().select().from(monitors).all()).toEqual(before.monitors);
    expect(getDb().select().from(services).all()).toHaveLength(1);
  });

  it("uses an existing service whatever the case of its name, and an existing alert monitor for the alertname", () => {
    const service = createService({ name: "Checkout-API", description: "The shop's checkout" });
    if (!service.ok) throw new Error("setup");
    const input = validateMonitor({ serviceId: service.record.id, name: "Checkout errors", type: "alert", alertName: "higherrorrate" });
    if (!input.ok) throw new Error("setup");
    const existing = createMonitor(input.data);
    if (!existing.ok) throw new Error("setup");

    ingest(fixture("alertmanager-firing"));

    expect(getDb().select().from(services).all()).toEqual([expect.objectContaining({ name: "Checkout-API", description: "The shop's checkout" })]);
    expect(getDb().select().from(monitors).all()).toEqual([expect.objectContaining({ id: existing.record.id, name: "Checkout errors", state: "down" })]);
  });

  it("degrades the monitor instead when its severity is warning or info", () => {
    const warning = fixture("alertmanager-firing");
    warning.alerts[0].labels.severity = "warning";
    ingest(warning);
    expect(monitorNamed("HighErrorRate")!.state).toBe("degraded");

    getDb().delete(services).run();
    const info = fixture("alertmanager-firing");
    info.alerts[0].labels.severity = "Info";
    ingest(info);
    expect(changes().map((change) => change.to)).toEqual(["degraded"]);
  });

  it("takes the message from the summary, else the description, else the alertname", () => {
    ingest(
      delivery([
        { ...alert("f1", { alertname: "A" }, "2024-06-09T10:00:00Z"), annotations: { description: "only a description" } },
        { ...alert("f2", { alertname: "B" }, "2024-06-09T10:00:00Z"), annotations: {} },
      ]),
    );
    expect(changes().map((change) => [change.monitor, change.message])).toEqual([
      ["A", "only a description"],
      ["B", "B"],
    ]);
  });
});

describe("a resolved alert", () => {
  it("brings the monitor back up at endsAt and closes the event", () => {
    ingest(fixture("alertmanager-firing"));
    const result = ingest(fixture("alertmanager-resolved"), { now: NOW + 60_000 });

    expect(result).toMatchObject({ accepted: 1, stateChanges: 1 });
    expect(changes().map(({ at, from, to, message }) => ({ at, from, to, message }))).toEqual([
      { at: ms("2024-06-09T13:20:00.123Z"), from: null, to: "down", message: "checkout-api is failing requests" },
      { at: ms("2024-06-09T13:47:30.500Z"), from: "down", to: "up", message: "Resolved: checkout-api is failing requests" },
    ]);
    expect(events()).toEqual([expect.objectContaining({ status: "resolved", endsAt: ms("2024-06-09T13:47:30.500Z"), receivedAt: NOW, updatedAt: NOW + 60_000 })]);
    expect(monitorNamed("HighErrorRate")).toMatchObject({ state: "up", stateSince: ms("2024-06-09T13:47:30.500Z") });

    // Redelivered, and a late copy of the firing notification: neither reopens it.
    expect(ingest(fixture("alertmanager-resolved"))).toMatchObject({ stateChanges: 0 });
    expect(ingest(fixture("alertmanager-firing"))).toMatchObject({ stateChanges: 0 });
    expect(changes()).toHaveLength(2);
    expect(events()).toEqual([expect.objectContaining({ status: "resolved" })]);
  });

  it("never seen firing is logged as both changes: down at startsAt, up at endsAt", () => {
    const result = ingest(fixture("alertmanager-resolved"));

    expect(result).toMatchObject({ accepted: 1, stateChanges: 2 });
    expect(changes().map(({ at, to }) => [at, to])).toEqual([
      [ms("2024-06-09T13:20:00.123Z"), "down"],
      [ms("2024-06-09T13:47:30.500Z"), "up"],
    ]);
    expect(events()).toEqual([expect.objectContaining({ status: "resolved", startsAt: ms("2024-06-09T13:20:00.123Z"), endsAt: ms("2024-06-09T13:47:30.500Z") })]);
  });

  it("never seen firing changes nothing while another alert keeps the monitor down", () => {
    ingest(delivery([alert("one", { instance: "checkout-1" }, "2024-06-09T10:00:00Z")]));
    const result = ingest(delivery([alert("two", { instance: "checkout-2" }, "2024-06-09T10:05:00Z", "2024-06-09T10:15:00Z")]));

    expect(result).toMatchObject({ accepted: 1, stateChanges: 0 });
    expect(changes().map((change) => change.to)).toEqual(["down"]);
    expect(events().map((event) => [event.fingerprint, event.status])).toEqual([
      ["one", "firing"],
      ["two", "resolved"],
    ]);
  });
});

describe("several alerts for one monitor", () => {
  it("keep it as bad as the worst firing one, and up only once none fire", () => {
    const criticalA = alert("a", { instance: "checkout-1", severity: "critical" }, "2024-06-09T10:00:00Z");
    const warningB = alert("b", { instance: "checkout-2", severity: "warning" }, "2024-06-09T10:01:00Z");
    expect(ingest(delivery([warningB, criticalA]))).toMatchObject({ accepted: 2, stateChanges: 1 });

    // The critical one ends: still degraded from the warning.
    ingest(delivery([alert("a", { instance: "checkout-1", severity: "critical" }, "2024-06-09T10:00:00Z", "2024-06-09T10:20:00Z"), warningB]));
    // The warning ends: up.
    ingest(delivery([alert("b", { instance: "checkout-2", severity: "warning" }, "2024-06-09T10:01:00Z", "2024-06-09T10:30:00Z")]));

    expect(changes().map(({ at, from, to, message }) => [new Date(at).toISOString(), from, to, message])).toEqual([
      ["2024-06-09T10:00:00.000Z", null, "down", "checkout-1 failing"],
      ["2024-06-09T10:20:00.000Z", "down", "degraded", "Resolved: checkout-1 failing"],
      ["2024-06-09T10:30:00.000Z", "degraded", "up", "Resolved: checkout-2 failing"],
    ]);
    expect(getDb().select().from(monitors).all()).toHaveLength(1);
  });

  it("replay one delivery's starts and ends in time order, whatever order the alerts came in", () => {
    // b ends before a starts: down, up, down; then a hand-over at one instant is not a moment of up.
    ingest(
      delivery([
        alert("a", { instance: "checkout-1" }, "2024-06-09T11:00:00Z", "2024-06-09T11:30:00Z"),
        alert("b", { instance: "checkout-2" }, "2024-06-09T10:00:00Z", "2024-06-09T10:10:00Z"),
        alert("c", { instance: "checkout-3" }, "2024-06-09T11:30:00Z"),
      ]),
    );
    expect(changes().map(({ at, to }) => [new Date(at).toISOString(), to])).toEqual([
      ["2024-06-09T10:00:00.000Z", "down"],
      ["2024-06-09T10:10:00.000Z", "up"],
      ["2024-06-09T11:00:00.000Z", "down"],
    ]);
  });

  it("a new start for a fingerprint ends its older firing run (a resolve that never came)", () => {
    ingest(delivery([alert("a", { severity: "critical" }, "2024-06-09T10:00:00Z")]));
    ingest(delivery([alert("a", { severity: "critical" }, "2024-06-09T12:00:00Z", "2024-06-09T12:10:00Z")]));

    expect(events().map(({ startsAt, endsAt, status }) => [new Date(startsAt).toISOString(), endsAt && new Date(endsAt).toISOString(), status])).toEqual([
      ["2024-06-09T10:00:00.000Z", "2024-06-09T12:00:00.000Z", "resolved"],
      ["2024-06-09T12:00:00.000Z", "2024-06-09T12:10:00.000Z", "resolved"],
    ]);
    expect(changes().map(({ at, to }) => [new Date(at).toISOString(), to])).toEqual([
      ["2024-06-09T10:00:00.000Z", "down"],
      ["2024-06-09T12:10:00.000Z", "up"],
    ]);
  });
});

describe("mapping alerts to services", () => {
  it("reads the service from service, else job; ignores an alert with neither and accepts the rest", () => {
    const result = ingest(fixture("alertmanager-two-services"));

    expect(result).toEqual({
      ok: true,
      accepted: 4,
      stateChanges: 4,
      ignored: [{ index: 3, reason: "No service label: the alert has none of service, job" }],
      truncated: 0,
    });
    const rows = getDb().select({ service: services.name, monitor: monitors.name, state: monitors.state }).from(monitors).innerJoin(services, eq(services.id, monitors.serviceId)).orderBy(asc(monitors.id)).all();
    expect(rows).toEqual([
      { service: "checkout-api", monitor: "HighLatency", state: "down" },
      { service: "payments", monitor: "TargetDown", state: "down" },
      // Checkout-API in the label is the same service; the certificate alert fired and ended.
      { service: "checkout-api", monitor: "CertificateExpiring", state: "up" },
    ]);
    expect(changes().map(({ monitor, to }) => [monitor, to])).toEqual([
      ["HighLatency", "down"],
      ["TargetDown", "down"],
      ["CertificateExpiring", "degraded"],
      ["CertificateExpiring", "up"],
    ]);
  });

  it("derives a fingerprint from the sorted labels when none is sent, so redelivery is still a no-op", () => {
    const payload = fixture("alertmanager-two-services");
    ingest(payload);
    const labels = payload.alerts[2].labels;
    const reordered = Object.fromEntries(Object.entries(labels).reverse()) as Record<string, string>;
    expect(alertFingerprint(reordered)).toBe(alertFingerprint(labels));
    expect(events().find((event) => JSON.parse(event.labels).alertname === "TargetDown")!.fingerprint).toBe(alertFingerprint(labels));

    payload.alerts[2].labels = reordered;
    expect(ingest(payload)).toMatchObject({ accepted: 4, stateChanges: 0 });
    expect(events()).toHaveLength(4);
  });

  it("uses the labels it is given instead (?serviceLabel=)", () => {
    const result = ingest(fixture("alertmanager-two-services"), { labels: ["team"] });

    expect(result.ignored).toEqual([{ index: 3, reason: "No service label: the alert has none of team" }]);
    expect(getDb().select({ name: services.name, description: services.description }).from(services).orderBy(asc(services.id)).all()).toEqual([
      { name: "storefront", description: "Created from an alert (its team label)." },
      { name: "payments", description: "Created from an alert (its team label)." },
    ]);
  });

  describe("with ALERT_SERVICE_LABELS set", () => {
    const saved = process.env.ALERT_SERVICE_LABELS;
    afterEach(() => {
      if (saved === undefined) delete process.env.ALERT_SERVICE_LABELS;
      else process.env.ALERT_SERVICE_LABELS = saved;
    });

    it("follows the configured labels, first present wins", () => {
      process.env.ALERT_SERVICE_LABELS = "app, team";
      const payload = fixture("alertmanager-two-services");
      payload.alerts[0].labels.app = "checkout-web";
      ingest(payload);
      expect(getDb().select({ name: services.name }).from(services).orderBy(asc(services.id)).all().map((row) => row.name)).toEqual(["checkout-web", "storefront", "payments"]);
    });
  });

  it("ignores alerts whose service label or alertname cannot name a record, with the reason", () => {
    const result = ingest(
      delivery([
        alert("long", { service: "x".repeat(81) }, "2024-06-09T10:00:00Z"),
        { ...alert("nameless", {}, "2024-06-09T10:00:00Z"), labels: { service: "checkout-api" } },
        alert("ok", {}, "2024-06-09T10:00:00Z"),
      ]),
    );
    expect(result.accepted).toBe(1);
    expect(result.ignored).toEqual([
      { index: 0, reason: expect.stringMatching(/^The service label ".*" is not a usable service name: Name must be at most 80 characters$/) },
      { index: 1, reason: "No alertname label" },
    ]);
    expect(events().map((event) => event.fingerprint)).toEqual(["ok"]);
  });
});

describe("a monitor someone paused", () => {
  it("records its alerts but does not change its state; once resumed, the next delivery puts it right", () => {
    ingest(fixture("alertmanager-firing"));
    const monitor = monitorNamed("HighErrorRate")!;
    const input = validateMonitor({ ...monitor, mode: "paused" });
    if (!input.ok) throw new Error("setup");
    updateMonitor(monitor.id, input.data, null, NOW);

    expect(ingest(fixture("alertmanager-resolved"))).toMatchObject({ accepted: 1, stateChanges: 0 });
    expect(monitorNamed("HighErrorRate")!.state).toBe("paused");
    expect(events()).toEqual([expect.objectContaining({ status: "resolved" })]);

    const resumed = validateMonitor({ ...monitor, mode: "active" });
    if (!resumed.ok) throw new Error("setup");
    updateMonitor(monitor.id, resumed.data, null, NOW + 1_000);
    expect(ingest(fixture("alertmanager-resolved"), { now: NOW + 2_000 })).toMatchObject({ stateChanges: 1 });
    expect(changes().at(-1)).toMatchObject({ at: NOW + 2_000, from: null, to: "up", message: "No alerts firing" });
  });
});

describe("Grafana", () => {
  it("reads version 1 deliveries, with offsets and microseconds, as source grafana", () => {
    const firing = ingest(fixture("grafana-firing"));
    const resolved = ingest(fixture("grafana-resolved"));

    expect(firing).toEqual({ ok: true, accepted: 1, stateChanges: 1, ignored: [], truncated: 0 });
    expect(resolved).toMatchObject({ accepted: 1, stateChanges: 1 });
    expect(changes()).toEqual([
      { monitor: "High memory usage", service: "payments", at: ms("2024-06-12T13:51:03.157Z"), from: null, to: "down", source: "grafana", message: "Memory on payments-1 is above 90%" },
      { monitor: "High memory usage", service: "payments", at: ms("2024-06-12T14:20:03.157Z"), from: "down", to: "up", source: "grafana", message: "Resolved: Memory on payments-1 is above 90%" },
    ]);
    expect(events()).toEqual([expect.objectContaining({ source: "grafana", fingerprint: "c6eadffa33fcdf37", status: "resolved" })]);
  });
});

describe("a delivery that can never be accepted", () => {
  const cases = JSON.parse(fs.readFileSync(path.join(FIXTURES, "malformed.json"), "utf8")) as { case: string; field: string; payload: unknown }[];

  it.each(cases.map((entry) => [entry.case, entry] as const))("%s: refused, naming the field, and nothing is written", (_name, entry) => {
    const result = ingestAlerts(entry.payload, { now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors)).toContain(entry.field);
    expect(events()).toEqual([]);
    expect(getDb().select().from(services).all()).toEqual([]);
    expect(changes()).toEqual([]);
  });

  it("refuses a body that is not an object", () => {
    expect(ingestAlerts([fixture("alertmanager-firing")])).toEqual({ ok: false, errors: { body: expect.any(String) } });
    expect(ingestAlerts(null)).toMatchObject({ ok: false });
  });
});

describe("alert times", () => {
  it("are RFC 3339, kept to the millisecond; Go's zero time means no time", () => {
    expect(parseAlertTime("2024-06-09T13:20:00.123456789Z")).toBe(ms("2024-06-09T13:20:00.123Z"));
    expect(parseAlertTime("2024-06-12T15:51:03.157076+02:00")).toBe(ms("2024-06-12T13:51:03.157Z"));
    expect(parseAlertTime("2024-02-29T00:00:00Z")).toBe(ms("2024-02-29T00:00:00Z"));
    expect(parseAlertTime("0001-01-01T00:00:00Z")).toBeNull();
    for (const bad of ["2023-02-29T00:00:00Z", "2024-06-09T24:00:00Z", "2024-06-09T13:20:00", "2024-06-09", "1717939200", ""]) {
      expect(parseAlertTime(bad), bad).toBeUndefined();
    }
  });
});

describe("label names that are also names of Object's own properties", () => {
  it("are just labels: an alert without them is ignored with its reason, not an error", () => {
    const payload = fixture("alertmanager-firing");
    for (const labels of [["constructor"], ["toString", "__proto__"]]) {
      const result = ingest(payload, { labels });
      expect(result.accepted).toBe(0);
      expect(result.ignored[0].reason).toBe(`No service label: the alert has none of ${labels.join(", ")}`);
    }
  });
});

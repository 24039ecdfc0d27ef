// Health history tied to incidents, in-process on a real SQLite file: health windows,
// evidence saved on resolution that outlives raw-data retention, the monitors' state
// changes copied into the timeline, and auto-drafts.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { checkResults, incidentHealth, incidents, stateChanges } from "~/db/schema";
import { autoDraftMinutes, openAutoDrafts, setAutoDraftMinutes } from "~/health/auto-draft.server";
import { computeWindow, incidentHealthWindows, refreshEvidence, saveEvidence } from "~/health/evidence.server";
import { addMonitorEventsToTimeline, pendingMonitorEvents } from "~/health/incident-link.server";
import { ingestResults, pruneHealth } from "~/health/store.server";
import { validateMonitor } from "~/lib/monitor-validation";
import { createIncident, getIncident, updateIncident } from "~/models/incidents.server";
import { postmortemMarkdown } from "~/models/postmortem.server";
import { createMonitor, createService } from "~/models/services.server";
import { listTimeline } from "~/models/timeline.server";
import { exampleIncident } from "~/postmortem/example";

import { TEST_AUTHOR } from "../helpers/routes";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let counter = 0;
function serviceWithMonitor(fields: Record<string, unknown> = {}) {
  const service = createService({ name: `service ${++counter}`, description: "" });
  if (!service.ok) throw new Error("service not created");
  const input = validateMonitor({ serviceId: service.record.id, name: `check ${counter}`, type: "http", url: "https://example.com/health", retries: 2, ...fields });
  if (!input.ok) throw new Error(JSON.stringify(input.errors));
  const monitor = createMonitor(input.data, 0);
  if (!monitor.ok) throw new Error("monitor not created");
  return { serviceName: service.record.name, serviceId: service.record.id, monitorId: monitor.record.id };
}

/** One check a minute from `from` for `minutes`; failing where `failing(minute)` says. */
function checks(from: number, minutes: number, failing: (minute: number) => boolean) {
  return Array.from({ length: minutes }, (_, minute) => ({
    at: from + minute * MINUTE,
    ok: !failing(minute),
    latencyMs: failing(minute) ? null : 100 + minute,
    message: failing(minute) ? "HTTP 500 Internal Server Error" : "OK",
  }));
}

function incidentFor(serviceName: string, times: { startedAt: number; detectedAt: number | null; resolvedAt: number | null; status?: "investigating" | "resolved" }, now: number) {
  return createIncident(
    { ...exampleIncident, title: `Outage of ${serviceName}`, status: times.status ?? "investigating", timeZone: "UTC", startedAt: times.startedAt, detectedAt: times.detectedAt, mitigatedAt: null, resolvedAt: times.resolvedAt, services: [serviceName] },
    TEST_AUTHOR,
    now,
  );
}

describe("an incident's health window", () => {
  it("shows the bands, the first failed check and the state changes from 2 h before the start to 2 h after resolution", () => {
    const now = Date.UTC(2026, 10, 20, 18, 0);
    const { serviceName, serviceId, monitorId } = serviceWithMonitor();
    const t0 = Date.UTC(2026, 10, 20, 10, 0);
    // Fails from 12:00 to 12:29 (30 checks); down from the second failure at 12:01, up again at 12:30.
    ingestResults(monitorId, checks(t0, 6 * 60, (m) => m >= 120 && m < 150), "check", { now });
    const incident = incidentFor(serviceName, { startedAt: t0 + 125 * MINUTE, detectedAt: t0 + 135 * MINUTE, resolvedAt: t0 + 150 * MINUTE }, now);

    const [window] = incidentHealthWindows(getIncident(incident.id)!, now);
    expect(window).toMatchObject({ serviceId, from: t0 + 5 * MINUTE, to: t0 + 270 * MINUTE, resolution: "raw", capturedAt: null });
    expect(window.firstFailure).toEqual({ at: t0 + 120 * MINUTE, monitorName: `check ${counter}`, message: "HTTP 500 Internal Server Error", source: "check" });
    expect(window.bands).toEqual([
      { from: t0 + 5 * MINUTE, to: t0 + 121 * MINUTE, state: "up" },
      { from: t0 + 121 * MINUTE, to: t0 + 150 * MINUTE, state: "down" },
      { from: t0 + 150 * MINUTE, to: t0 + 270 * MINUTE, state: "up" },
    ]);
    expect(window.changes.map((c) => [c.at - t0, c.from, c.to, c.failingSince === null ? null : c.failingSince - t0])).toEqual([
      [121 * MINUTE, "up", "down", 120 * MINUTE],
      [150 * MINUTE, "down", "up", null],
    ]);
    // Every passing check in the window has its latency point; failed ones have none.
    expect(window.latency).toHaveLength(265 - 30);
    // The Markdown postmortem says when the monitors first failed, and how long before detection.
    expect(postmortemMarkdown(incident.id)!.markdown).toContain(
      `- **Monitors first failed:** 20 November 2026, 12:00 PM UTC (${serviceName}, check ${counter}: HTTP 500 Internal Server Error), 15m before it was detected\n`,
    );
  });

  it("is saved with the incident when it is resolved, and that evidence outlives raw-data retention", async () => {
    const t0 = Date.UTC(2026, 9, 1, 8, 0);
    const { serviceName, monitorId } = serviceWithMonitor();
    ingestResults(monitorId, checks(t0, 8 * 60, (m) => m >= 180 && m < 200), "check", { now: t0 + 8 * HOUR });
    const incident = incidentFor(serviceName, { startedAt: t0 + 181 * MINUTE, detectedAt: t0 + 190 * MINUTE, resolvedAt: null }, t0 + 3 * HOUR);
    expect(getDb().select().from(incidentHealth).where(eq(incidentHealth.incidentId, incident.id)).all()).toHaveLength(0);

    const resolvedAt = t0 + 200 * MINUTE;
    const saved = updateIncident(incident.id, { ...exampleIncident, title: incident.title, status: "resolved", timeZone: "UTC", startedAt: incident.startedAt, detectedAt: incident.detectedAt, mitigatedAt: null, resolvedAt, services: [serviceName] }, TEST_AUTHOR, { now: t0 + 8 * HOUR });
    expect(saved.ok).toBe(true);
    const live = incidentHealthWindows(getIncident(incident.id)!, t0 + 8 * HOUR)[0];
    expect(getDb().select().from(incidentHealth).where(eq(incidentHealth.incidentId, incident.id)).all()).toHaveLength(1);

    // Forty days on, pruning has removed every raw check and minute rollup of that day.
    const later = t0 + 40 * DAY;
    await pruneHealth({ now: later });
    expect(getDb().select().from(checkResults).where(eq(checkResults.monitorId, monitorId)).all()).toHaveLength(0);
    const kept = incidentHealthWindows(getIncident(incident.id)!, later)[0];
    expect(kept.capturedAt).toBe(t0 + 8 * HOUR);
    expect(kept.resolution).toBe("raw");
    expect(kept.firstFailure).toEqual(live.firstFailure);
    expect(kept.latency).toEqual(live.latency);

    // Editing the summary later keeps the detailed evidence rather than recomputing it from hourly rollups.
    updateIncident(incident.id, { ...exampleIncident, title: incident.title, summary: "Edited after the fact", status: "resolved", timeZone: "UTC", startedAt: incident.startedAt, detectedAt: incident.detectedAt, mitigatedAt: null, resolvedAt, services: [serviceName] }, TEST_AUTHOR, { now: later });
    expect(incidentHealthWindows(getIncident(incident.id)!, later)[0]).toMatchObject({ capturedAt: t0 + 8 * HOUR, resolution: "raw" });

    const edit = (startedAt: number, end: number) =>
      updateIncident(incident.id, { ...exampleIncident, title: incident.title, status: "resolved", timeZone: "UTC", startedAt, detectedAt: incident.detectedAt, mitigatedAt: null, resolvedAt: end, services: [serviceName] }, TEST_AUTHOR, { now: later });
    // A minute's correction of the end: the saved evidence still spans the incident and is kept.
    edit(incident.startedAt!, resolvedAt + MINUTE);
    expect(incidentHealthWindows(getIncident(incident.id)!, later)[0]).toMatchObject({ capturedAt: t0 + 8 * HOUR, resolution: "raw" });
    // A start moved before the saved window: the evidence no longer spans it and is replaced from what is left.
    edit(incident.startedAt! - 3 * HOUR, resolvedAt);
    const moved = incidentHealthWindows(getIncident(incident.id)!, later)[0];
    expect(moved.resolution).toBe("hour");
    expect(moved.capturedAt).toBe(later);
    expect(moved.from).toBe(incident.startedAt! - 5 * HOUR);
    // The state-change log is permanent, so the first failure is still known exactly.
    expect(moved.firstFailure?.at).toBe(t0 + 180 * MINUTE);
  });

  it("copies the state changes into the timeline once, as detection entries marked as from the monitor", () => {
    const now = Date.UTC(2026, 10, 21, 18, 0);
    const t0 = Date.UTC(2026, 10, 21, 9, 0);
    const { serviceName, monitorId } = serviceWithMonitor();
    ingestResults(monitorId, checks(t0, 5 * 60, (m) => m >= 60 && m < 90), "check", { now });
    // The monitor's first state (at 9:00, inside the window) is not an event of the incident.
    const incident = incidentFor(serviceName, { startedAt: t0 + 60 * MINUTE, detectedAt: t0 + 70 * MINUTE, resolvedAt: t0 + 90 * MINUTE }, now);
    const row = getIncident(incident.id)!;
    expect(pendingMonitorEvents(row, incidentHealthWindows(row, now))).toHaveLength(2);

    expect(addMonitorEventsToTimeline(row, TEST_AUTHOR, now)).toBe(2);
    const entries = listTimeline(incident.id);
    expect(entries.map((e) => [e.occurredAt - t0, e.kind, e.author, e.stateChangeId !== null])).toEqual([
      [61 * MINUTE, "detection", "Hindsight monitor", true],
      [90 * MINUTE, "detection", "Hindsight monitor", true],
    ]);
    expect(entries[0].text).toBe(`Monitor "check ${counter}" (${serviceName}) went from up to down (check). Checks had been failing since 10:00 AM. HTTP 500 Internal Server Error.`);
    expect(addMonitorEventsToTimeline(getIncident(incident.id)!, TEST_AUTHOR, now)).toBe(0);
    expect(listTimeline(incident.id)).toHaveLength(2);
  });
});

describe("auto-draft", () => {
  beforeEach(() => setAutoDraftMinutes(null));

  it("is off by default; when on, a service down for N minutes opens one draft with the monitor's entries", () => {
    const t0 = Date.UTC(2026, 10, 22, 9, 0);
    const { serviceName, monitorId } = serviceWithMonitor();
    ingestResults(monitorId, checks(t0, 30, (m) => m >= 10), "check", { now: t0 + 30 * MINUTE });
    const downAt = t0 + 11 * MINUTE;
    expect(autoDraftMinutes()).toBeNull();
    expect(openAutoDrafts(downAt + 60 * MINUTE)).toEqual([]);

    setAutoDraftMinutes(15);
    expect(openAutoDrafts(downAt + 14 * MINUTE)).toEqual([]);
    const [draftId] = openAutoDrafts(downAt + 15 * MINUTE);
    expect(draftId).toBeGreaterThan(0);
    const draft = getIncident(draftId)!;
    expect(draft).toMatchObject({ title: `${serviceName} is down`, status: "investigating", severity: "SEV2", startedAt: t0 + 10 * MINUTE, detectedAt: null, detectionMethod: "monitor", services: [serviceName] });
    expect(listTimeline(draftId).map((e) => [e.occurredAt - t0, e.kind, e.author, e.text])).toEqual([
      [10 * MINUTE, "detection", "Hindsight monitor", `First failed check of monitor "check ${counter}" (${serviceName}).`],
      [11 * MINUTE, "detection", "Hindsight monitor", `Monitor "check ${counter}" (${serviceName}) went down. HTTP 500 Internal Server Error`],
    ]);
    // One draft per outage, however often the scheduler asks.
    expect(openAutoDrafts(downAt + 30 * MINUTE)).toEqual([]);
    expect(getDb().select().from(stateChanges).where(eq(stateChanges.draftIncidentId, draftId)).all()).toHaveLength(1);
  });

  it("opens no draft when an open incident already names the service", () => {
    const t0 = Date.UTC(2026, 10, 23, 9, 0);
    const { serviceName, monitorId } = serviceWithMonitor();
    const existing = incidentFor(serviceName, { startedAt: t0, detectedAt: t0, resolvedAt: null }, t0);
    ingestResults(monitorId, checks(t0, 30, (m) => m >= 5), "check", { now: t0 + 30 * MINUTE });
    setAutoDraftMinutes(5);
    const before = getDb().select().from(incidents).all().length;
    expect(openAutoDrafts(t0 + 30 * MINUTE)).toEqual([]);
    expect(getDb().select().from(incidents).all()).toHaveLength(before);
    expect(getDb().select().from(stateChanges).where(eq(stateChanges.draftIncidentId, existing.id)).all()).toHaveLength(1);
  });
});

describe("an incident with a resolution time but no start or detection time", () => {
  it("has no health window, and can still be edited and resolved; housekeeping passes it by", async () => {
    const { serviceName } = serviceWithMonitor();
    const now = Date.UTC(2026, 10, 24, 12, 0);
    const created = incidentFor(serviceName, { startedAt: 0, detectedAt: null, resolvedAt: null }, now);
    const fields = { ...exampleIncident, title: created.title, status: "resolved" as const, timeZone: "UTC", startedAt: null, detectedAt: null, mitigatedAt: null, resolvedAt: now - HOUR, services: [serviceName] };
    expect(updateIncident(created.id, fields, TEST_AUTHOR, { now }).ok).toBe(true);
    expect(getIncident(created.id)).toMatchObject({ startedAt: null, resolvedAt: now - HOUR });
    expect(incidentHealthWindows(getIncident(created.id)!, now)).toEqual([]);
    expect(refreshEvidence(now)).toBeGreaterThanOrEqual(0);
    expect(await pruneHealth({ now })).toBeGreaterThanOrEqual(0);
  });
});

describe("a window computed from a service without monitors", () => {
  it("is empty rather than wrong", () => {
    const service = createService({ name: "unwatched", description: "" });
    if (!service.ok) throw new Error("service not created");
    const window = computeWindow({ id: service.record.id, name: "unwatched", example: false }, 0, HOUR, HOUR);
    expect(window).toMatchObject({ monitors: [], changes: [], latency: [], firstFailure: null, bands: [{ from: 0, to: HOUR, state: null }] });
    expect(saveEvidence(-1)).toBe(0);
  });
});

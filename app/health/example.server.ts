// Example health history for the example incident's services around 9 June 2024: made up to
// show what Hindsight does with monitoring data, and marked as example data wherever shown.
// The booking database fails from 4:20 PM GMT+3 (the seed's start); the availability API,
// which the team suspected at 4:45 PM, stays up throughout.
import type { MonitorInput } from "~/lib/monitor-validation";
import { createMonitor, createService, findServiceByName, updateService } from "~/models/services.server";

import { ingestResults, type CheckResultInput } from "./store.server";

/** 9 June 2024 at hh:mm in GMT+3, as a UTC instant (hours past 24 run into 10 June). */
const at = (hour: number, minute: number) => Date.UTC(2024, 5, 9, hour - 3, minute);
const FROM = at(12, 0);
const TO = at(27, 0);
/** The moment the example's data is "as of": raw results and minute rollups are kept relative to it. */
export const EXAMPLE_NOW = TO;

type Phase = { from: number; to: number; ok: boolean; latency: [number, number]; message: string };
type ExampleMonitor = { service: string; description: string; monitor: Omit<MonitorInput, "serviceId">; phases: Phase[]; normal: [number, number] };

const base = { mode: "active", intervalSeconds: 60, retries: 2, timeoutMs: 10_000, method: "GET", acceptedStatus: "200-299", bodyContains: null, jsonPath: null, jsonExpected: null, host: null, port: null, graceSeconds: 60, alertName: null, degradedMs: null, url: null } as const;

const EXAMPLES: ExampleMonitor[] = [
  {
    service: "booking database",
    description: "Example data: the PostgreSQL server behind bookings.",
    monitor: { ...base, name: "PostgreSQL port", type: "tcp", host: "db.booking.internal", port: 5432, timeoutMs: 5_000 },
    normal: [2, 6],
    phases: [{ from: at(16, 20), to: at(17, 5), ok: false, latency: [5000, 5000], message: "Timed out after 5000 ms connecting to db.booking.internal:5432" }],
  },
  {
    service: "connection pool",
    description: "Example data: the web app's database connection pool.",
    monitor: { ...base, name: "Pool has free connections", type: "http", url: "https://booking.example.com/health/db-pool", jsonPath: "$.pool.available", degradedMs: 800 },
    normal: [20, 60],
    phases: [{ from: at(16, 20), to: at(17, 6), ok: false, latency: [900, 1500], message: "$.pool.available is 0" }],
  },
  {
    service: "booking web app",
    description: "Example data: the public booking site.",
    monitor: { ...base, name: "Booking page", type: "http", url: "https://booking.example.com/book", bodyContains: "Reserve", degradedMs: 1500 },
    normal: [120, 260],
    phases: [
      { from: at(16, 21), to: at(16, 24), ok: true, latency: [1600, 2900], message: "OK" },
      { from: at(16, 24), to: at(17, 8), ok: false, latency: [3000, 4000], message: "HTTP 503 Service Unavailable" },
      { from: at(17, 8), to: at(17, 12), ok: true, latency: [1600, 2200], message: "OK" },
    ],
  },
  {
    service: "availability API",
    description: "Example data: the external availability check. Suspected at 4:45 PM; its monitor shows it was up.",
    monitor: { ...base, name: "Availability endpoint", type: "http", url: "https://api.availability.example.com/v1/ping", degradedMs: 1000 },
    normal: [60, 140],
    phases: [],
  },
];

/** A small deterministic generator, so the example looks the same on every install. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function resultsFor(example: ExampleMonitor, seed: number): CheckResultInput[] {
  const next = random(seed);
  const results: CheckResultInput[] = [];
  for (let time = FROM; time < TO; time += 60_000) {
    const phase = example.phases.find((p) => time >= p.from && time < p.to);
    const [low, high] = phase?.latency ?? example.normal;
    const latency = Math.round(low + next() * (high - low));
    results.push({ at: time, ok: phase?.ok ?? true, latencyMs: phase && !phase.ok && example.monitor.type === "tcp" ? null : latency, message: phase?.message ?? "OK" });
  }
  return results;
}

/** Loads the example services, monitors and their history; returns the service names. */
export function loadExampleHealth(now = Date.now()): string[] {
  EXAMPLES.forEach((example, index) => {
    const existing = findServiceByName(example.service);
    let serviceId: number;
    if (existing) {
      serviceId = existing.id;
      updateService(serviceId, { description: existing.description || example.description }, null, now);
    } else {
      const created = createService({ name: example.service, description: example.description }, now, { example: true });
      if (!created.ok) throw new Error(`Cannot create example service ${example.service}`);
      serviceId = created.record.id;
    }
    const monitor = createMonitor({ ...example.monitor, serviceId } as MonitorInput, now, { example: true });
    if (!monitor.ok) throw new Error(`Cannot create example monitor ${example.monitor.name}`);
    ingestResults(monitor.record.id, resultsFor(example, index + 1), "example", { now: EXAMPLE_NOW });
  });
  return EXAMPLES.map((example) => example.service);
}

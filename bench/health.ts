// The health-history part of `npm run bench` (also runs alone: `npx tsx bench/health.ts`).
// Generates 20 services × one year of 1-minute checks (about 10.5 million results) through
// ingestResults, as rollups, state changes and the last 7 days raw, then prints ingestion
// rates, the database's size and p50/p95 of the 90-day service page and an incident's
// health window. BENCH_HEALTH_SCALE scales the days generated (0.05 ≈ 18 days; 0 skips).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { measure } from "./measure";

const SCALE = Number(process.env.BENCH_HEALTH_SCALE ?? 1);
const SERVICES = 20;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Days of history: a year at scale 1, never less than the 7 raw days plus the incident's margin. */
const DAYS = Math.max(8, Math.round(365 * SCALE));
/** The newest hours arrive one result per call, as the scheduler sends them. */
const SINGLE_HOURS = 6;

if (SCALE > 0) await runHealthBench();

async function runHealthBench() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "hindsight-bench-health-"));
  // Before the first getDb() of this process (bench/run.ts closes its database before importing this).
  process.env.DATABASE_PATH = path.join(directory, "health.db");
  delete process.env.HEALTH_RAW_DAYS; // the phases below assume the default 7 raw days

  const { getDb, closeDb } = await import("~/db/client.server");
  const { createService, createMonitor } = await import("~/models/services.server");
  const { createIncident, getIncident } = await import("~/models/incidents.server");
  const { validateMonitor } = await import("~/lib/monitor-validation");
  const { ingestResults } = await import("~/health/store.server");
  const { servicePage } = await import("~/health/pages.server");
  const { incidentHealthWindows } = await import("~/health/evidence.server");
  const { exampleIncident } = await import("~/postmortem/example");
  const { SYSTEM_AUTHOR } = await import("~/auth/actor");
  type CheckResultInput = import("~/health/store.server").CheckResultInput;
  type ServicePage = NonNullable<ReturnType<typeof servicePage>>;
  type Windows = ReturnType<typeof incidentHealthWindows>;
  type Incident = NonNullable<ReturnType<typeof getIncident>>;

  // Rendering, timed with the data: the pages' components through renderToString, with React as
  // a deployment runs it (NODE_ENV=development npm run bench shows the development build's cost).
  if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";
  const { createElement } = await import("react");
  const { renderToString } = await import("react-dom/server");
  const { ServiceDetail } = await import("~/components/health/service-detail");
  const { IncidentHealth } = await import("~/components/health/incident-health");
  const renderServicePage = (page: ServicePage) => renderToString(createElement(ServiceDetail, { page }));
  const renderIncidentHealth = (windows: Windows, incident: Incident) => renderToString(createElement(IncidentHealth, { windows, incident }));

  const now = Math.floor(Date.now() / MINUTE) * MINUTE;
  const first = now - DAYS * DAY;
  const minutes = DAYS * 24 * 60;
  const rawFrom = now - 7 * DAY;
  const singleFrom = now - SINGLE_HOURS * HOUR;
  const incidentStart = now - 3 * DAY;
  const incidentEnd = incidentStart + 2 * HOUR;

  const names = [
    "booking web app", "booking database", "connection pool", "availability API", "search",
    "payments", "auth", "notifications", "image CDN", "reviews",
    "pricing", "inventory", "email", "admin console", "reporting",
    "message queue", "cache", "geocoding", "partner API", "mobile API",
  ].slice(0, SERVICES);

  // --- The year's shape per service: outages, degraded periods, the incident's outage ---
  const NORMAL = 0;
  const DOWN = 1;
  const SLOW = 2;
  type Plan = { monitorId: number; serviceId: number; seed: number; baseMs: number; offsetMs: number; marks: Uint8Array };
  const plans: Plan[] = [];
  const random = mulberry32(20_240_609);
  const mark = (marks: Uint8Array, from: number, length: number, value: number) => {
    const start = Math.max(0, Math.floor((from - first) / MINUTE));
    marks.fill(value, start, Math.min(minutes, start + length));
  };

  const setupStart = performance.now();
  for (const [index, name] of names.entries()) {
    const service = createService({ name, description: "" }, first);
    if (!service.ok) throw new Error(`createService ${name}: ${JSON.stringify(service)}`);
    const input = validateMonitor({
      serviceId: service.record.id,
      name: `${name} /health`,
      type: "http",
      mode: "active",
      intervalSeconds: 60,
      url: `https://${name.replace(/\W+/g, "-")}.example.com/health`,
      degradedMs: 1_500,
    });
    if (!input.ok) throw new Error(`validateMonitor ${name}: ${JSON.stringify(input.errors)}`);
    const monitor = createMonitor(input.data, first);
    if (!monitor.ok) throw new Error(`createMonitor ${name}: ${JSON.stringify(monitor)}`);
    const marks = new Uint8Array(minutes);
    // A few outages (5–120 min) and some degraded periods (15–180 min) a year, at random times.
    const perYear = (count: number) => Math.max(1, Math.round((count * DAYS) / 365));
    for (let n = perYear(3 + Math.floor(random() * 4)); n > 0; n--) mark(marks, first + random() * (minutes - 120) * MINUTE, 5 + Math.floor(random() * 116), DOWN);
    for (let n = perYear(4 + Math.floor(random() * 5)); n > 0; n--) mark(marks, first + random() * (minutes - 180) * MINUTE, 15 + Math.floor(random() * 166), SLOW);
    plans.push({ monitorId: monitor.record.id, serviceId: service.record.id, seed: 1_000 + index, baseMs: 80 + Math.floor(random() * 80), offsetMs: Math.floor(random() * 50_000), marks });
  }
  // The incident: the database down first, the web app with it, the pool slow then briefly down.
  mark(plans[0].marks, incidentStart - 4 * MINUTE, 95, DOWN);
  mark(plans[1].marks, incidentStart - 6 * MINUTE, 50, DOWN);
  mark(plans[2].marks, incidentStart - 10 * MINUTE, 110, SLOW);
  mark(plans[2].marks, incidentStart + 5 * MINUTE, 25, DOWN);
  const incident = createIncident(
    {
      ...exampleIncident,
      title: "Bookings failed: database connection pool exhausted",
      status: "in_review",
      startedAt: incidentStart,
      detectedAt: incidentStart + 10 * MINUTE,
      mitigatedAt: incidentStart + 90 * MINUTE,
      resolvedAt: incidentEnd,
      services: names.slice(0, 3),
    },
    SYSTEM_AUTHOR,
    incidentEnd,
  );
  const setupSeconds = (performance.now() - setupStart) / 1000;

  /** One monitor's results for the minutes [from, to): latency ~80–300 ms with spikes, the plan's outages and slow periods, stray failures. */
  const rngs = new Map(plans.map((plan) => [plan.monitorId, mulberry32(plan.seed)]));
  function results(plan: Plan, from: number, to: number): CheckResultInput[] {
    const rng = rngs.get(plan.monitorId)!;
    const out: CheckResultInput[] = [];
    for (let minute = from; minute < to; minute += MINUTE) {
      const at = minute + plan.offsetMs + Math.floor(rng() * 1_000);
      const state = plan.marks[(minute - first) / MINUTE];
      const roll = rng();
      if (state === DOWN || roll < 0.000_3) {
        out.push(rng() < 0.5 ? { at, ok: false, latencyMs: null, message: "Timed out after 10000 ms" } : { at, ok: false, latencyMs: 20 + Math.floor(rng() * 40), message: "HTTP 503 Service Unavailable" });
        continue;
      }
      const hourOfDay = ((minute % DAY) / HOUR) | 0;
      const busy = hourOfDay >= 8 && hourOfDay < 20 ? 1.3 : 1;
      let latency = plan.baseMs * busy * (0.8 + 0.6 * rng() * rng());
      if (state === SLOW) latency = 1_600 + rng() * 1_400;
      else if (roll > 0.999_9) latency = 1_500 + rng() * 2_000; // a lone slow check
      else if (roll > 0.995) latency *= 2 + rng() * 3; // a spike
      out.push({ at, ok: true, latencyMs: Math.round(latency), message: "OK" });
    }
    return out;
  }

  // --- Ingestion: history in one-day batches per monitor, oldest first ---
  let total = 0;
  const ingest = (plan: Plan, from: number, to: number) => {
    const batch = results(plan, from, to);
    ingestResults(plan.monitorId, batch, "check", { now });
    total += batch.length;
  };
  const generateStart = performance.now();
  // Results older than 7 days: hour and day rollups (minute rollups for the last 30 days), state changes.
  for (const plan of plans) for (let day = first; day < rawFrom; day += DAY) ingest(plan, day, Math.min(day + DAY, rawFrom));
  const historySeconds = (performance.now() - generateStart) / 1000;
  const historyCount = total;
  // The last 7 days, the live path: raw results, minute, hour and day rollups.
  const liveStart = performance.now();
  for (const plan of plans) for (let day = rawFrom; day < singleFrom; day += DAY) ingest(plan, day, Math.min(day + DAY, singleFrom));
  const liveSeconds = (performance.now() - liveStart) / 1000;
  const liveCount = total - historyCount;
  // The newest hours minute by minute across monitors, one result per call (the scheduler's way).
  const singleStart = performance.now();
  for (let minute = singleFrom; minute < now; minute += MINUTE) for (const plan of plans) ingest(plan, minute, minute + MINUTE);
  const singleSeconds = (performance.now() - singleStart) / 1000;
  const singleCount = total - historyCount - liveCount;
  const loadSeconds = (performance.now() - generateStart) / 1000;

  const rate = (count: number, seconds: number) => `${Math.round(count / seconds).toLocaleString("en-US")} results/s`;
  const line = (label: string, text: string) => console.log(`${label.padEnd(44)} ${text}`);
  console.log(
    `\nHealth: ${SERVICES} services × ${DAYS} days of 1-minute checks, ${total.toLocaleString("en-US")} results ingested in ${loadSeconds.toFixed(1)} s (setup ${setupSeconds.toFixed(1)} s)`,
  );
  line(`ingest, all ${DAYS} days`, `${rate(total, loadSeconds)}   ${total.toLocaleString("en-US")} results   (target > 20,000/s)`);
  line("  older than 7 days, day batches", `${rate(historyCount, historySeconds)}   ${historyCount.toLocaleString("en-US")} results`);
  line(`  last 7 days to ${SINGLE_HOURS} h ago, raw + rollups`, `${rate(liveCount, liveSeconds)}   ${liveCount.toLocaleString("en-US")} results   (target > 20,000/s)`);
  line(`  last ${SINGLE_HOURS} h, one result per call`, `${rate(singleCount, singleSeconds)}   ${singleCount.toLocaleString("en-US")} results`);

  // --- Size ---
  const sqlite = getDb().$client;
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  const count = (sql: string) => (sqlite.prepare(sql).pluck().get() as number).toLocaleString("en-US");
  const rollups = (sqlite.prepare("select resolution, count(*) as n from health_rollups group by resolution").all() as { resolution: string; n: number }[])
    .map((row) => `${row.resolution} ${row.n.toLocaleString("en-US")}`)
    .join(", ");
  line(
    "database size",
    `${(fs.statSync(process.env.DATABASE_PATH).size / 1e6).toFixed(1)} MB: check_results ${count("select count(*) from check_results")}, health_rollups ${rollups}, state_changes ${count("select count(*) from state_changes")}`,
  );

  // --- Reading: the data of each page, then data + renderToString ---
  const serviceIds = plans.map((plan) => plan.serviceId);
  const pageOf = (index: number) => servicePage(serviceIds[index % serviceIds.length], { now })!;
  const incidentRow = getIncident(incident.id)!;
  const windowsOf = () => incidentHealthWindows(incidentRow, now);
  measure("service page, 90 days: data", 50, pageOf, "< 50 ms");
  measure("service page, 90 days: data + render", 50, (index) => renderServicePage(pageOf(index)), "< 50 ms");
  measure(`incident health, ${incidentRow.services.length} services: data`, 50, windowsOf, "< 50 ms");
  measure(`incident health, ${incidentRow.services.length} services: data + render`, 50, () => renderIncidentHealth(windowsOf(), incidentRow), "< 50 ms");
  const page = pageOf(0);
  const windows = windowsOf();
  const lead = windows.map((window) => `${window.serviceName} ${window.firstFailure ? Math.round((window.firstFailure.at - incidentStart) / MINUTE) + " min" : "none"}`);
  console.log(
    `  (what they show: ${page.name} ${page.uptime["90d"]?.toFixed(3)}% over 90 days, ${page.changes.length} state changes, ${page.latency.length} latency points; ` +
      `incident windows ${windows.map((window) => `${window.resolution} ${window.latency.length} points`).join(", ")}, first failure from the start: ${lead.join(", ")})`,
  );

  const memory = process.memoryUsage();
  console.log(`\nResident memory ${(memory.rss / 1e6).toFixed(0)} MB, heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB`);
  closeDb();
  fs.rmSync(directory, { recursive: true, force: true });
}


/** A small seeded PRNG, so every run generates the same year. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// insightsData against a real SQLite file, with numbers worked out by hand; then the
// CSV exports through a real server process.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addAction, deleteAction, setActionStatus } from "~/models/actions.server";
import { createIncident, deleteIncident } from "~/models/incidents.server";
import type { ActionInput, IncidentInput } from "~/lib/validation";
import { insightsData } from "~/review/insights.server";
import { readRange } from "~/review/insights-range";

import { startServer, type TestServer } from "../helpers/server";

const AUTHOR = { userId: null, name: "Test" };
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
/** "Today" for these tests: 15 April 2026 (the test process runs with TZ=UTC). */
const NOW = at("2026-04-15T12:00:00Z");

type Seed = {
  title: string;
  severity: IncidentInput["severity"];
  start: string | null;
  detectAfter?: number | null;
  resolveAfter?: number | null;
  impact?: number | null;
  services?: string[];
  category?: string | null;
  timeZone?: string;
};

function incident(seed: Seed): number {
  const startedAt = seed.start === null ? null : at(seed.start);
  const after = (minutes: number | null | undefined) => (startedAt === null || minutes == null ? null : startedAt + minutes * MINUTE);
  // Cast: the classification fields (category...) are being added to IncidentInput; the column exists either way.
  const input = {
    title: seed.title,
    severity: seed.severity,
    status: "resolved",
    timeZone: seed.timeZone ?? "UTC",
    startedAt,
    detectedAt: after(seed.detectAfter),
    mitigatedAt: null,
    resolvedAt: after(seed.resolveAfter),
    impactPercent: seed.impact ?? null,
    impactDescription: "",
    services: seed.services ?? [],
    summary: "",
    rootCause: "",
    resolution: "",
    lessons: "",
    unplaced: "",
    category: seed.category ?? null,
    trigger: null,
    detectionMethod: null,
  } as IncidentInput;
  return createIncident(input, AUTHOR, startedAt ?? NOW).id;
}

function action(incidentId: number, title: string, created: string, options: { due?: string; status?: "done" | "wont_do" | "in_progress"; closed?: string } = {}): number {
  const input: ActionInput = { title, details: "", type: "prevent", owner: "Ana", dueDate: options.due ?? null, priority: "P2", status: "open", trackerUrl: null };
  const id = addAction(incidentId, input, AUTHOR, at(created))!.id;
  if (options.status) setActionStatus(id, options.status, AUTHOR, at(options.closed ?? created));
  return id;
}

describe("insightsData", () => {
  const range = { from: "2026-01-01", to: "2026-03-31" };
  let ids: Record<string, number>;

  beforeAll(() => {
    ids = {
      // 6 h 50 m at 45% = 184.5 impact minutes
      A: incident({ title: "A", severity: "SEV1", start: "2026-01-10T10:00:00Z", detectAfter: 10, resolveAfter: 410, impact: 45, services: ["booking-api", "db"], category: "deployment" }),
      B: incident({ title: "B", severity: "SEV2", start: "2026-01-20T08:00:00Z", detectAfter: 30, resolveAfter: 60, impact: 50, services: ["booking-api"], category: "deployment" }),
      // 1 February at 02:30 in its own zone, but 31 January in UTC: months are UTC months.
      C: incident({ title: "C", severity: "SEV2", start: "2026-01-31T23:30:00Z", timeZone: "GMT+3", detectAfter: null, resolveAfter: 120, impact: null, services: ["search"] }),
      D: incident({ title: "D", severity: "SEV3", start: "2026-02-14T12:00:00Z", detectAfter: 5, resolveAfter: null, impact: 10, category: "capacity" }),
      E: incident({ title: "E", severity: "SEV3", start: "2026-03-01T00:00:00Z", detectAfter: 20, resolveAfter: 40, impact: 0, services: ["search"] }),
      // The last second of the range is in it.
      I: incident({ title: "I", severity: "SEV4", start: "2026-03-31T23:59:59Z", detectAfter: 1, resolveAfter: 2, impact: null, services: ["db"], category: "deployment" }),
      // Deleted, and just outside the range on either side: none of them counts.
      F: incident({ title: "F deleted", severity: "SEV1", start: "2026-02-10T10:00:00Z", detectAfter: 1, resolveAfter: 5, impact: 100, services: ["booking-api"] }),
      G: incident({ title: "G before", severity: "SEV4", start: "2025-12-31T23:59:00Z", detectAfter: 1, resolveAfter: 5, impact: 100 }),
      H: incident({ title: "H after", severity: "SEV4", start: "2026-04-01T00:00:00Z", detectAfter: 1, resolveAfter: 5, impact: 100 }),
    };

    action(ids.A, "a1", "2026-01-11T00:00:00Z", { status: "done", closed: "2026-01-21T00:00:00Z" }); // 10 days
    action(ids.A, "a2", "2026-01-12T00:00:00Z", { status: "wont_do", closed: "2026-02-01T00:00:00Z" });
    action(ids.B, "b1", "2026-01-25T00:00:00Z", { due: "2026-02-10" }); // overdue, due in February
    action(ids.B, "b2", "2026-02-02T00:00:00Z", { status: "done", closed: "2026-03-04T00:00:00Z" }); // 30 days
    action(ids.B, "b3", "2026-03-20T00:00:00Z", { due: "2026-04-10" }); // overdue, but due after the range
    action(ids.D, "d1", "2026-02-20T00:00:00Z", { due: "2026-05-01", status: "in_progress" }); // not due yet
    action(ids.D, "d2", "2026-03-05T00:00:00Z", { due: "2026-03-10", status: "done", closed: "2026-04-02T00:00:00Z" }); // closed after the range
    action(ids.E, "e1", "2026-03-02T00:00:00Z", { status: "done", closed: "2026-03-03T12:00:00Z" }); // 1.5 days
    const deleted = action(ids.E, "e2 deleted", "2026-03-02T00:00:00Z", { due: "2026-03-05" });
    deleteAction(deleted, AUTHOR, at("2026-03-03T00:00:00Z"));
    // An action of an incident before the range counts in the months of its own dates.
    action(ids.G, "g1", "2026-01-05T00:00:00Z", { due: "2026-03-20" });
    // An action of an incident deleted later counts nowhere.
    action(ids.F, "f1", "2026-02-10T12:00:00Z", { due: "2026-02-01" });
    deleteIncident(ids.F, AUTHOR, at("2026-02-11T00:00:00Z"));
  });

  it("counts incidents per UTC month by severity, with the edges of the range included and deleted incidents left out", () => {
    const data = insightsData(range, NOW);
    expect(data.incidents).toEqual({ total: 6, withoutStart: 0 });
    expect(data.today).toBe("2026-04-15");
    expect(data.months.map((m) => [m.month, m.label, m.from, m.to, m.bySeverity, m.total])).toEqual([
      ["2026-01", "Jan 2026", "2026-01-01", "2026-01-31", { SEV1: 1, SEV2: 2, SEV3: 0, SEV4: 0 }, 3],
      ["2026-02", "Feb 2026", "2026-02-01", "2026-02-28", { SEV1: 0, SEV2: 0, SEV3: 1, SEV4: 0 }, 1],
      ["2026-03", "Mar 2026", "2026-03-01", "2026-03-31", { SEV1: 0, SEV2: 0, SEV3: 1, SEV4: 1 }, 2],
    ]);
    expect(data.months.map((m) => m.impact)).toEqual([
      { minutes: 214.5, counted: 2, leftOut: 1, leftOutReasons: { noImpact: 1 } },
      { minutes: 0, counted: 0, leftOut: 1, leftOutReasons: { notResolved: 1 } },
      { minutes: 0, counted: 1, leftOut: 1, leftOutReasons: { noImpact: 1 } },
    ]);
    expect(data.months.map((m) => m.timeToResolve.median)).toEqual([120 * MINUTE, null, 21 * MINUTE]);
  });

  it("gives median and p90 time to detect and resolve, with the incidents left out counted, never as zero", () => {
    const data = insightsData(range, NOW);
    // Detect: 1, 5, 10, 20, 30 minutes (C has no detection time)
    expect(data.timeToDetect).toEqual({ median: 10 * MINUTE, p90: 26 * MINUTE, counted: 5, leftOut: 1, leftOutReasons: { noDetection: 1 } });
    // Resolve: 2, 40, 60, 120, 410 minutes (D is not resolved); p90 = 120 + 0.6 × 290
    expect(data.timeToResolve).toEqual({ median: 60 * MINUTE, p90: 294 * MINUTE, counted: 5, leftOut: 1, leftOutReasons: { notResolved: 1 } });
    expect(data.impact).toEqual({ minutes: 214.5, counted: 3, leftOut: 3, leftOutReasons: { noImpact: 2, notResolved: 1 } });
  });

  it("breaks incidents down by service (each service an incident touched) and by cause category, uncategorised as such", () => {
    const data = insightsData(range, NOW);
    const rows = (list: typeof data.byService) => list.map((row) => [row.name, row.count, row.impact.minutes, row.impact.leftOut, row.timeToResolve.median, row.timeToResolve.leftOut]);
    expect(rows(data.byService)).toEqual([
      ["booking-api", 2, 214.5, 0, 235 * MINUTE, 0],
      ["db", 2, 184.5, 1, 206 * MINUTE, 0],
      ["search", 2, 0, 1, 80 * MINUTE, 0],
      [null, 1, 0, 1, null, 1],
    ]);
    expect(rows(data.byCategory)).toEqual([
      ["deployment", 3, 214.5, 1, 60 * MINUTE, 0],
      [null, 2, 0, 1, 80 * MINUTE, 0],
      ["capacity", 1, 0, 1, null, 1],
    ]);
  });

  it("counts corrective actions opened, closed and overdue per month, median days to close and the share of incidents all done", () => {
    const { actions } = insightsData(range, NOW);
    expect(actions.months.map(({ month, opened, closed, overdue }) => [month, opened, closed, overdue])).toEqual([
      ["2026-01", 4, 1, 0], // a1 a2 b1 g1 opened; a1 done
      ["2026-02", 2, 0, 1], // b2 d1 opened; b1 due 10 Feb, still open
      ["2026-03", 3, 2, 1], // d2 e1 b3 opened; b2 e1 done; g1 due 20 Mar, still open
    ]);
    expect([actions.opened, actions.closed, actions.overdue]).toEqual([9, 3, 2]);
    // a1 10 days, b2 30 days, e1 1.5 days (d2 was done after the range)
    expect(actions.daysToClose).toEqual({ median: 10, p90: 26, counted: 3, leftOut: 0, leftOutReasons: {} });
    // A (done + won't do) and E of A, B, D, E; C and I have none
    expect(actions).toMatchObject({ incidentsWithActions: 4, incidentsAllClosed: 2, shareAllClosed: 0.5, incidentsWithoutActions: 2, pendingActions: 3 });
  });

  it("counts an action overdue only once today is past its due date", () => {
    const before = insightsData(range, at("2026-02-10T12:00:00Z")).actions.months;
    expect(before.map((m) => m.overdue)).toEqual([0, 0, 0]);
    const after = insightsData(range, at("2026-02-11T12:00:00Z")).actions.months;
    expect(after.map((m) => m.overdue)).toEqual([0, 1, 0]);
  });

  it("places an incident without a start by when it was recorded and leaves it out of the durations", () => {
    const id = incident({ title: "No start", severity: "SEV4", start: null, impact: 20 });
    const data = insightsData({ from: "2026-04-15", to: "2026-04-15" }, NOW);
    expect(data.incidents).toEqual({ total: 1, withoutStart: 1 });
    expect(data.timeToDetect).toMatchObject({ median: null, counted: 0, leftOut: 1, leftOutReasons: { noStart: 1 } });
    expect(data.impact).toMatchObject({ minutes: 0, counted: 0, leftOut: 1, leftOutReasons: { noStart: 1 } });
    deleteIncident(id, AUTHOR, NOW);
    expect(insightsData({ from: "2026-04-15", to: "2026-04-15" }, NOW).incidents.total).toBe(0);
  });

  it("a month partly in the range links only the part inside it", () => {
    const data = insightsData({ from: "2026-01-15", to: "2026-02-10" }, NOW);
    expect(data.months.map((m) => [m.from, m.to, m.total])).toEqual([
      ["2026-01-15", "2026-01-31", 2],
      ["2026-02-01", "2026-02-10", 0],
    ]);
  });
});

describe("readRange", () => {
  const now = at("2026-11-25T15:00:00Z");
  const read = (query: string) => readRange(new URLSearchParams(query), now);

  it("defaults to the last 12 calendar months up to today", () => {
    expect(read("")).toEqual({ ok: true, range: { from: "2025-12-01", to: "2026-11-25" } });
    expect(read("to=2026-03-15")).toEqual({ ok: true, range: { from: "2025-04-01", to: "2026-03-15" } });
    expect(read("from=2026-01-01")).toEqual({ ok: true, range: { from: "2026-01-01", to: "2026-11-25" } });
  });

  it("refuses dates that are not dates, an end before the start and ranges over 10 years, keeping what was typed", () => {
    expect(read("from=2026-02-30&to=yesterday")).toEqual({
      ok: false,
      errors: { from: "Use a date such as 2026-01-31", to: "Use a date such as 2026-01-31" },
      values: { from: "2026-02-30", to: "yesterday" },
    });
    expect(read("from=2026-03-01&to=2026-02-01")).toMatchObject({ ok: false, errors: { to: "The end must be on or after the start" } });
    expect(read("from=2000-01-01&to=2026-01-01")).toMatchObject({ ok: false, errors: { to: "Choose a range of at most 10 years" } });
  });
});

// ---------------------------------------------------------------------------

/** Splits RFC 4180 text into rows of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += char;
  }
  return rows;
}

describe("CSV exports through a real server", () => {
  let server: TestServer;
  const incidentIds: number[] = [];

  async function post(path: string, body: Record<string, unknown>) {
    const response = await server.fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as { id: number };
  }

  beforeAll(async () => {
    server = await startServer();
    const first = await post("/api/incidents", {
      title: 'Checkout "502", then timeouts',
      severity: "SEV1",
      status: "resolved",
      timeZone: "GMT+3",
      startedAt: "2026-02-09 16:20",
      detectedAt: "16:30",
      resolvedAt: "23:10",
      impactPercent: 45,
      services: ["checkout", "payments"],
    });
    const second = await post("/api/incidents", {
      title: '=HYPERLINK("http://evil.example","click")',
      severity: "SEV3",
      timeZone: "Europe/Berlin",
      startedAt: "2026-03-01 09:00",
    });
    const outside = await post("/api/incidents", { title: "Outside the range", severity: "SEV4", startedAt: "2026-04-02 09:00" });
    incidentIds.push(first.id, second.id, outside.id);
    await post(`/api/incidents/${first.id}/actions`, { title: "-1 replica is not a plan", owner: "@ops", dueDate: "2026-02-20", priority: "P1" });
    await post(`/api/incidents/${first.id}/actions`, { title: "Pool alarm, done", owner: "Ana", dueDate: "2026-02-20", status: "done" });
    await post(`/api/incidents/${outside.id}/actions`, { title: "Not in this file", owner: "Ana" });
    // Categories are written straight to the file, as an admin's edit would leave them.
    const db = new Database(server.databasePath);
    db.pragma("busy_timeout = 5000");
    db.prepare("update incidents set category = ? where id = ?").run("+deployment", first.id);
    db.close();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("downloads the incidents of the range as RFC 4180 CSV, times with each incident's offset, formulas disarmed", async () => {
    const response = await server.fetch("/insights/incidents.csv?from=2026-01-01&to=2026-03-31");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="hindsight-incidents-2026-01-01-to-2026-03-31.csv"');
    const text = await response.text();
    expect(text.endsWith("\r\n")).toBe(true);
    const lines = text.split("\r\n");
    expect(lines[0]).toBe(
      "id,title,severity,status,category,services,started,detected,resolved,time to detect (minutes),time to resolve (minutes),impact %,impact minutes,actions,actions open",
    );
    expect(lines[1]).toBe(
      `${incidentIds[0]},"Checkout ""502"", then timeouts",SEV1,resolved,'+deployment,checkout; payments,2026-02-09T16:20:00+03:00,2026-02-09T16:30:00+03:00,2026-02-09T23:10:00+03:00,10,410,45,184.5,2,1`,
    );
    expect(lines[2]).toBe(`${incidentIds[1]},"'=HYPERLINK(""http://evil.example"",""click"")",SEV3,investigating,,,2026-03-01T09:00:00+01:00,,,,,,,0,0`);
    expect(lines.length).toBe(4);
    expect(parseCsv(text)[2][1]).toBe(`'=HYPERLINK("http://evil.example","click")`);
  });

  it("downloads the actions of those incidents, with overdue as of today", async () => {
    const response = await server.fetch("/insights/actions.csv?from=2026-01-01&to=2026-03-31");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="hindsight-actions-2026-01-01-to-2026-03-31.csv"');
    const rows = parseCsv(await response.text());
    expect(rows[0]).toEqual(["id", "incident id", "incident title", "title", "owner", "type", "priority", "status", "due date", "created", "completed", "overdue"]);
    expect(rows.length).toBe(3);
    const [open, done] = rows.slice(1);
    expect(open.slice(1, 9)).toEqual([String(incidentIds[0]), 'Checkout "502", then timeouts', "'-1 replica is not a plan", "'@ops", "prevent", "P1", "open", "2026-02-20"]);
    // Created now, written in the incident's zone (GMT+3); overdue since 20 February has passed.
    expect(open[9]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    expect(Math.abs(Date.parse(open[9]) - Date.now())).toBeLessThan(5 * 60_000);
    expect(open[10]).toBe("");
    expect(open[11]).toBe(Date.now() > at("2026-02-21T00:00:00Z") ? "yes" : "no");
    expect(done.slice(3, 9)).toEqual(["Pool alarm, done", "Ana", "prevent", "P2", "done", "2026-02-20"]);
    expect(done[10]).toMatch(/\+03:00$/);
    expect(done[11]).toBe("no");
  });

  it("answers 400 with the reason for a range it cannot read", async () => {
    const response = await server.fetch("/insights/incidents.csv?from=2026-13-01");
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("from: Use a date such as 2026-01-31\n");
  });

  it("shows the page with the figures and the CSV links for the range", async () => {
    const response = await server.fetch("/insights?from=2026-01-01&to=2026-03-31");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('href="/insights/incidents.csv?from=2026-01-01&amp;to=2026-03-31"');
    expect(html).toContain('href="/insights/actions.csv?from=2026-01-01&amp;to=2026-03-31"');
    expect(html).toContain("1 counted, 1 left out (1 no detection time)");
    const invalid = await server.fetch("/insights?from=2026-13-01&to=2026-02-01");
    expect(invalid.status).toBe(400);
    const page = await invalid.text();
    expect(page).toContain('value="2026-13-01"');
    expect(page).toContain("Use a date such as 2026-01-31");
  });
});

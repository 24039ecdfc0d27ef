// POST /api/ingest/alertmanager and /api/ingest/grafana against a real `node server.js`,
// reading what was stored straight from the server's database file.
import fs from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { startServer, type Role, type Scope, type TestServer } from "../helpers/server";

const FIXTURES = path.resolve(import.meta.dirname, "..", "fixtures", "alerts");
const fixtureText = (name: string) => fs.readFileSync(path.join(FIXTURES, `${name}.json`), "utf8");

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ MONITOR: "0" });
});

afterAll(async () => {
  await server?.stop();
});

beforeEach(() => {
  // Each test starts without services (monitors, state changes and alert events go with them).
  const db = new Database(server.databasePath);
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    db.exec("delete from services");
  } finally {
    db.close();
  }
});

type Reply = { status: number; headers: Headers; body: Record<string, unknown> | null };

async function post(target: string, body: string, as: Role | Scope | "anonymous" = "ingest"): Promise<Reply> {
  const response = await server.fetch(target, { as, method: "POST", body, headers: { "Content-Type": "application/json" } });
  const text = await response.text();
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = null;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

function rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(server.databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const stateChanges = () =>
  rows<{ service: string; monitor: string; at: number; from: string | null; to: string; source: string; message: string }>(
    `select s.name as service, m.name as monitor, c.at, c.from_state as "from", c.to_state as "to", c.source, c.message
       from state_changes c join monitors m on m.id = c.monitor_id join services s on s.id = c.service_id order by c.id`,
  );
const alertEvents = () => rows<{ fingerprint: string; starts_at: number; ends_at: number | null; status: string; source: string }>("select * from alert_events order by id");
const stored = () => ({
  services: rows("select * from services order by id"),
  monitors: rows("select * from monitors order by id"),
  changes: rows("select * from state_changes order by id"),
  events: rows("select * from alert_events order by id"),
});
const iso = (ms: number) => new Date(ms).toISOString();

describe("who may send alerts", () => {
  it("needs an API token with the ingest scope: none is 401, read or write tokens and people are 403", async () => {
    const body = fixtureText("alertmanager-firing");
    for (const target of ["/api/ingest/alertmanager", "/api/ingest/grafana"]) {
      const anonymous = await post(target, body, "anonymous");
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
      for (const who of ["write", "read", "admin"] as const) {
        const refused = await post(target, body, who);
        expect(refused.status, `${target} as ${who}`).toBe(403);
        expect(refused.body).toEqual({ error: expect.stringContaining("cannot send monitoring data") });
      }
    }
    expect(stored().events).toEqual([]);
    expect(stored().services).toEqual([]);
  });

  it("answers 405 to anything but POST", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const response = await server.fetch("/api/ingest/alertmanager", { as: "ingest", method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    }
  });
});

describe("an Alertmanager delivery", () => {
  it("takes the service's alert monitor down at startsAt, and a resend changes nothing", async () => {
    const first = await post("/api/ingest/alertmanager", fixtureText("alertmanager-firing"));

    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toContain("application/json");
    expect(first.body).toEqual({ accepted: 1, stateChanges: 1, ignored: [], truncated: 0 });
    expect(rows("select name, description from services")).toEqual([{ name: "checkout-api", description: "Created from an alert (its service label)." }]);
    expect(rows("select name, type, mode, alert_name, state from monitors")).toEqual([{ name: "HighErrorRate", type: "alert", mode: "active", alert_name: "HighErrorRate", state: "down" }]);
    expect(stateChanges()).toEqual([
      { service: "checkout-api", monitor: "HighErrorRate", at: Date.parse("2024-06-09T13:20:00.123Z"), from: null, to: "down", source: "alertmanager", message: "checkout-api is failing requests" },
    ]);
    expect(alertEvents()).toEqual([expect.objectContaining({ fingerprint: "5ef77f1f8a3ecfc8", starts_at: Date.parse("2024-06-09T13:20:00.123Z"), ends_at: null, status: "firing", source: "alertmanager" })]);

    const before = stored();
    const again = await post("/api/ingest/alertmanager", fixtureText("alertmanager-firing"));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ accepted: 1, stateChanges: 0, ignored: [], truncated: 0 });
    expect(stored()).toEqual(before);
  });

  it("brings the monitor up at endsAt when the alert resolves, once however often it is sent", async () => {
    await post("/api/ingest/alertmanager", fixtureText("alertmanager-firing"));
    const resolved = await post("/api/ingest/alertmanager", fixtureText("alertmanager-resolved"));
    const resent = await post("/api/ingest/alertmanager", fixtureText("alertmanager-resolved"));

    expect(resolved.body).toEqual({ accepted: 1, stateChanges: 1, ignored: [], truncated: 0 });
    expect(resent.body).toEqual({ accepted: 1, stateChanges: 0, ignored: [], truncated: 0 });
    expect(stateChanges().map(({ at, from, to, message }) => [iso(at), from, to, message])).toEqual([
      ["2024-06-09T13:20:00.123Z", null, "down", "checkout-api is failing requests"],
      ["2024-06-09T13:47:30.500Z", "down", "up", "Resolved: checkout-api is failing requests"],
    ]);
    expect(alertEvents()).toEqual([expect.objectContaining({ status: "resolved", ends_at: Date.parse("2024-06-09T13:47:30.500Z") })]);
  });

  it("reports truncatedAlerts, so a sender can see alerts were cut", async () => {
    const result = await post("/api/ingest/alertmanager", fixtureText("alertmanager-truncated"));

    expect(result.status).toBe(200);
    expect(result.body).toEqual({ accepted: 2, stateChanges: 1, ignored: [], truncated: 3 });
    // Two instances of one warning rule: one monitor, degraded from the first start.
    expect(rows("select name, state from monitors")).toEqual([{ name: "DiskWillFillIn4Hours", state: "degraded" }]);
    expect(stateChanges().map(({ service, at, to }) => [service, iso(at), to])).toEqual([["search", "2024-06-10T08:00:00.000Z", "degraded"]]);
    expect(alertEvents()).toHaveLength(2);
  });

  it("maps several alerts to two services, and lists the one without a service label as ignored", async () => {
    const result = await post("/api/ingest/alertmanager", fixtureText("alertmanager-two-services"));

    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      accepted: 4,
      stateChanges: 4,
      ignored: [{ index: 3, reason: "No service label: the alert has none of service, job" }],
      truncated: 0,
    });
    expect(rows("select s.name as service, m.name as monitor, m.state from monitors m join services s on s.id = m.service_id order by m.id")).toEqual([
      { service: "checkout-api", monitor: "HighLatency", state: "down" },
      { service: "payments", monitor: "TargetDown", state: "down" },
      { service: "checkout-api", monitor: "CertificateExpiring", state: "up" },
    ]);
    // The certificate alert was never seen firing: both of its changes are logged.
    expect(stateChanges().map(({ monitor, at, to }) => [monitor, iso(at), to])).toEqual([
      ["HighLatency", "2024-06-11T09:00:00.000Z", "down"],
      ["TargetDown", "2024-06-11T09:02:00.000Z", "down"],
      ["CertificateExpiring", "2024-06-11T08:00:00.000Z", "degraded"],
      ["CertificateExpiring", "2024-06-11T08:30:00.000Z", "up"],
    ]);
    expect(alertEvents().map((event) => event.status)).toEqual(["firing", "firing", "firing", "resolved"]);

    const again = await post("/api/ingest/alertmanager", fixtureText("alertmanager-two-services"));
    expect(again.body).toMatchObject({ accepted: 4, stateChanges: 0 });
    expect(alertEvents()).toHaveLength(4);
  });

  it("takes the service from the labels named by ?serviceLabel= instead", async () => {
    const result = await post("/api/ingest/alertmanager?serviceLabel=team", fixtureText("alertmanager-two-services"));

    expect(result.body).toMatchObject({ accepted: 4, ignored: [{ index: 3, reason: "No service label: the alert has none of team" }] });
    expect(rows("select name from services order by id")).toEqual([{ name: "storefront" }, { name: "payments" }]);

    const blank = await post("/api/ingest/alertmanager?serviceLabel=", fixtureText("alertmanager-firing"));
    expect(blank.status).toBe(400);
    expect(blank.body).toEqual({ errors: { serviceLabel: expect.any(String) } });
  });
});

describe("a Grafana delivery", () => {
  it("is read the same way on /api/ingest/grafana, logged with source grafana", async () => {
    const firing = await post("/api/ingest/grafana", fixtureText("grafana-firing"));
    const resolved = await post("/api/ingest/grafana", fixtureText("grafana-resolved"));

    expect(firing.status).toBe(200);
    expect(firing.body).toEqual({ accepted: 1, stateChanges: 1, ignored: [], truncated: 0 });
    expect(resolved.body).toEqual({ accepted: 1, stateChanges: 1, ignored: [], truncated: 0 });
    expect(stateChanges().map(({ service, monitor, at, to, source, message }) => [service, monitor, iso(at), to, source, message])).toEqual([
      ["payments", "High memory usage", "2024-06-12T13:51:03.157Z", "down", "grafana", "Memory on payments-1 is above 90%"],
      ["payments", "High memory usage", "2024-06-12T14:20:03.157Z", "up", "grafana", "Resolved: Memory on payments-1 is above 90%"],
    ]);
    expect(alertEvents()).toEqual([expect.objectContaining({ fingerprint: "c6eadffa33fcdf37", source: "grafana", status: "resolved" })]);
  });

  it("and an Alertmanager delivery sent to the Grafana address is still Alertmanager's", async () => {
    const result = await post("/api/ingest/grafana", fixtureText("alertmanager-firing"));
    expect(result.body).toMatchObject({ accepted: 1, stateChanges: 1 });
    expect(stateChanges().map((change) => change.source)).toEqual(["alertmanager"]);
  });
});

describe("a delivery that can never be accepted", () => {
  const cases = JSON.parse(fixtureText("malformed")) as { case: string; field: string; payload: unknown }[];

  it.each(cases.map((entry) => [entry.case, entry] as const))("%s: 400 naming the field, nothing written", async (_name, entry) => {
    const result = await post("/api/ingest/alertmanager", JSON.stringify(entry.payload));
    expect(result.status).toBe(400);
    expect(result.body?.errors).toHaveProperty([entry.field]);
    expect(stored()).toEqual({ services: [], monitors: [], changes: [], events: [] });
  });

  it.each([
    ["not JSON", "status=firing"],
    ["cut off", fixtureText("alertmanager-firing").slice(0, 200)],
    ["a list", `[${fixtureText("alertmanager-firing")}]`],
    ["empty", ""],
  ])("a body that is %s: 400", async (_name, body) => {
    const result = await post("/api/ingest/alertmanager", body);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({ errors: { body: "Body must be a JSON object" } });
    expect(stored().events).toEqual([]);
  });
});

describe("a busy database", () => {
  it("answers 503 with Retry-After and writes nothing; the retry is accepted", async () => {
    // Let the gate note the token's use now, so the held lock stops only the delivery itself.
    await server.fetch("/api/ingest/alertmanager", { as: "ingest" });
    const other = new Database(server.databasePath);
    other.exec("begin immediate");
    let busy: Reply;
    try {
      busy = await post("/api/ingest/alertmanager", fixtureText("alertmanager-firing"));
    } finally {
      other.exec("rollback");
      other.close();
    }
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(busy.body).toEqual({ error: expect.stringContaining("busy") });
    expect(stored()).toEqual({ services: [], monitors: [], changes: [], events: [] });

    const retry = await post("/api/ingest/alertmanager", fixtureText("alertmanager-firing"));
    expect(retry.body).toEqual({ accepted: 1, stateChanges: 1, ignored: [], truncated: 0 });
  });
});

// Bad input to the JSON API: each is a 400 naming the field, and nothing reaches the database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

import { call, countRows, createAction, createEntry, createIncident, readRow, type ApiResponse } from "./api-helpers";

let server: TestServer;
let host: any;

beforeAll(async () => {
  server = await startServer();
  host = await createIncident(server, { title: "Validation host", timeZone: "GMT+3", startedAt: "2024-06-09T13:20:00Z" });
  await createEntry(server, host.id, { occurredAt: "4:30 PM", text: "Existing entry" });
  await createAction(server, host.id, { title: "Existing action" });
});

afterAll(async () => {
  await server?.stop();
});

/**
 * What the API and the database file say exists, to compare before and after a
 * refused write: every row (deleted ones too) and every history row.
 */
async function snapshot() {
  const list = await call(server, "GET", "/api/incidents?limit=500");
  const timeline = await call(server, "GET", `/api/incidents/${host.id}/timeline`);
  const actions = await call(server, "GET", `/api/incidents/${host.id}/actions`);
  return {
    api: { incidents: list.body.total, timeline: timeline.body.timeline.length, actions: actions.body.actions.length },
    rows: countRows(server),
  };
}

function expectFieldError(response: ApiResponse, field: string) {
  expect(response.status, response.text).toBe(400);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(Object.keys(response.body)).toEqual(["errors"]);
  expect(Object.keys(response.body.errors)).toEqual([field]);
  expect(typeof response.body.errors[field]).toBe("string");
  expect(response.body.errors[field].length).toBeGreaterThan(0);
}

const valid = { title: "Valid apart from one thing", severity: "SEV2", timeZone: "GMT+3", startedAt: "2024-06-09T13:20:00Z" };

describe("POST /api/incidents refuses bad input and writes nothing", () => {
  const cases: [string, unknown, string, RegExp?][] = [
    ["impact of 150%", { ...valid, impactPercent: 150 }, "impactPercent", /between 0 and 100/],
    ["negative impact", { ...valid, impactPercent: -1 }, "impactPercent"],
    ["resolved before it started", { ...valid, resolvedAt: "2024-06-09T12:00:00Z" }, "resolvedAt", /before the start/],
    ["an unparseable start", { ...valid, startedAt: "yesterday-ish" }, "startedAt", /yesterday-ish/],
    ["an unknown severity", { ...valid, severity: "SEV9" }, "severity", /SEV1, SEV2, SEV3, SEV4/],
    ["a missing severity", { title: "No severity" }, "severity"],
    ["a missing title", { severity: "SEV2" }, "title", /required/],
    ["a blank title", { ...valid, title: "   " }, "title", /required/],
    ["a 2 MB summary", { ...valid, summary: "x".repeat(2 * 1024 * 1024) }, "summary", /too long/],
    ["malformed JSON", '{"title": "Broken", "severity": "SEV2",', "body", /JSON/],
    ["a JSON array", "[]", "body", /JSON object/],
    ["an empty body", "", "body"],
    ["an unknown field", { ...valid, sevrity: "SEV1" }, "sevrity", /sevrity/],
    ["an unknown time zone", { ...valid, timeZone: "Mars/Olympus" }, "timeZone", /Mars\/Olympus/],
    ["an unknown status", { ...valid, status: "done" }, "status"],
    ["services that are not a list of names", { ...valid, services: [1, 2] }, "services"],
    ["a time that is not text", { ...valid, detectedAt: 1717939200000 }, "detectedAt"],
  ];

  for (const [label, body, field, message] of cases) {
    it(`${label} → 400 on ${field}`, async () => {
      const before = await snapshot();
      const response = await call(server, "POST", "/api/incidents", body);
      expectFieldError(response, field);
      if (message) expect(response.body.errors[field]).toMatch(message);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe("PATCH /api/incidents/:id refuses bad input and leaves the incident as it was", () => {
  const cases: [string, unknown, string][] = [
    ["resolved before the stored start", { resolvedAt: "2024-06-09T12:00:00Z" }, "resolvedAt"],
    ["a start after the stored resolution", { startedAt: "2024-06-10T12:00:00Z" }, "resolvedAt"],
    ["impact of 150%", { impactPercent: 150 }, "impactPercent"],
    ["an unknown severity", { severity: "SEV9" }, "severity"],
    ["an empty title", { title: "" }, "title"],
    ["an unknown field", { rootcause: "typo" }, "rootcause"],
    ["malformed JSON", "{title:", "body"],
    ["a 2 MB summary", { summary: "y".repeat(2 * 1024 * 1024) }, "summary"],
  ];

  for (const [label, body, field] of cases) {
    it(`${label} → 400 on ${field}`, async () => {
      const incident = await createIncident(server, {
        title: "Stored",
        startedAt: "2024-06-09T13:20:00Z",
        resolvedAt: "2024-06-09T15:00:00Z",
        impactPercent: 5,
      });
      const rowBefore = readRow(server, "select * from incidents where id = ?", incident.id);
      const before = await snapshot();

      const response = await call(server, "PATCH", `/api/incidents/${incident.id}`, body);
      expectFieldError(response, field);

      expect((await call(server, "GET", `/api/incidents/${incident.id}`)).body).toEqual(incident);
      expect(readRow(server, "select * from incidents where id = ?", incident.id)).toEqual(rowBefore);
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe("timeline entries refuse bad input and write nothing", () => {
  const cases: [string, unknown, string][] = [
    ["empty text", { occurredAt: "4:50 PM", text: "" }, "text"],
    ["blank text", { occurredAt: "4:50 PM", text: " \n\t " }, "text"],
    ["missing text", { occurredAt: "4:50 PM" }, "text"],
    ["a missing time", { text: "No time" }, "occurredAt"],
    ["an unparseable time", { occurredAt: "yesterday-ish", text: "x" }, "occurredAt"],
    ["13:75", { occurredAt: "13:75", text: "x" }, "occurredAt"],
    ["an unknown kind", { occurredAt: "4:50 PM", text: "x", kind: "panic" }, "kind"],
    ["an unknown field", { occurredAt: "4:50 PM", text: "x", when: "now" }, "when"],
    ["malformed JSON", "not json", "body"],
  ];

  for (const [label, body, field] of cases) {
    it(`POST with ${label} → 400 on ${field}`, async () => {
      const before = await snapshot();
      const response = await call(server, "POST", `/api/incidents/${host.id}/timeline`, body);
      expectFieldError(response, field);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("PATCH with empty text → 400 on text, entry unchanged", async () => {
    const entry = await createEntry(server, host.id, { occurredAt: "5:05 PM", text: "Keep me" });
    const rowBefore = readRow(server, "select * from timeline_entries where id = ?", entry.id);
    const before = await snapshot();
    const response = await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "   " });
    expectFieldError(response, "text");
    expect((await call(server, "GET", `/api/timeline/${entry.id}`)).body).toEqual(entry);
    expect(readRow(server, "select * from timeline_entries where id = ?", entry.id)).toEqual(rowBefore);
    expect(await snapshot()).toEqual(before);
  });
});

describe("corrective actions refuse bad input and write nothing", () => {
  const cases: [string, unknown, string][] = [
    ["a due date not in the calendar", { title: "x", dueDate: "2024-02-30" }, "dueDate"],
    ["a due date with a time", { title: "x", dueDate: "2024-06-30T10:00:00Z" }, "dueDate"],
    ["a javascript: tracker URL", { title: "x", trackerUrl: "javascript:alert(document.cookie)" }, "trackerUrl"],
    ["a tracker URL without a scheme", { title: "x", trackerUrl: "tracker.example.com/OPS-42" }, "trackerUrl"],
    ["a missing title", { owner: "Dana" }, "title"],
    ["an unknown status", { title: "x", status: "finished" }, "status"],
    ["an unknown priority", { title: "x", priority: "P0" }, "priority"],
    ["an unknown type", { title: "x", type: "fix" }, "type"],
    ["an unknown field", { title: "x", assignee: "Dana" }, "assignee"],
    ["malformed JSON", '{"title": }', "body"],
  ];

  for (const [label, body, field] of cases) {
    it(`POST with ${label} → 400 on ${field}`, async () => {
      const before = await snapshot();
      const response = await call(server, "POST", `/api/incidents/${host.id}/actions`, body);
      expectFieldError(response, field);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("PATCH with a bad due date or tracker URL → 400, action unchanged", async () => {
    const action = await createAction(server, host.id, { title: "Keep me", dueDate: "2030-01-31", trackerUrl: "https://tracker.example.com/OPS-1" });
    const rowBefore = readRow(server, "select * from corrective_actions where id = ?", action.id);
    const before = await snapshot();
    for (const [body, field] of [
      [{ dueDate: "2024-02-30" }, "dueDate"],
      [{ trackerUrl: "javascript:alert(1)" }, "trackerUrl"],
      [{ status: "done", title: "" }, "title"],
    ] as const) {
      const response = await call(server, "PATCH", `/api/actions/${action.id}`, body);
      expectFieldError(response, field);
    }
    expect((await call(server, "GET", `/api/actions/${action.id}`)).body).toEqual(action);
    expect(readRow(server, "select * from corrective_actions where id = ?", action.id)).toEqual(rowBefore);
    expect(await snapshot()).toEqual(before);
  });
});

// No lost updates through the JSON API, against a real `node server.js` process:
// every record carries a version, and a save based on a stale one is a 409.
import http from "node:http";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { formatInstant } from "~/lib/time";

import { startServer, type TestServer } from "../helpers/server";

import {
  call,
  countRows,
  createAction,
  createEntry,
  createIncident,
  everythingStored,
  historyOf,
  postForm,
  readRow,
  type ApiResponse,
  type CallOptions,
  type HistoryRow,
} from "./api-helpers";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Client A is Eve, logged in; client B is a script with the write token. */
const A: CallOptions = { as: "editor" };
const B: CallOptions = { as: "write" };
const ZONE = "Europe/Berlin";

/** What the conflict message must say: who saved last, and when, in the incident's zone. */
function changedBy(row: HistoryRow | undefined) {
  if (!row) throw new Error("No history row for the winning save");
  // The message names the minute of the change (its seconds are in History).
  return `changed by ${row.actor} at ${formatInstant(Math.floor(row.at / 60_000) * 60_000, ZONE)}`;
}

function expectConflict(response: ApiResponse, winner: HistoryRow | undefined) {
  expect(response.status, response.text).toBe(409);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(Object.keys(response.body).sort()).toEqual(["current", "error", "errors"]);
  expect(Object.keys(response.body.errors)).toEqual(["version"]);
  expect(response.body.error).toContain(changedBy(winner));
  expect(response.body.errors.version).toContain(changedBy(winner));
}

function expectVersionError(response: ApiResponse, label: string) {
  expect(response.status, `${label}: ${response.text}`).toBe(400);
  expect(Object.keys(response.body), label).toEqual(["errors"]);
  expect(Object.keys(response.body.errors), label).toEqual(["version"]);
  expect(response.body.errors.version, label).toMatch(/version/);
}

/** Whether a text reached anything stored: any row of any table, history included. */
function stored(text: string) {
  return everythingStored(server).includes(text);
}

describe("incidents", () => {
  it("GET /api/incidents/:id carries the version in the body and as an ETag; each save bumps both", async () => {
    const incident = await createIncident(server, { timeZone: ZONE });
    expect(incident.version).toBe(1);
    const fetched = await call(server, "GET", `/api/incidents/${incident.id}`);
    expect(fetched.body.version).toBe(1);
    expect(fetched.headers.get("etag")).toBe('"1"');

    const saved = await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "One", version: 1 });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.headers.get("etag")).toBe('"2"');
    const again = await call(server, "GET", `/api/incidents/${incident.id}`);
    expect(again.body.version).toBe(2);
    expect(again.headers.get("etag")).toBe('"2"');
    expect(readRow(server, "select version from incidents where id = ?", incident.id)).toEqual({ version: 2 });
  });

  it("two clients save the same summary: the first wins, the second gets 409 with the stored record, and both texts survive", async () => {
    const incident = await createIncident(server, { timeZone: ZONE, summary: "Draft" });
    const readByA = (await call(server, "GET", `/api/incidents/${incident.id}`, undefined, A)).body;
    const readByB = (await call(server, "GET", `/api/incidents/${incident.id}`, undefined, B)).body;
    const n = readByA.version;
    expect(readByB.version).toBe(n);

    const first = await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "A's summary: the primary failed over", version: n }, A);
    expect(first.status).toBe(200);
    expect(first.body.summary).toBe("A's summary: the primary failed over");
    expect(first.body.version).toBe(n + 1);
    const winner = historyOf(server, "incident", incident.id).at(-1);
    expect(winner).toMatchObject({ change: "update", actor: "Eve Editor" });
    const rowsBefore = countRows(server);

    const second = await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "B's summary: the replica lagged", version: n }, B);
    expectConflict(second, winner);
    // The 409 shows the stored version (A's), with its timeline and actions, exactly as a GET would.
    expect(second.body.current.summary).toBe("A's summary: the primary failed over");
    expect(second.body.current.version).toBe(n + 1);
    expect(second.body.current).toEqual((await call(server, "GET", `/api/incidents/${incident.id}`)).body);

    // B's text is stored nowhere: not in the incident, not in History. A's is stored.
    expect(readRow(server, "select summary, version from incidents where id = ?", incident.id)).toEqual({
      summary: "A's summary: the primary failed over",
      version: n + 1,
    });
    expect(countRows(server)).toEqual(rowsBefore);
    expect(stored("B's summary")).toBe(false);
    expect(historyOf(server, "incident", incident.id).map((row) => row.change)).toEqual(["create", "update"]);

    // B still has its text and now A's too; saving again on A's version replaces it knowingly, and History keeps A's.
    const resaved = await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "B's summary: the replica lagged", version: second.body.current.version }, B);
    expect(resaved.status).toBe(200);
    expect(resaved.body.version).toBe(n + 2);
    const last = historyOf(server, "incident", incident.id).at(-1);
    expect(last?.before?.summary).toBe("A's summary: the primary failed over");
    expect(last?.after?.summary).toBe("B's summary: the replica lagged");
  });

  it("a stale version is refused whatever fields the save changes, and so is a stale GET body sent back whole", async () => {
    const incident = await createIncident(server, { timeZone: ZONE, title: "Untouched title" });
    const stale = (await call(server, "GET", `/api/incidents/${incident.id}`)).body;
    expect((await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "Newer", version: stale.version }, A)).status).toBe(200);
    const winner = historyOf(server, "incident", incident.id).at(-1);
    const rowsBefore = countRows(server);

    expectConflict(await call(server, "PATCH", `/api/incidents/${incident.id}`, { severity: "SEV1", version: stale.version }, B), winner);
    expectConflict(await call(server, "PATCH", `/api/incidents/${incident.id}`, { ...stale, title: "Stale round trip" }, B), winner);
    expect(countRows(server)).toEqual(rowsBefore);
    expect(readRow(server, "select title, severity, summary from incidents where id = ?", incident.id)).toEqual({
      title: "Untouched title",
      severity: "SEV2",
      summary: "Newer",
    });
    expect(stored("Stale round trip")).toBe(false);
  });

  it("If-Match with the ETag from a GET works the same: the first save wins, the second gets 409", async () => {
    const incident = await createIncident(server, { timeZone: ZONE, summary: "Draft" });
    const read = await call(server, "GET", `/api/incidents/${incident.id}`);
    const etag = read.headers.get("etag")!;
    expect(etag).toBe(`"${read.body.version}"`);

    const first = await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "A via If-Match" }, { ...A, headers: { "If-Match": etag } });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(read.body.version + 1);
    expect(first.headers.get("etag")).toBe(`"${read.body.version + 1}"`);
    const winner = historyOf(server, "incident", incident.id).at(-1);
    const rowsBefore = countRows(server);

    for (const ifMatch of [etag, `W/${etag}`]) {
      const second = await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "B via If-Match" }, { ...B, headers: { "If-Match": ifMatch } });
      expectConflict(second, winner);
      expect(second.body.current.summary).toBe("A via If-Match");
    }
    expect(countRows(server)).toEqual(rowsBefore);
    expect(stored("B via If-Match")).toBe(false);

    // The current ETag, weak or strong, is accepted.
    const weak = await call(server, "PATCH", `/api/incidents/${incident.id}`, { lessons: "Weak ETag" }, { ...B, headers: { "If-Match": `W/${first.headers.get("etag")}` } });
    expect(weak.status).toBe(200);
    expect(weak.body).toMatchObject({ summary: "A via If-Match", lessons: "Weak ETag", version: read.body.version + 2 });
  });

  it("a malformed version is 400 {errors: {version}} and changes nothing", async () => {
    const incident = await createIncident(server, { timeZone: ZONE, summary: "Keep" });
    const rowBefore = readRow(server, "select * from incidents where id = ?", incident.id);
    const rowsBefore = countRows(server);
    const cases: [string, Record<string, unknown>, Record<string, string>][] = [
      ['version "abc"', { summary: "Malformed", version: "abc" }, {}],
      ["version 0", { summary: "Malformed", version: 0 }, {}],
      ["version -1", { summary: "Malformed", version: -1 }, {}],
      ["version 1.5", { summary: "Malformed", version: 1.5 }, {}],
      ["version true", { summary: "Malformed", version: true }, {}],
      ['version ""', { summary: "Malformed", version: "" }, {}],
      ['If-Match: "abc"', { summary: "Malformed" }, { "If-Match": '"abc"' }],
      ['If-Match: "0"', { summary: "Malformed" }, { "If-Match": '"0"' }],
    ];
    for (const [label, body, headers] of cases) {
      expectVersionError(await call(server, "PATCH", `/api/incidents/${incident.id}`, body, { headers }), label);
    }
    expect(readRow(server, "select * from incidents where id = ?", incident.id)).toEqual(rowBefore);
    expect(countRows(server)).toEqual(rowsBefore);
    expect(stored("Malformed")).toBe(false);
  });

  it("a PATCH without any version is accepted: last write wins, with no conflict check (documented API behaviour)", async () => {
    const incident = await createIncident(server, { timeZone: ZONE, summary: "Draft" });
    const n = incident.version;
    expect((await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "A's summary", version: n }, A)).status).toBe(200);
    const unversioned = await call(server, "PATCH", `/api/incidents/${incident.id}`, { summary: "B's summary, unchecked" }, B);
    expect(unversioned.status).toBe(200);
    expect(unversioned.body).toMatchObject({ summary: "B's summary, unchecked", version: n + 2 });
    // Overwritten, but not lost: History holds A's text.
    const last = historyOf(server, "incident", incident.id).at(-1);
    expect(last).toMatchObject({ change: "update", before: expect.objectContaining({ summary: "A's summary" }) });
  });
});

describe("timeline entries", () => {
  let host: any;

  beforeAll(async () => {
    host = await createIncident(server, { timeZone: ZONE, startedAt: "2024-06-09T13:20:00Z" });
  });

  it("the second of two saves on the same version gets 409 with the stored entry; its text is stored nowhere", async () => {
    const entry = await createEntry(server, host.id, { occurredAt: "2024-06-09T13:30:00Z", text: "Draft entry" });
    expect(entry.version).toBe(1);
    const first = await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "A's entry text", version: entry.version }, A);
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(entry.version + 1);
    const winner = historyOf(server, "timeline_entry", entry.id).at(-1);
    const rowsBefore = countRows(server);

    const second = await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "B's entry text", version: entry.version }, B);
    expectConflict(second, winner);
    expect(second.body.current).toEqual(first.body);
    expect(second.body.current).toEqual((await call(server, "GET", `/api/timeline/${entry.id}`)).body);

    const viaHeader = await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "B's entry text" }, { ...B, headers: { "If-Match": `"${entry.version}"` } });
    expectConflict(viaHeader, winner);
    expect(viaHeader.body.current.text).toBe("A's entry text");

    expect(readRow(server, "select text, version from timeline_entries where id = ?", entry.id)).toEqual({ text: "A's entry text", version: entry.version + 1 });
    expect(countRows(server)).toEqual(rowsBefore);
    expect(stored("B's entry text")).toBe(false);

    expectVersionError(await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "Malformed entry", version: "abc" }), 'version "abc"');
    expectVersionError(await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "Malformed entry", version: 0 }), "version 0");
    expect(stored("Malformed entry")).toBe(false);

    // Without a version the save is not checked: last write wins.
    const unversioned = await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "Unchecked entry" }, B);
    expect(unversioned.status).toBe(200);
    expect(unversioned.body.version).toBe(entry.version + 2);
  });
});

describe("corrective actions", () => {
  let host: any;

  beforeAll(async () => {
    host = await createIncident(server, { timeZone: ZONE });
  });

  it("the second of two saves on the same version gets 409 with the stored action; its text is stored nowhere", async () => {
    const action = await createAction(server, host.id, { title: "Draft action" });
    expect(action.version).toBe(1);
    const first = await call(server, "PATCH", `/api/actions/${action.id}`, { details: "A's details", version: action.version }, A);
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(action.version + 1);
    const winner = historyOf(server, "action", action.id).at(-1);
    const rowsBefore = countRows(server);

    const second = await call(server, "PATCH", `/api/actions/${action.id}`, { details: "B's details", version: action.version }, B);
    expectConflict(second, winner);
    expect(second.body.current).toEqual(first.body);
    expect(second.body.current).toEqual((await call(server, "GET", `/api/actions/${action.id}`)).body);

    const viaHeader = await call(server, "PATCH", `/api/actions/${action.id}`, { details: "B's details" }, { ...B, headers: { "If-Match": `W/"${action.version}"` } });
    expectConflict(viaHeader, winner);
    expect(viaHeader.body.current.details).toBe("A's details");

    expect(readRow(server, "select details, version from corrective_actions where id = ?", action.id)).toEqual({ details: "A's details", version: action.version + 1 });
    expect(countRows(server)).toEqual(rowsBefore);
    expect(stored("B's details")).toBe(false);

    expectVersionError(await call(server, "PATCH", `/api/actions/${action.id}`, { details: "Malformed action", version: "abc" }), 'version "abc"');
    expectVersionError(await call(server, "PATCH", `/api/actions/${action.id}`, { details: "Malformed action", version: 0 }), "version 0");
    expect(stored("Malformed action")).toBe(false);

    const unversioned = await call(server, "PATCH", `/api/actions/${action.id}`, { details: "Unchecked details" }, B);
    expect(unversioned.status).toBe(200);
    expect(unversioned.body.version).toBe(action.version + 2);
  });
});

describe("a PATCH whose body is still arriving while another save lands", () => {
  /** A token nobody has used yet: the moment the server lets it in is written to the database (last_used_at). */
  async function freshToken(name: string) {
    const page = await postForm(server, "/admin/tokens", { intent: "create-token", name, scope: "write" }, "admin");
    const token = /data-testid="new-token">(hs_[A-Za-z0-9_-]+)</.exec(page.text)?.[1];
    if (!token) throw new Error(`Creating token ${name} answered ${page.status}`);
    const id = readRow(server, "select id from api_tokens where name = ?", name)!.id as number;
    return { token, id };
  }

  /**
   * Starts a PATCH and sends only the first part of its body. Resolves once the
   * server has let the request through the gate (it records the token's first
   * use), which is before the route reads the body; `finish` sends the rest.
   */
  async function startSlowPatch(path: string, firstPart: string, token: { token: string; id: number }) {
    const url = new URL(server.url + path);
    let answered: (value: { status: number; body: any }) => void;
    const answer = new Promise<{ status: number; body: any }>((resolve) => (answered = resolve));
    const request = http.request(
      {
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "PATCH",
        headers: { Authorization: `Bearer ${token.token}`, "Content-Type": "application/json", Accept: "application/json" },
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => answered({ status: response.statusCode!, body: text ? JSON.parse(text) : undefined }));
      },
    );
    request.flushHeaders();
    request.write(firstPart);
    // Waits for a state, not for a time: the token's first use, written by the gate.
    for (let attempt = 0; readRow(server, "select last_used_at from api_tokens where id = ?", token.id)?.last_used_at === null; attempt++) {
      if (attempt > 2_000) throw new Error("The server never let the slow PATCH through the gate");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return {
      finish: (lastPart: string) => {
        request.end(lastPart);
        return answer;
      },
    };
  }

  const cases = [
    {
      what: "an incident",
      create: async () => {
        const incident = await createIncident(server, { timeZone: ZONE, summary: "Original summary", lessons: "Original lessons" });
        return { path: `/api/incidents/${incident.id}`, version: incident.version };
      },
      slow: ["lessons", "A's lessons"],
      other: ["summary", "B's summary"],
    },
    {
      what: "a timeline entry",
      create: async () => {
        const host = await createIncident(server, { timeZone: ZONE });
        const entry = await createEntry(server, host.id, { occurredAt: "2024-06-09T13:30:00Z", text: "Original text", kind: "note" });
        return { path: `/api/timeline/${entry.id}`, version: entry.version };
      },
      slow: ["text", "A's text"],
      other: ["kind", "action"],
    },
    {
      what: "a corrective action",
      create: async () => {
        const host = await createIncident(server, { timeZone: ZONE });
        const action = await createAction(server, host.id, { title: "Original title", details: "Original details" });
        return { path: `/api/actions/${action.id}`, version: action.version };
      },
      slow: ["details", "A's details"],
      other: ["title", "B's title"],
    },
  ] as const;

  for (const { what, create, slow, other } of cases) {
    it(`${what} PATCH without a version changes only the fields it sends: it does not undo a save that landed while its body arrived`, async () => {
      const { path, version } = await create();
      const token = await freshToken(`slow PATCH of ${what}`);
      const a = await startSlowPatch(path, `{"${slow[0]}": ${JSON.stringify(slow[1])}`, token);

      const b = await call(server, "PATCH", path, { [other[0]]: other[1], version }, B);
      expect(b.status, b.text).toBe(200);
      expect(b.body[other[0]]).toBe(other[1]);

      const answerA = await a.finish("}");
      expect(answerA.status).toBe(200);
      const now = (await call(server, "GET", path)).body;
      expect(now[slow[0]], "A's field").toBe(slow[1]);
      expect(now[other[0]], "B's field, saved first and not sent by A").toBe(other[1]);
      expect(answerA.body[other[0]], "A's answer").toBe(other[1]);
    });
  }
});

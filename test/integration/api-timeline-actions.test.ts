// Timeline entries and corrective actions in the JSON API, against a real `node server.js` process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

import {
  ACTION_KEYS,
  call,
  countLiveRows,
  countRows,
  createAction,
  createEntry,
  createIncident,
  historyOf,
  postForm,
  readRow,
  TIMELINE_KEYS,
  userId,
  WRITE_TOKEN_ACTOR,
} from "./api-helpers";

let server: TestServer;
/** The zone whose calendar decides "overdue": 14 hours ahead of UTC, so UTC's date is often not the server's. */
const SERVER_TZ = "Pacific/Kiritimati";

beforeAll(async () => {
  server = await startServer({ TZ: SERVER_TZ });
});

afterAll(async () => {
  await server?.stop();
});

const ids = (items: { id: number }[]) => items.map((item) => item.id);

/** Today's calendar date in the server's zone, and the day before. */
function serverDates() {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: SERVER_TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(),
  );
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { today, yesterday };
}

describe("timeline", () => {
  let incident: any;

  beforeAll(async () => {
    incident = await createIncident(server, { title: "Timeline host", timeZone: "GMT+3", startedAt: "2024-06-09T13:20:00Z" });
  });

  it("reads a bare time such as 4:50 PM in the incident's zone on its start date", async () => {
    const response = await call(server, "POST", `/api/incidents/${incident.id}/timeline`, {
      occurredAt: "4:50 PM",
      text: "  Paged the database on-call  ",
      kind: "escalation",
      author: "Dana",
    });
    expect(response.status).toBe(201);
    const entry = response.body;
    expect(response.headers.get("location")).toBe(`/api/timeline/${entry.id}`);
    expect(Object.keys(entry).sort()).toEqual(TIMELINE_KEYS);
    expect(entry).toEqual({
      id: entry.id,
      incidentId: incident.id,
      occurredAt: "2024-06-09T16:50:00+03:00",
      text: "Paged the database on-call",
      kind: "escalation",
      author: "Dana",
      version: 1,
    });
    const row = readRow(server, "select occurred_at from timeline_entries where id = ?", entry.id);
    expect(row).toEqual({ occurred_at: Date.UTC(2024, 5, 9, 13, 50) });

    expect((await call(server, "GET", `/api/timeline/${entry.id}`)).body).toEqual(entry);
    expect(historyOf(server, "timeline_entry", entry.id)).toEqual([
      expect.objectContaining({ incidentId: incident.id, change: "create", actor: WRITE_TOKEN_ACTOR, userId: null, before: null, after: entry }),
    ]);
  });

  it("signs an entry with the name of the logged-in user who adds it without an author; through a token it stays unsigned", async () => {
    const bySession = await call(server, "POST", `/api/incidents/${incident.id}/timeline`, { occurredAt: "4:51 PM", text: "Signed" }, { as: "editor" });
    expect(bySession.status).toBe(201);
    expect(bySession.body.author).toBe("Eve Editor");
    expect(readRow(server, "select author from timeline_entries where id = ?", bySession.body.id)).toEqual({ author: "Eve Editor" });
    expect(historyOf(server, "timeline_entry", bySession.body.id)).toEqual([
      expect.objectContaining({ change: "create", actor: "Eve Editor", userId: userId(server, "editor"), after: bySession.body }),
    ]);

    // A user may name someone else, and a blank author counts as none given.
    const named = await call(server, "POST", `/api/incidents/${incident.id}/timeline`, { occurredAt: "4:52 PM", text: "Told", author: "Dana" }, { as: "editor" });
    expect(named.body.author).toBe("Dana");
    const blank = await call(server, "POST", `/api/incidents/${incident.id}/timeline`, { occurredAt: "4:53 PM", text: "Blank", author: "  " }, { as: "admin" });
    expect(blank.body.author).toBe("Ada Admin");

    // A token is not a person: its entries are unsigned, though History still names the token.
    const byToken = await createEntry(server, incident.id, { occurredAt: "4:54 PM", text: "Unsigned" });
    expect(byToken.author).toBeNull();
    expect(readRow(server, "select author from timeline_entries where id = ?", byToken.id)).toEqual({ author: null });
    expect(historyOf(server, "timeline_entry", byToken.id)[0]).toMatchObject({ change: "create", actor: WRITE_TOKEN_ACTOR, userId: null });

    // Editing an entry does not re-sign it.
    const edited = await call(server, "PATCH", `/api/timeline/${byToken.id}`, { text: "Still unsigned" }, { as: "editor" });
    expect(edited.status).toBe(200);
    expect(edited.body.author).toBeNull();
  });

  it("reads ISO instants in any offset and answers them in the incident's zone, kind defaulting to note", async () => {
    const entry = await createEntry(server, incident.id, { occurredAt: "2024-06-09T10:15:00-04:00" });
    expect(entry.occurredAt).toBe("2024-06-09T17:15:00+03:00");
    expect(entry.kind).toBe("note");
    expect(entry.author).toBeNull();
  });

  it("lists entries by time; entries at the same instant keep the order they were added in", async () => {
    const host = await createIncident(server, { timeZone: "GMT+3", startedAt: "2024-06-09T13:20:00Z" });
    const first = await createEntry(server, host.id, { occurredAt: "5:00 PM", text: "first at five" });
    const later = await createEntry(server, host.id, { occurredAt: "6:00 PM", text: "at six" });
    const second = await createEntry(server, host.id, { occurredAt: "2024-06-09T14:00:00Z", text: "second at five" });
    const earliest = await createEntry(server, host.id, { occurredAt: "4:30 PM", text: "half past four" });
    const third = await createEntry(server, host.id, { occurredAt: "17:00", text: "third at five" });

    const expected = [earliest.id, first.id, second.id, third.id, later.id];
    const listed = await call(server, "GET", `/api/incidents/${host.id}/timeline`);
    expect(listed.status).toBe(200);
    expect(Object.keys(listed.body)).toEqual(["timeline"]);
    expect(ids(listed.body.timeline)).toEqual(expected);
    expect(listed.body.timeline.map((entry: { text: string }) => entry.text)).toEqual([
      "half past four",
      "first at five",
      "second at five",
      "third at five",
      "at six",
    ]);
    expect(ids((await call(server, "GET", `/api/incidents/${host.id}`)).body.timeline)).toEqual(expected);
  });

  it("uses the offset in force on each entry's date in a DST zone", async () => {
    const host = await createIncident(server, { timeZone: "America/New_York", startedAt: "2024-03-09 22:00" });
    expect(host.startedAt).toBe("2024-03-09T22:00:00-05:00");
    const before = await createEntry(server, host.id, { occurredAt: "11:30 PM" });
    const after = await createEntry(server, host.id, { occurredAt: "2024-03-10 03:30" });
    expect(before.occurredAt).toBe("2024-03-09T23:30:00-05:00");
    expect(after.occurredAt).toBe("2024-03-10T03:30:00-04:00");
  });

  it("refuses a bare time when the incident has no start to date it by", async () => {
    const host = await createIncident(server, {});
    const response = await call(server, "POST", `/api/incidents/${host.id}/timeline`, { occurredAt: "4:50 PM", text: "x" });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toEqual(["occurredAt"]);
    expect((await call(server, "GET", `/api/incidents/${host.id}/timeline`)).body.timeline).toEqual([]);
  });

  it("PATCH changes only the fields sent, and moves the entry when its time changes", async () => {
    const host = await createIncident(server, { timeZone: "GMT+3", startedAt: "2024-06-09T13:20:00Z" });
    const moving = await createEntry(server, host.id, { occurredAt: "4:40 PM", text: "Rolled back", kind: "action", author: "Sam" });
    const staying = await createEntry(server, host.id, { occurredAt: "4:45 PM", text: "Checked graphs" });

    const text = await call(server, "PATCH", `/api/timeline/${moving.id}`, { text: "Rolled back release 42" });
    expect(text.status).toBe(200);
    expect(text.body).toEqual({ ...moving, text: "Rolled back release 42", version: 2 });

    const time = await call(server, "PATCH", `/api/timeline/${moving.id}`, { occurredAt: "5:10 PM" });
    expect(time.status).toBe(200);
    expect(time.body).toEqual({ ...moving, text: "Rolled back release 42", occurredAt: "2024-06-09T17:10:00+03:00", version: 3 });
    expect((await call(server, "GET", `/api/timeline/${moving.id}`)).body).toEqual(time.body);
    expect(ids((await call(server, "GET", `/api/incidents/${host.id}/timeline`)).body.timeline)).toEqual([staying.id, moving.id]);

    const changes = historyOf(server, "timeline_entry", moving.id);
    expect(changes.map((row) => [row.change, row.before, row.after])).toEqual([
      ["create", null, moving],
      ["update", moving, text.body],
      ["update", text.body, time.body],
    ]);
    // Changing an entry leaves the incident's own version alone: it is not an edit of the incident's fields.
    expect((await call(server, "GET", `/api/incidents/${host.id}`)).body.version).toBe(host.version);
  });

  it("DELETE answers 204 and soft-deletes only that entry; an editor restores it from History", async () => {
    const host = await createIncident(server, { timeZone: "GMT+3", startedAt: "2024-06-09T13:20:00Z" });
    const gone = await createEntry(server, host.id, { occurredAt: "4:40 PM", text: "Deleted, then restored" });
    const kept = await createEntry(server, host.id, { occurredAt: "4:41 PM" });
    const rowsBefore = countRows(server);
    const liveBefore = countLiveRows(server);

    const response = await call(server, "DELETE", `/api/timeline/${gone.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect((await call(server, "GET", `/api/timeline/${gone.id}`)).status).toBe(404);
    expect(ids((await call(server, "GET", `/api/incidents/${host.id}/timeline`)).body.timeline)).toEqual([kept.id]);
    expect(ids((await call(server, "GET", `/api/incidents/${host.id}`)).body.timeline)).toEqual([kept.id]);

    expect(readRow(server, "select deleted_at, text from timeline_entries where id = ?", gone.id)).toEqual({
      deleted_at: expect.any(Number),
      text: "Deleted, then restored",
    });
    expect(readRow(server, "select deleted_at from timeline_entries where id = ?", kept.id)).toEqual({ deleted_at: null });
    expect(countRows(server)).toEqual({ ...rowsBefore, history: rowsBefore.history + 1 });
    expect(countLiveRows(server)).toEqual({ ...liveBefore, timeline_entries: liveBefore.timeline_entries - 1 });
    expect(historyOf(server, "timeline_entry", gone.id).at(-1)).toMatchObject({ change: "delete", actor: WRITE_TOKEN_ACTOR, before: gone, after: null });

    // Deleting or changing it again is a 404 and writes nothing.
    expect((await call(server, "DELETE", `/api/timeline/${gone.id}`)).status).toBe(404);
    expect((await call(server, "PATCH", `/api/timeline/${gone.id}`, { text: "x" })).status).toBe(404);
    expect(countRows(server)).toEqual({ ...rowsBefore, history: rowsBefore.history + 1 });

    // A viewer cannot restore it; an editor can, from the incident's History page.
    const restore = { intent: "restore-entry", recordId: String(gone.id) };
    expect((await postForm(server, `/incidents/${host.id}/history`, restore, "viewer")).status).toBe(403);
    const restored = await postForm(server, `/incidents/${host.id}/history`, restore, "editor");
    expect(restored.status).toBe(302);
    const back = await call(server, "GET", `/api/timeline/${gone.id}`);
    expect(back.status).toBe(200);
    expect(back.body).toEqual({ ...gone, version: gone.version + 2 });
    expect(ids((await call(server, "GET", `/api/incidents/${host.id}/timeline`)).body.timeline)).toEqual([gone.id, kept.id]);
    expect(countRows(server)).toEqual({ ...rowsBefore, history: rowsBefore.history + 2 });
    expect(countLiveRows(server)).toEqual(liveBefore);
    // History's "after" is the entry as restored, as it is for a restored incident.
    expect(historyOf(server, "timeline_entry", gone.id).at(-1)).toMatchObject({ change: "restore", actor: "Eve Editor", before: null, after: back.body });
  });
});

describe("corrective actions", () => {
  let incident: any;

  beforeAll(async () => {
    incident = await createIncident(server, { title: "Action host", startedAt: "2024-06-09T13:20:00Z" });
  });

  it("creates an action with defaults for the fields left out", async () => {
    const response = await call(server, "POST", `/api/incidents/${incident.id}/actions`, { title: "Alert on replication lag" });
    expect(response.status).toBe(201);
    const action = response.body;
    expect(response.headers.get("location")).toBe(`/api/actions/${action.id}`);
    expect(Object.keys(action).sort()).toEqual(ACTION_KEYS);
    expect(action).toEqual({
      id: action.id,
      incidentId: incident.id,
      title: "Alert on replication lag",
      details: "",
      type: "prevent",
      owner: null,
      dueDate: null,
      priority: "P2",
      status: "open",
      trackerUrl: null,
      completedAt: null,
      version: 1,
    });
    expect((await call(server, "GET", `/api/actions/${action.id}`)).body).toEqual(action);
    expect(historyOf(server, "action", action.id)).toEqual([
      expect.objectContaining({ incidentId: incident.id, change: "create", actor: WRITE_TOKEN_ACTOR, userId: null, before: null, after: action }),
    ]);
  });

  it("keeps every field sent", async () => {
    const action = await createAction(server, incident.id, {
      title: "Add a runbook",
      details: "Cover the failover",
      type: "process",
      owner: "Dana",
      dueDate: "2024-02-29",
      priority: "P1",
      status: "in_progress",
      trackerUrl: "https://tracker.example.com/OPS-42",
    });
    expect(action).toMatchObject({
      details: "Cover the failover",
      type: "process",
      owner: "Dana",
      dueDate: "2024-02-29",
      priority: "P1",
      status: "in_progress",
      trackerUrl: "https://tracker.example.com/OPS-42",
      completedAt: null,
    });
  });

  it("done sets completedAt, a later edit keeps it, reopening clears it", async () => {
    const action = await createAction(server, incident.id, { title: "Finish me" });
    const earliest = Math.floor(Date.now() / 1000) * 1000;
    const done = await call(server, "PATCH", `/api/actions/${action.id}`, { status: "done" });
    const latest = Date.now();
    expect(done.status).toBe(200);
    expect(done.body.status).toBe("done");
    expect(done.body.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    const completed = Date.parse(done.body.completedAt);
    expect(completed).toBeGreaterThanOrEqual(earliest);
    expect(completed).toBeLessThanOrEqual(latest);

    const edited = await call(server, "PATCH", `/api/actions/${action.id}`, { title: "Finished" });
    expect(edited.body.completedAt).toBe(done.body.completedAt);

    const reopened = await call(server, "PATCH", `/api/actions/${action.id}`, { status: "open" });
    expect(reopened.status).toBe(200);
    expect(reopened.body.completedAt).toBeNull();
    expect(readRow(server, "select completed_at from corrective_actions where id = ?", action.id)).toEqual({ completed_at: null });

    const createdDone = await createAction(server, incident.id, { title: "Already done", status: "done" });
    expect(createdDone.completedAt).toMatch(/\+00:00$/);
  });

  it("PATCH changes only the fields sent and ignores read-only ones", async () => {
    const action = await createAction(server, incident.id, { title: "Patch action", owner: "Sam", dueDate: "2030-01-31", type: "detect" });
    const response = await call(server, "PATCH", `/api/actions/${action.id}`, { priority: "P3", incidentId: 999999, id: 5 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...action, priority: "P3", version: 2 });
    expect((await call(server, "GET", `/api/actions/${action.id}`)).body).toEqual(response.body);
    expect(historyOf(server, "action", action.id).at(-1)).toMatchObject({ change: "update", actor: WRITE_TOKEN_ACTOR, before: action, after: response.body });
  });

  it("lists an incident's actions in the order they were added", async () => {
    const host = await createIncident(server, {});
    const a = await createAction(server, host.id, { title: "A", dueDate: "2030-05-01" });
    const b = await createAction(server, host.id, { title: "B", dueDate: "2030-01-01" });
    const listed = await call(server, "GET", `/api/incidents/${host.id}/actions`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ actions: [a, b] });
    expect((await call(server, "GET", `/api/incidents/${host.id}`)).body.actions).toEqual([a, b]);
  });

  it("DELETE answers 204 and soft-deletes the action; an editor restores it from History", async () => {
    const host = await createIncident(server, {});
    const action = await createAction(server, host.id, { title: "Delete me", owner: "Soft" });
    const kept = await createAction(server, host.id, { title: "Keep me", owner: "Soft" });
    const rowsBefore = countRows(server);
    const liveBefore = countLiveRows(server);

    const response = await call(server, "DELETE", `/api/actions/${action.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect((await call(server, "GET", `/api/actions/${action.id}`)).status).toBe(404);
    expect(ids((await call(server, "GET", `/api/incidents/${host.id}/actions`)).body.actions)).toEqual([kept.id]);
    expect(ids((await call(server, "GET", "/api/actions?owner=Soft")).body.actions)).toEqual([kept.id]);

    expect(readRow(server, "select deleted_at, title from corrective_actions where id = ?", action.id)).toEqual({ deleted_at: expect.any(Number), title: "Delete me" });
    expect(countRows(server)).toEqual({ ...rowsBefore, history: rowsBefore.history + 1 });
    expect(countLiveRows(server)).toEqual({ ...liveBefore, corrective_actions: liveBefore.corrective_actions - 1 });
    expect(historyOf(server, "action", action.id).at(-1)).toMatchObject({ change: "delete", actor: WRITE_TOKEN_ACTOR, before: action, after: null });

    expect((await call(server, "DELETE", `/api/actions/${action.id}`)).status).toBe(404);
    expect((await call(server, "PATCH", `/api/actions/${action.id}`, { title: "x" })).status).toBe(404);
    expect(countRows(server)).toEqual({ ...rowsBefore, history: rowsBefore.history + 1 });

    const restored = await postForm(server, `/incidents/${host.id}/history`, { intent: "restore-action", recordId: String(action.id) }, "editor");
    expect(restored.status).toBe(302);
    const back = await call(server, "GET", `/api/actions/${action.id}`);
    expect(back.body).toEqual({ ...action, version: action.version + 2 });
    expect(ids((await call(server, "GET", "/api/actions?owner=Soft&sort=created")).body.actions)).toEqual([action.id, kept.id]);
    expect(countRows(server)).toEqual({ ...rowsBefore, history: rowsBefore.history + 2 });
    expect(countLiveRows(server)).toEqual(liveBefore);
    // History's "after" is the action as restored, as it is for a restored incident.
    expect(historyOf(server, "action", action.id).at(-1)).toMatchObject({ change: "restore", actor: "Eve Editor", before: null, after: back.body });
  });
});

describe("GET /api/actions", () => {
  let pastOpen: any, pastInProgress: any, pastDone: any, pastWontDo: any, futureOpen: any, undated: any, otherOwner: any;

  beforeAll(async () => {
    const first = await createIncident(server, { title: "Tracker first" });
    const second = await createIncident(server, { title: "Tracker second" });
    pastOpen = await createAction(server, first.id, { title: "past open", owner: "Ovid", dueDate: "2020-01-01", type: "detect" });
    pastInProgress = await createAction(server, second.id, { title: "past in progress", owner: "ovid", dueDate: "2021-06-30", status: "in_progress" });
    pastDone = await createAction(server, first.id, { title: "past done", owner: "Ovid", dueDate: "2019-01-01", status: "done" });
    pastWontDo = await createAction(server, first.id, { title: "past won't do", owner: "Ovid", dueDate: "2019-02-01", status: "wont_do" });
    futureOpen = await createAction(server, second.id, { title: "future open", owner: "Ovid", dueDate: "2099-12-31", type: "detect" });
    undated = await createAction(server, first.id, { title: "undated", owner: "OVID" });
    otherOwner = await createAction(server, first.id, { title: "someone else's", owner: "Virgil", dueDate: "2020-01-01" });
  });

  it("lists every action across incidents with its incident's title, by due date, undated last", async () => {
    const response = await call(server, "GET", "/api/actions?owner=Ovid");
    expect(response.status).toBe(200);
    expect(ids(response.body.actions)).toEqual([pastDone.id, pastWontDo.id, pastOpen.id, pastInProgress.id, futureOpen.id, undated.id]);
    const first = response.body.actions.find((action: { id: number }) => action.id === pastOpen.id);
    expect(first).toEqual({ ...pastOpen, incidentTitle: "Tracker first" });
    expect(response.body.actions.find((action: { id: number }) => action.id === futureOpen.id).incidentTitle).toBe("Tracker second");
  });

  it("overdue=true: due before today and still open or in progress; done is never overdue", async () => {
    const response = await call(server, "GET", "/api/actions?overdue=true&owner=ovid");
    expect(response.status).toBe(200);
    expect(ids(response.body.actions)).toEqual([pastOpen.id, pastInProgress.id]);

    const everyone = ids((await call(server, "GET", "/api/actions?overdue=true")).body.actions);
    expect(everyone).toContain(otherOwner.id);
    for (const notOverdue of [pastDone, pastWontDo, futureOpen, undated]) expect(everyone).not.toContain(notOverdue.id);

    const all = ids((await call(server, "GET", "/api/actions?overdue=false&owner=ovid")).body.actions);
    expect(all).toHaveLength(6);
  });

  it("a finished overdue action leaves the overdue list, and comes back when reopened", async () => {
    const action = await createAction(server, (await createIncident(server, {})).id, { title: "late", owner: "Horace", dueDate: "2020-03-01" });
    const overdue = async () => ids((await call(server, "GET", "/api/actions?overdue=true&owner=Horace")).body.actions);
    expect(await overdue()).toEqual([action.id]);
    await call(server, "PATCH", `/api/actions/${action.id}`, { status: "done" });
    expect(await overdue()).toEqual([]);
    await call(server, "PATCH", `/api/actions/${action.id}`, { status: "in_progress" });
    expect(await overdue()).toEqual([action.id]);
  });

  it("an action is overdue from the day after its due date, by the server's calendar", async () => {
    const host = await createIncident(server, {});
    // Retried once should the server's date turn over between creating and listing.
    for (let attempt = 0; ; attempt++) {
      const owner = `Catullus-${attempt}`;
      const { today, yesterday } = serverDates();
      const dueToday = await createAction(server, host.id, { title: "due today", owner, dueDate: today });
      const dueYesterday = await createAction(server, host.id, { title: "due yesterday", owner, dueDate: yesterday });
      const listed = ids((await call(server, "GET", `/api/actions?overdue=true&owner=${owner}`)).body.actions);
      if (serverDates().today !== today && attempt === 0) continue;
      expect(listed).toEqual([dueYesterday.id]);
      expect(listed).not.toContain(dueToday.id);
      break;
    }
  });

  it("sorts by due date either way, or by when actions were added", async () => {
    const sorted = async (sort: string) => ids((await call(server, "GET", `/api/actions?owner=Ovid&sort=${sort}`)).body.actions);
    expect(await sorted("due")).toEqual([pastDone.id, pastWontDo.id, pastOpen.id, pastInProgress.id, futureOpen.id, undated.id]);
    expect(await sorted("due_desc")).toEqual([futureOpen.id, pastInProgress.id, pastOpen.id, pastWontDo.id, pastDone.id, undated.id]);
    expect(await sorted("created")).toEqual([pastOpen.id, pastInProgress.id, pastDone.id, pastWontDo.id, futureOpen.id, undated.id]);
  });

  it("filters by status, owner and type", async () => {
    expect(ids((await call(server, "GET", "/api/actions?status=done&owner=Ovid")).body.actions)).toEqual([pastDone.id]);
    expect(ids((await call(server, "GET", "/api/actions?type=detect&owner=Ovid")).body.actions)).toEqual([pastOpen.id, futureOpen.id]);
    expect(ids((await call(server, "GET", "/api/actions?owner=virgil")).body.actions)).toEqual([otherOwner.id]);
    expect(ids((await call(server, "GET", "/api/actions?status=open&type=detect&owner=ovid&overdue=true")).body.actions)).toEqual([pastOpen.id]);
    for (const action of (await call(server, "GET", "/api/actions?status=in_progress")).body.actions) {
      expect(action.status).toBe("in_progress");
    }
  });

  it("answers 400 naming the filter for values it cannot use", async () => {
    for (const [query, field] of [
      ["status=closed", "status"],
      ["type=fix", "type"],
      ["overdue=yes", "overdue"],
      ["sort=owner", "sort"],
    ]) {
      const response = await call(server, "GET", `/api/actions?${query}`);
      expect(response.status, query).toBe(400);
      expect(Object.keys(response.body.errors), query).toEqual([field]);
      expect(typeof response.body.errors[field]).toBe("string");
    }
  });
});

describe("unknown ids and wrong methods", () => {
  for (const id of ["999999", "abc"]) {
    it(`answers 404 for timeline entries and actions under /${id}`, async () => {
      const before = countRows(server);
      const cases: [string, string, unknown, string][] = [
        ["GET", `/api/incidents/${id}/timeline`, undefined, "Incident not found"],
        ["POST", `/api/incidents/${id}/timeline`, { occurredAt: "2024-06-09T13:20:00Z", text: "x" }, "Incident not found"],
        ["GET", `/api/incidents/${id}/actions`, undefined, "Incident not found"],
        ["POST", `/api/incidents/${id}/actions`, { title: "x" }, "Incident not found"],
        ["GET", `/api/timeline/${id}`, undefined, "Timeline entry not found"],
        ["PATCH", `/api/timeline/${id}`, { text: "x" }, "Timeline entry not found"],
        ["DELETE", `/api/timeline/${id}`, undefined, "Timeline entry not found"],
        ["GET", `/api/actions/${id}`, undefined, "Corrective action not found"],
        ["PATCH", `/api/actions/${id}`, { title: "x" }, "Corrective action not found"],
        ["DELETE", `/api/actions/${id}`, undefined, "Corrective action not found"],
      ];
      for (const [method, path, body, error] of cases) {
        const response = await call(server, method, path, body);
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.body, `${method} ${path}`).toEqual({ error });
      }
      expect(countRows(server)).toEqual(before);
    });
  }

  it("answers 405 with Allow for methods the timeline and action routes do not take", async () => {
    const host = await createIncident(server, { startedAt: "2024-06-09T13:20:00Z" });
    const entry = await createEntry(server, host.id, { occurredAt: "2024-06-09T13:30:00Z" });
    const action = await createAction(server, host.id, {});
    for (const [method, path, allow] of [
      ["PUT", `/api/timeline/${entry.id}`, "GET, PATCH, DELETE"],
      ["POST", `/api/timeline/${entry.id}`, "GET, PATCH, DELETE"],
      ["PUT", `/api/actions/${action.id}`, "GET, PATCH, DELETE"],
      ["DELETE", `/api/incidents/${host.id}/timeline`, "GET, POST"],
      ["PATCH", `/api/incidents/${host.id}/actions`, "GET, POST"],
    ]) {
      const response = await call(server, method, path, method === "DELETE" ? undefined : { title: "x", text: "x" });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(response.body.error).toMatch(/method not allowed/i);
    }
    expect((await call(server, "GET", `/api/timeline/${entry.id}`)).body).toEqual(entry);
    expect((await call(server, "GET", `/api/actions/${action.id}`)).body).toEqual(action);
  });

  it("answers 405 to POST /api/actions (actions are created under their incident)", async () => {
    const before = countRows(server);
    const response = await call(server, "POST", "/api/actions", { title: "x" });
    expect(response.status).toBe(405);
    expect(countRows(server)).toEqual(before);
  });

  it("says which methods /api/actions takes when refusing one, like every other API route", async () => {
    const response = await call(server, "POST", "/api/actions", { title: "x" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect(response.body).toEqual({ error: "Method not allowed; use GET" });
  });
});

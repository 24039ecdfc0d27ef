// Loaders and actions of the pages, called directly against a real SQLite file.
import { beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { correctiveActions, history, incidentServices, incidents, services, settings, timelineEntries } from "~/db/schema";
import { addAction, getAction, today } from "~/models/actions.server";
import { loadExampleOnFirstStart } from "~/models/example.server";
import { listHistory } from "~/models/history.server";
import { createIncident, getIncident, getIncidentWithDetails, restoreIncident } from "~/models/incidents.server";
import { addTimelineEntry, listTimeline } from "~/models/timeline.server";
import * as dashboard from "~/routes/_index";
import * as statusRoute from "~/routes/actions.$id.status";
import * as tracker from "~/routes/actions._index";
import * as incidentList from "~/routes/incidents._index";
import * as incidentLayout from "~/routes/incidents.$id";
import * as overview from "~/routes/incidents.$id._index";
import * as incidentActions from "~/routes/incidents.$id.actions";
import * as historyRoute from "~/routes/incidents.$id.history";
import * as markdownDownload from "~/routes/incidents.$id.postmortem[.md]";
import * as timeline from "~/routes/incidents.$id.timeline";
import * as newIncident from "~/routes/incidents.new";
import { validateIncident, type IncidentInput } from "~/lib/validation";
import { incidentVocabulary } from "~/models/categories.server";

import { TEST_AUTHOR, callLoader, postForm } from "../helpers/routes";

function input(overrides: Record<string, unknown> = {}): IncidentInput {
  const result = validateIncident({
    title: "Bookings failed",
    severity: "SEV1",
    status: "resolved",
    timeZone: "GMT+3",
    startedAt: "2024-06-09 16:20",
    resolvedAt: "17:10",
    impactPercent: 45,
    services: ["booking web app"],
    ...overrides,
  }, incidentVocabulary());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

function counts() {
  const db = getDb();
  return {
    incidents: db.select().from(incidents).all().length,
    timeline: db.select().from(timelineEntries).all().length,
    actions: db.select().from(correctiveActions).all().length,
  };
}

beforeEach(() => {
  const db = getDb();
  for (const table of [history, correctiveActions, timelineEntries, incidentServices, incidents, services, settings]) db.delete(table).run();
});

describe("new incident form", () => {
  it("creates the incident and sends the user to it", async () => {
    const response = await postForm(newIncident.action, "/incidents/new", {
      title: "Search down",
      severity: "SEV2",
      status: "investigating",
      timeZone: "UTC-5",
      startedAt: "2024-01-15 09:00",
      services: "search, api",
      summary: "Search returned 500s.",
    });
    expect(response.status).toBe(302);
    const id = Number(response.headers.get("Location")!.split("/").pop());
    const incident = getIncident(id)!;
    expect(incident).toMatchObject({ title: "Search down", timeZone: "UTC-5", services: ["search", "api"], summary: "Search returned 500s." });
    expect(new Date(incident.startedAt!).toISOString()).toBe("2024-01-15T14:00:00.000Z");
  });

  it("sends a rejected form back with every typed value and a message per field, writing nothing", async () => {
    const typed = { title: "Search down", severity: "SEV9", impactPercent: "150", startedAt: "2024-06-09 16:20", resolvedAt: "15:00", summary: "Long story…" };
    const response = await postForm(newIncident.action, "/incidents/new", typed);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.values).toEqual(typed);
    expect(Object.keys(body.errors).sort()).toEqual(["impactPercent", "resolvedAt", "severity"]);
    expect(counts().incidents).toBe(0);
  });
});

describe("incident page", () => {
  it("answers 404 for unknown and malformed ids", async () => {
    expect((await callLoader(incidentLayout.loader, "/incidents/999", { id: "999" })).status).toBe(404);
    expect((await callLoader(incidentLayout.loader, "/incidents/abc", { id: "abc" })).status).toBe(404);
    expect((await postForm(overview.action, "/incidents/999", { intent: "delete-incident" }, { id: "999" })).status).toBe(404);
  });

  it("edits one section in place and leaves the others alone", async () => {
    const incident = createIncident(input({ rootCause: "Pool size 5" }), TEST_AUTHOR);
    const response = await postForm(
      overview.action,
      `/incidents/${incident.id}`,
      { intent: "update-section", field: "summary", summary: "New **summary**", rootCause: "ignored" },
      { id: String(incident.id) },
    );
    expect(response.status).toBe(302);
    expect(getIncident(incident.id)).toMatchObject({ summary: "New **summary**", rootCause: "Pool size 5" });
    const page = await (await callLoader(overview.loader, `/incidents/${incident.id}`, { id: String(incident.id) })).json();
    expect(page.sections.find((section: { field: string }) => section.field === "summary").html).toContain("<strong>summary</strong>");
  });

  it("keeps a 2 MB summary out of the database and in the form", async () => {
    const incident = createIncident(input({ summary: "Before" }), TEST_AUTHOR);
    const huge = "x".repeat(2 * 1024 * 1024);
    const response = await postForm(overview.action, `/incidents/${incident.id}`, { intent: "update-section", field: "summary", summary: huge }, { id: String(incident.id) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.summary).toMatch(/too long/);
    expect(body.values.summary).toHaveLength(huge.length);
    expect(getIncident(incident.id)!.summary).toBe("Before");
  });

  it("refuses details whose resolution precedes the start and keeps the stored ones", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const before = getIncident(incident.id);
    const response = await postForm(
      overview.action,
      `/incidents/${incident.id}`,
      { intent: "update-details", title: "Renamed", severity: "SEV1", status: "resolved", timeZone: "GMT+3", startedAt: "2024-06-09 16:20", resolvedAt: "2024-06-09 15:00" },
      { id: String(incident.id) },
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual({ resolvedAt: "Resolution cannot be before the start" });
    expect(getIncident(incident.id)).toEqual(before);
  });

  it("shows times in the incident's zone with the delay since the start", async () => {
    const incident = createIncident(input({ detectedAt: "16:30" }), TEST_AUTHOR);
    const page = await (await callLoader(overview.loader, `/incidents/${incident.id}`, { id: String(incident.id) })).json();
    expect(page.facts).toContainEqual(["Detected", "9 June 2024, 4:30 PM GMT+3 (10m after the start)"]);
    expect(page.formValues.resolvedAt).toBe("2024-06-09 17:10");
  });

  it("deletes the incident softly: gone from every list, restorable with its timeline and actions", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    addTimelineEntry(incident.id, { occurredAt: incident.startedAt!, text: "Began", kind: "detection", author: null }, TEST_AUTHOR);
    addAction(incident.id, { title: "Alert", details: "", type: "detect", owner: null, dueDate: null, priority: "P1", status: "open", trackerUrl: null }, TEST_AUTHOR);
    const response = await postForm(overview.action, `/incidents/${incident.id}`, { intent: "delete-incident" }, { id: String(incident.id) });
    expect(response.headers.get("Location")).toBe("/incidents");
    expect((await callLoader(incidentLayout.loader, `/incidents/${incident.id}`, { id: String(incident.id) })).status).toBe(404);
    expect((await (await callLoader(incidentList.loader, "/incidents")).json()).incidents).toEqual([]);
    expect((await (await callLoader(tracker.loader, "/actions?status=all")).json()).actions).toEqual([]);

    expect(restoreIncident(incident.id, TEST_AUTHOR)).toBe(true);
    const restored = getIncidentWithDetails(incident.id)!;
    expect(restored.timeline.map((entry) => entry.text)).toEqual(["Began"]);
    expect(restored.actions.map((action) => action.title)).toEqual(["Alert"]);
    expect(listHistory(incident.id).map((row) => row.change).slice(0, 2)).toEqual(["restore", "delete"]);
  });
});

describe("saving one part of an incident leaves the rest exactly as stored", () => {
  it("keeps times in the hour repeated when clocks go back (Europe/London, 27 October 2024)", async () => {
    const incident = createIncident(input({ timeZone: "Europe/London", startedAt: "2024-10-27T01:10:00+01:00", resolvedAt: "2024-10-27T01:50:00+01:00" }), TEST_AUTHOR);
    const params = { id: String(incident.id) };
    await postForm(overview.action, "/", { intent: "update-section", field: "summary", summary: "x" }, params);
    const page = await (await callLoader(overview.loader, "/", params)).json();
    await postForm(overview.action, "/", { intent: "update-details", ...page.formValues, title: "Renamed" }, params);
    const saved = getIncident(incident.id)!;
    expect(saved.title).toBe("Renamed");
    expect(saved.startedAt).toBe(Date.parse("2024-10-27T00:10:00Z"));
    expect(saved.resolvedAt).toBe(Date.parse("2024-10-27T00:50:00Z"));
  });

  it("keeps every instant when only the display zone changes, so the timeline stays where it was", async () => {
    const incident = createIncident(input({ timeZone: "UTC", startedAt: "2024-06-09 10:00", resolvedAt: "10:30" }), TEST_AUTHOR);
    const params = { id: String(incident.id) };
    await postForm(timeline.action, "/", { intent: "add-entry", occurredAt: "10:05", text: "Alert fired" }, params);
    const page = await (await callLoader(overview.loader, "/", params)).json();
    expect((await postForm(overview.action, "/", { intent: "update-details", ...page.formValues, timeZone: "GMT+3" }, params)).status).toBe(302);
    expect(getIncident(incident.id)).toMatchObject({ timeZone: "GMT+3", startedAt: Date.parse("2024-06-09T10:00:00Z") });
    const entries = (await (await callLoader(timeline.loader, "/", params)).json()).entries;
    expect(entries.map((entry: Record<string, string>) => [entry.time, entry.since])).toEqual([["1:05 PM GMT+3", "+5m"]]);
  });

  it("keeps a service whose name has a comma whole", async () => {
    const incident = createIncident(input({ services: ["payments, EU", "checkout"] }), TEST_AUTHOR);
    await postForm(overview.action, "/", { intent: "update-section", field: "lessons", lessons: "Alert earlier" }, { id: String(incident.id) });
    expect(getIncident(incident.id)!.services).toEqual(["payments, EU", "checkout"]);
  });
});

describe("two people editing at once", () => {
  it("refuses the second save of the summary with who changed it and both versions, keeping the second text", async () => {
    const incident = createIncident(input({ summary: "Original" }), TEST_AUTHOR);
    const params = { id: String(incident.id) };
    const openedAt = String(incident.version);
    const first = await postForm(overview.action, "/", { intent: "update-section", field: "summary", summary: "Ana's summary", version: openedAt }, params, {
      kind: "user", userId: 2, name: "Ana", email: "ana@example.com", role: "editor",
    });
    expect(first.status).toBe(302);
    const second = await postForm(overview.action, "/", { intent: "update-section", field: "summary", summary: "Bo's summary", version: openedAt }, params);
    expect(second.status).toBe(409);
    const body = await second.json();
    expect(body.errors.summary).toMatch(/^Not saved: this was changed by Ana at \d+ \w+ \d{4}, \d+:\d\d [AP]M GMT\+3/);
    expect(body.conflict.theirs.summary).toBe("Ana's summary");
    expect(body.values.summary).toBe("Bo's summary");
    expect(getIncident(incident.id)!.summary).toBe("Ana's summary");

    // Having seen both, the second person saves over the newer version.
    const retry = await postForm(overview.action, "/", { intent: "update-section", field: "summary", summary: "Bo's summary", version: String(body.conflict.version) }, params);
    expect(retry.status).toBe(302);
    expect(getIncident(incident.id)!.summary).toBe("Bo's summary");
  });

  it("refuses a stale timeline entry edit and keeps the stored one", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const entry = addTimelineEntry(incident.id, { occurredAt: incident.startedAt!, text: "Began", kind: "detection", author: null }, TEST_AUTHOR)!;
    const params = { id: String(incident.id) };
    const fields = { intent: "edit-entry", entryId: String(entry.id), occurredAt: "16:20", kind: "note", version: String(entry.version) };
    expect((await postForm(timeline.action, "/", { ...fields, text: "First edit" }, params)).status).toBe(302);
    const stale = await postForm(timeline.action, "/", { ...fields, text: "Second edit" }, params);
    expect(stale.status).toBe(409);
    const body = await stale.json();
    expect(body.conflict.theirs).toContain("First edit");
    expect(body.values.text).toBe("Second edit");
    expect(listTimeline(incident.id)[0].text).toBe("First edit");
  });
});

describe("history", () => {
  it("records who changed which field, with before and after", async () => {
    const incident = createIncident(input({ rootCause: "Unknown" }), TEST_AUTHOR);
    await postForm(overview.action, "/", { intent: "update-section", field: "rootCause", rootCause: "Pool size 5 after the deploy" }, { id: String(incident.id) });
    const [update, create] = listHistory(incident.id);
    expect(create).toMatchObject({ change: "create", actor: "Eve Editor", entityType: "incident" });
    expect(update).toMatchObject({ change: "update", actor: "Eve Editor", userId: 1 });
    expect(update.before).toMatchObject({ rootCause: "Unknown" });
    expect(update.after).toMatchObject({ rootCause: "Pool size 5 after the deploy" });
    const page = await (await callLoader(historyRoute.loader, `/incidents/${incident.id}/history`, { id: String(incident.id) })).json();
    expect(page.entries[0].fields).toEqual([
      expect.objectContaining({ field: "rootCause", label: "Root cause", before: "Unknown", after: "Pool size 5 after the deploy" }),
    ]);
  });

  it("signs a timeline entry with the person who wrote it unless they name someone", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const params = { id: String(incident.id) };
    await postForm(timeline.action, "/", { intent: "add-entry", occurredAt: "16:30", text: "Paged the DBA" }, params);
    await postForm(timeline.action, "/", { intent: "add-entry", occurredAt: "16:31", text: "DBA joined", author: "Mahari" }, params);
    expect(listTimeline(incident.id).map((entry) => entry.author)).toEqual(["Eve Editor", "Mahari"]);
  });

  it("restores a deleted timeline entry from History", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const entry = addTimelineEntry(incident.id, { occurredAt: incident.startedAt!, text: "Began", kind: "detection", author: null }, TEST_AUTHOR)!;
    const params = { id: String(incident.id) };
    const deleted = await postForm(timeline.action, "/", { intent: "delete-entry", entryId: String(entry.id) }, params);
    expect(listTimeline(incident.id)).toEqual([]);
    // The page it returns to says so, and where to undo it.
    expect(deleted.headers.get("location")).toBe(`/incidents/${incident.id}/timeline?deleted=${entry.id}`);
    expect(await (await callLoader(timeline.loader, `/incidents/${incident.id}/timeline?deleted=${entry.id}`, params)).json()).toMatchObject({ deleted: true, entries: [] });
    const page = await (await callLoader(historyRoute.loader, "/", params)).json();
    expect(page.entries[0]).toMatchObject({ change: "deleted", restorable: true, label: "Began" });
    expect((await postForm(historyRoute.action, "/", { intent: "restore-entry", recordId: String(entry.id) }, params)).status).toBe(302);
    expect(listTimeline(incident.id).map((row) => row.text)).toEqual(["Began"]);
    expect((await postForm(historyRoute.action, "/", { intent: "restore-entry", recordId: String(entry.id) }, params)).status).toBe(404);
  });
});

describe("timeline editor", () => {
  it("reads 4:20 PM and 16:45 in the incident's zone on its date and shows date, zone and time since start", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const params = { id: String(incident.id) };
    for (const occurredAt of ["16:45", "4:20 PM"]) {
      const response = await postForm(timeline.action, `/incidents/${incident.id}/timeline`, { intent: "add-entry", occurredAt, text: `At ${occurredAt}`, kind: "action" }, params);
      expect(response.status).toBe(302);
    }
    const page = await (await callLoader(timeline.loader, `/incidents/${incident.id}/timeline`, params)).json();
    expect(page.entries.map((entry: Record<string, string>) => [entry.date, entry.time, entry.since, entry.text])).toEqual([
      ["9 June 2024", "4:20 PM GMT+3", "+0m", "At 4:20 PM"],
      ["9 June 2024", "4:45 PM GMT+3", "+25m", "At 16:45"],
    ]);
  });

  it("keeps entries at the same minute in the order they were added", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const params = { id: String(incident.id) };
    for (const text of ["first", "second", "third"]) {
      await postForm(timeline.action, "/", { intent: "add-entry", occurredAt: "16:20", text }, params);
    }
    expect(listTimeline(incident.id).map((entry) => entry.text)).toEqual(["first", "second", "third"]);
  });

  it("returns an unreadable time with the typed text and writes nothing", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const response = await postForm(timeline.action, "/", { intent: "add-entry", occurredAt: "half past four", text: "Paged the DBA" }, { id: String(incident.id) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors.occurredAt).toMatch(/Could not read "half past four"/);
    expect(body.values.text).toBe("Paged the DBA");
    expect(counts().timeline).toBe(0);
  });

  it("edits and deletes entries, and refuses an entry of another incident", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const other = createIncident(input({ title: "Other" }), TEST_AUTHOR);
    const entry = addTimelineEntry(incident.id, { occurredAt: incident.startedAt!, text: "Began", kind: "detection", author: null }, TEST_AUTHOR)!;
    const params = { id: String(incident.id) };
    await postForm(timeline.action, "/", { intent: "edit-entry", entryId: String(entry.id), occurredAt: "2024-06-10 01:00", text: "Began (edited)", kind: "note", author: "Ana" }, params);
    expect(listTimeline(incident.id)[0]).toMatchObject({ text: "Began (edited)", author: "Ana", occurredAt: Date.parse("2024-06-09T22:00:00Z") });
    const foreign = await postForm(timeline.action, "/", { intent: "delete-entry", entryId: String(entry.id) }, { id: String(other.id) });
    expect(foreign.status).toBe(404);
    await postForm(timeline.action, "/", { intent: "delete-entry", entryId: String(entry.id) }, params);
    expect(listTimeline(incident.id)).toEqual([]);
  });
});

describe("corrective actions", () => {
  const action = { title: "Alert on pool exhaustion", type: "detect", owner: "Ana", dueDate: "2024-07-01", priority: "P1", status: "open", details: "", trackerUrl: "" };

  it("adds, edits and completes an action; completion time follows the status", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const params = { id: String(incident.id) };
    expect((await postForm(incidentActions.action, "/", { intent: "add-action", ...action }, params)).status).toBe(302);
    const [created] = getIncidentWithDetails(incident.id)!.actions;
    expect(created).toMatchObject({ owner: "Ana", dueDate: "2024-07-01", completedAt: null });

    const done = await postForm(statusRoute.action, `/actions/${created.id}/status`, { status: "done", redirectTo: `/incidents/${incident.id}/actions` }, { id: String(created.id) });
    expect(done.headers.get("Location")).toBe(`/incidents/${incident.id}/actions`);
    expect(getAction(created.id)!.completedAt).toEqual(expect.any(Number));

    await postForm(incidentActions.action, "/", { intent: "edit-action", actionId: String(created.id), ...action, status: "in_progress", owner: "Bo" }, params);
    expect(getAction(created.id)).toMatchObject({ owner: "Bo", status: "in_progress", completedAt: null });
  });

  it("answers a script's status change with data, so the page neither navigates nor scrolls", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const created = addAction(incident.id, { ...action, type: "detect", priority: "P1", status: "open", trackerUrl: null }, TEST_AUTHOR)!;
    const response = await postForm(statusRoute.action, `/actions/${created.id}/status`, { status: "in_progress", redirectTo: "/actions", respond: "data" }, { id: String(created.id) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, status: "in_progress" });
  });

  it("tells a script that the action was deleted meanwhile, instead of failing the page", async () => {
    const response = await postForm(statusRoute.action, "/actions/999/status", { status: "done", respond: "data" }, { id: "999" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, errors: { status: "this action was deleted by someone else; reload the page" } });
  });

  it("never redirects a status change off the site", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const created = addAction(incident.id, { ...action, type: "detect", priority: "P1", status: "open", trackerUrl: null }, TEST_AUTHOR)!;
    for (const redirectTo of ["//evil.example", "https://evil.example/", "/\\evil.example"]) {
      const response = await postForm(statusRoute.action, `/actions/${created.id}/status`, { status: "done", redirectTo }, { id: String(created.id) });
      expect(response.headers.get("Location")).toBe("/actions");
    }
  });

  it("refuses a bad status change with 400 and an unknown action with 404", async () => {
    expect((await postForm(statusRoute.action, "/actions/1/status", { status: "finished" }, { id: "1" })).status).toBe(400);
    expect((await postForm(statusRoute.action, "/actions/999/status", { status: "done" }, { id: "999" })).status).toBe(404);
  });

  it("keeps a rejected action form's text", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    const response = await postForm(incidentActions.action, "/", { intent: "add-action", ...action, dueDate: "2024-02-30" }, { id: String(incident.id) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.errors).toEqual({ dueDate: "Use a date such as 2024-06-30" });
    expect(body.values.title).toBe(action.title);
    expect(counts().actions).toBe(0);
  });
});

describe("tracker and dashboard", () => {
  function seedActions() {
    const first = createIncident(input({ title: "Older", startedAt: "2024-01-01 10:00", resolvedAt: "11:00" }), TEST_AUTHOR);
    const second = createIncident(input({ title: "Open one", status: "investigating", startedAt: "2024-06-01 10:00", resolvedAt: null }), TEST_AUTHOR);
    const base = { details: "", type: "detect" as const, priority: "P2" as const, trackerUrl: null };
    const now = today();
    const shift = (days: number) => new Date(Date.parse(`${now}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    addAction(first.id, { ...base, title: "Overdue by two", owner: "Ana", dueDate: shift(-2), status: "open" }, TEST_AUTHOR);
    addAction(first.id, { ...base, title: "Done late", owner: "Ana", dueDate: shift(-5), status: "done" }, TEST_AUTHOR);
    addAction(second.id, { ...base, title: "Due in three", owner: "Bo", dueDate: shift(3), status: "in_progress", type: "process" }, TEST_AUTHOR);
    addAction(second.id, { ...base, title: "Undated", owner: null, dueDate: null, status: "open" }, TEST_AUTHOR);
    addAction(second.id, { ...base, title: "Due in thirty", owner: "Bo", dueDate: shift(30), status: "open" }, TEST_AUTHOR);
  }

  it("shows what still needs doing by default: open and in-progress actions", async () => {
    seedActions();
    const page = await (await callLoader(tracker.loader, "/actions")).json();
    expect(page.actions.map((action: { title: string }) => action.title)).toEqual(["Overdue by two", "Due in three", "Due in thirty", "Undated"]);
  });

  it("lists every action by due date with undated ones last, and marks the overdue", async () => {
    seedActions();
    const page = await (await callLoader(tracker.loader, "/actions?status=all")).json();
    expect(page.actions.map((action: { title: string }) => action.title)).toEqual(["Done late", "Overdue by two", "Due in three", "Due in thirty", "Undated"]);
    expect(page.actions.find((action: { title: string }) => action.title === "Overdue by two").overdueDays).toBe(2);
    expect(page.actions.find((action: { title: string }) => action.title === "Done late").overdueDays).toBeNull();
  });

  it("filters by overdue, owner, type and status", async () => {
    seedActions();
    const titles = async (query: string) =>
      (await (await callLoader(tracker.loader, `/actions?${query}`)).json()).actions.map((action: { title: string }) => action.title);
    expect(await titles("overdue=true")).toEqual(["Overdue by two"]);
    expect(await titles("owner=bo")).toEqual(["Due in three", "Due in thirty"]);
    expect(await titles("type=process")).toEqual(["Due in three"]);
    expect(await titles("status=done")).toEqual(["Done late"]);
    expect(await titles("status=all&sort=due_desc")).toEqual(["Due in thirty", "Due in three", "Overdue by two", "Done late", "Undated"]);
  });

  it("counts an action due today as due soon, not overdue", async () => {
    const incident = createIncident(input(), TEST_AUTHOR);
    addAction(incident.id, { title: "Due today", details: "", type: "detect", owner: "Ana", dueDate: today(), priority: "P1", status: "open", trackerUrl: null }, TEST_AUTHOR);
    const page = await (await callLoader(dashboard.loader, "/")).json();
    expect(page.overdue).toEqual([]);
    expect(page.dueSoon.map((action: { title: string }) => action.title)).toEqual(["Due today"]);
    expect((await (await callLoader(tracker.loader, "/actions?overdue=true")).json()).actions).toEqual([]);
    const [row] = (await (await callLoader(tracker.loader, "/actions")).json()).actions;
    expect(row).toMatchObject({ title: "Due today", overdueDays: null });
  });

  it("shows open incidents, overdue and due-soon actions, and recent postmortems on the dashboard", async () => {
    seedActions();
    const page = await (await callLoader(dashboard.loader, "/")).json();
    expect(page.open.map((incident: { title: string }) => incident.title)).toEqual(["Open one"]);
    expect(page.overdue.map((action: { title: string }) => action.title)).toEqual(["Overdue by two"]);
    expect(page.dueSoon.map((action: { title: string }) => action.title)).toEqual(["Due in three"]);
    expect(page.recent.map((incident: { title: string }) => incident.title)).toEqual(["Older"]);
    // "Overdue by two" has an owner and a date; "Undated" has neither and is open, so it must not be forgotten.
    expect(page.uncommitted.map((action: { title: string }) => action.title)).toEqual(["Undated"]);
  });
});

describe("incident list", () => {
  it("lists newest first and filters by status, severity, service, title and date range", async () => {
    createIncident(input({ title: "January DB outage", startedAt: "2024-01-10 10:00", resolvedAt: null, severity: "SEV2", services: ["database"] }), TEST_AUTHOR);
    createIncident(input({ title: "June booking outage", startedAt: "2024-06-09 16:20", status: "closed", services: ["booking web app"] }), TEST_AUTHOR);
    createIncident(input({ title: "March search blip", startedAt: "2024-03-01 08:00", resolvedAt: null, severity: "SEV4", services: ["search", "database"] }), TEST_AUTHOR);
    const titles = async (query = "") =>
      (await (await callLoader(incidentList.loader, `/incidents?${query}`)).json()).incidents.map((incident: { title: string }) => incident.title);
    expect(await titles()).toEqual(["June booking outage", "March search blip", "January DB outage"]);
    expect(await titles("status=closed")).toEqual(["June booking outage"]);
    expect(await titles("severity=SEV4")).toEqual(["March search blip"]);
    expect(await titles("service=DATABASE")).toEqual(["March search blip", "January DB outage"]);
    expect(await titles("q=outage")).toEqual(["June booking outage", "January DB outage"]);
    expect(await titles("q=100%25")).toEqual([]);
    expect(await titles("from=2024-03-01&to=2024-06-08")).toEqual(["March search blip"]);
    expect(await titles("to=2024-06-09")).toEqual(["June booking outage", "March search blip", "January DB outage"]);
  });

  it("shows start, duration and impact of each incident", async () => {
    createIncident(input(), TEST_AUTHOR);
    const [row] = (await (await callLoader(incidentList.loader, "/incidents")).json()).incidents;
    expect(row).toMatchObject({ started: "9 June 2024, 4:20 PM GMT+3", duration: "50m", impact: "45% of users" });
  });
});

describe("Markdown download", () => {
  it("serves the postmortem as text/markdown with a file name", async () => {
    const incident = createIncident(input({ title: "Bookings failed: pool / DB" }), TEST_AUTHOR);
    const response = await callLoader(markdownDownload.loader, `/incidents/${incident.id}/postmortem.md`, { id: String(incident.id) });
    expect(response.headers.get("Content-Type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="incident-${incident.id}-bookings-failed-pool-db.md"`);
    const text = await response.text();
    expect(text).toMatch(/^# Bookings failed: pool \/ DB\n/);
    expect(text).toContain("**Duration:** 9 June 2024, 4:20 PM GMT+3 to 9 June 2024, 5:10 PM GMT+3 (50m)");
    expect((await callLoader(markdownDownload.loader, "/incidents/999/postmortem.md", { id: "999" })).status).toBe(404);
  });
});

describe("the example incident", () => {
  it("is loaded once into an empty database, with the seed's 8 entries and 4 actions", () => {
    const id = loadExampleOnFirstStart()!;
    const details = getIncidentWithDetails(id)!;
    expect(details.incident).toMatchObject({ timeZone: "GMT+3", impactPercent: 45, severity: "SEV1" });
    expect(details.timeline).toHaveLength(8);
    expect(details.timeline[0].occurredAt).toBe(Date.parse("2024-06-09T13:20:00Z"));
    expect(details.timeline[7].occurredAt).toBe(Date.parse("2024-06-09T14:10:00Z"));
    expect(details.actions).toHaveLength(4);
    expect(loadExampleOnFirstStart()).toBeNull();
  });

  it("does not come back after the team deletes it", () => {
    const id = loadExampleOnFirstStart()!;
    getDb().delete(incidents).run();
    expect(id).toBeGreaterThan(0);
    expect(loadExampleOnFirstStart()).toBeNull();
    expect(counts().incidents).toBe(0);
  });
});

// The incidents part of the JSON API, against a real `node server.js` process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

import {
  call,
  countLiveRows,
  countRows,
  createAction,
  createEntry,
  createIncident,
  historyOf,
  INCIDENT_KEYS,
  ISO_WITH_OFFSET,
  postForm,
  readRow,
  userId,
  withoutDetails,
  WRITE_TOKEN_ACTOR,
} from "./api-helpers";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("POST /api/incidents and GET /api/incidents/:id", () => {
  it("creates an incident, reading instants with offsets and answering in the incident's zone", async () => {
    const response = await call(server, "POST", "/api/incidents", {
      title: "  Checkout database failover  ",
      severity: "SEV2",
      startedAt: "2024-06-09T13:20:00Z",
      detectedAt: "2024-06-09T16:25:00+03:00",
      resolvedAt: "2024-06-09 19:05",
      timeZone: "GMT+3",
      impactPercent: 0.1,
      impactDescription: "Some checkouts failed",
      services: ["checkout-api", "Postgres", "checkout-API"],
      summary: "The primary failed over.\r\n",
    });

    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toContain("application/json");
    const incident = response.body;
    expect(response.headers.get("location")).toBe(`/api/incidents/${incident.id}`);
    expect(Object.keys(incident).sort()).toEqual([...INCIDENT_KEYS, "actions", "timeline"].sort());
    expect(incident).toMatchObject({
      title: "Checkout database failover",
      severity: "SEV2",
      status: "investigating",
      startedAt: "2024-06-09T16:20:00+03:00",
      detectedAt: "2024-06-09T16:25:00+03:00",
      mitigatedAt: null,
      resolvedAt: "2024-06-09T19:05:00+03:00",
      timeZone: "GMT+3",
      impactPercent: 0.1,
      impactDescription: "Some checkouts failed",
      services: ["checkout-api", "Postgres"],
      summary: "The primary failed over.",
      rootCause: "",
      resolution: "",
      lessons: "",
      timeline: [],
      actions: [],
      version: 1,
    });
    expect(incident.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    expect(incident.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);

    const fetched = await call(server, "GET", `/api/incidents/${incident.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(incident);

    // Stored as UTC milliseconds beside the zone name.
    const row = readRow(server, "select started_at, time_zone, impact_percent from incidents where id = ?", incident.id);
    expect(row).toEqual({ started_at: Date.UTC(2024, 5, 9, 13, 20), time_zone: "GMT+3", impact_percent: 0.1 });

    // History has the creation, by the token that made it, with the record as created.
    expect(historyOf(server, "incident", incident.id)).toEqual([
      expect.objectContaining({ incidentId: incident.id, change: "create", actor: WRITE_TOKEN_ACTOR, userId: null, before: null, after: withoutDetails(incident) }),
    ]);
  });

  it("writes a DST zone's offset in force at each instant: -04:00 in June, -05:00 in January", async () => {
    const incident = await createIncident(server, {
      timeZone: "America/New_York",
      startedAt: "2024-01-15T13:20:00Z",
      resolvedAt: "2024-06-09T13:20:00Z",
    });
    expect(incident.timeZone).toBe("America/New_York");
    expect(incident.startedAt).toBe("2024-01-15T08:20:00-05:00");
    expect(incident.resolvedAt).toBe("2024-06-09T09:20:00-04:00");

    // A local time without an offset is read in the zone, with the offset of that date.
    const june = await createIncident(server, { timeZone: "America/New_York", startedAt: "2024-06-09 09:20" });
    expect(june.startedAt).toBe("2024-06-09T09:20:00-04:00");
    const january = await createIncident(server, { timeZone: "America/New_York", startedAt: "2024-01-15 09:20" });
    expect(january.startedAt).toBe("2024-01-15T09:20:00-05:00");
  });

  it("keeps half-hour fixed offsets and reads UTC instants into them", async () => {
    const incident = await createIncident(server, { timeZone: "GMT+5:30", startedAt: "2024-06-09T13:20:00Z" });
    expect(incident.timeZone).toBe("GMT+5:30");
    expect(incident.startedAt).toBe("2024-06-09T18:50:00+05:30");
  });

  it("refuses a local time that does not exist because the clocks went forward", async () => {
    const response = await call(server, "POST", "/api/incidents", {
      title: "In the gap",
      severity: "SEV3",
      timeZone: "America/New_York",
      startedAt: "2024-03-10 02:30",
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.errors)).toEqual(["startedAt"]);
  });

  it("keeps impactPercent exactly as sent, including 0 and 100", async () => {
    for (const impactPercent of [0, 0.1, 37.5, 100]) {
      const incident = await createIncident(server, { impactPercent });
      const fetched = await call(server, "GET", `/api/incidents/${incident.id}`);
      expect(fetched.body.impactPercent).toBe(impactPercent);
    }
  });
});

describe("GET /api/incidents", () => {
  it("answers {incidents: [...]} without details, newest start first", async () => {
    const middle = await createIncident(server, { title: "Order list middle", startedAt: "2031-05-02T10:00:00Z" });
    const oldest = await createIncident(server, { title: "Order list oldest", startedAt: "2031-05-01T10:00:00Z" });
    const newest = await createIncident(server, { title: "Order list newest", startedAt: "2031-05-03T10:00:00Z" });

    const response = await call(server, "GET", "/api/incidents?q=Order%20list");
    expect(response.status).toBe(200);
    expect(response.body.incidents.map((incident: { id: number }) => incident.id)).toEqual([newest.id, middle.id, oldest.id]);
    expect(response.body.total).toBe(3);
    for (const incident of response.body.incidents) expect(Object.keys(incident).sort()).toEqual(INCIDENT_KEYS);

    const firstPage = await call(server, "GET", "/api/incidents?q=Order%20list&limit=2");
    expect(firstPage.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(firstPage.body.incidents.map((incident: { id: number }) => incident.id)).toEqual([newest.id, middle.id]);
    const secondPage = await call(server, "GET", "/api/incidents?q=Order%20list&limit=2&offset=2");
    expect(secondPage.body).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(secondPage.body.incidents.map((incident: { id: number }) => incident.id)).toEqual([oldest.id]);

    const everything = await call(server, "GET", "/api/incidents?limit=500");
    const starts = everything.body.incidents.map((incident: { startedAt: string | null; createdAt: string }) =>
      Date.parse(incident.startedAt ?? incident.createdAt),
    );
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  describe("filters", () => {
    let sev1: any;
    let resolved: any;
    let other: any;

    beforeAll(async () => {
      sev1 = await createIncident(server, {
        title: "Filter alpha: 100% of logins failing",
        severity: "SEV1",
        status: "identified",
        services: ["Filter-Auth"],
        startedAt: "2019-03-05T13:20:00Z",
      });
      resolved = await createIncident(server, {
        title: "Filter beta: slow search",
        severity: "SEV3",
        status: "resolved",
        services: ["filter-search", "Filter-Auth"],
        startedAt: "2019-03-07T08:00:00Z",
        resolvedAt: "2019-03-07T09:00:00Z",
      });
      other = await createIncident(server, {
        title: "Filter gamma: 1000 errors",
        severity: "SEV3",
        status: "identified",
        services: ["filter-search"],
        startedAt: "2019-03-09T08:00:00Z",
      });
    });

    const ids = (response: { body: { incidents: { id: number }[] } }) => response.body.incidents.map((incident) => incident.id);

    it("by status", async () => {
      const response = await call(server, "GET", "/api/incidents?status=resolved&limit=500");
      expect(response.status).toBe(200);
      expect(ids(response)).toContain(resolved.id);
      expect(ids(response)).not.toContain(sev1.id);
      expect(ids(response)).not.toContain(other.id);
      for (const incident of response.body.incidents) expect(incident.status).toBe("resolved");
    });

    it("by severity", async () => {
      const response = await call(server, "GET", "/api/incidents?severity=SEV3&q=Filter");
      expect(ids(response)).toEqual([other.id, resolved.id]);
    });

    it("by service, whatever its case", async () => {
      expect(ids(await call(server, "GET", "/api/incidents?service=filter-auth"))).toEqual([resolved.id, sev1.id]);
      expect(ids(await call(server, "GET", "/api/incidents?service=FILTER-SEARCH"))).toEqual([other.id, resolved.id]);
      expect(ids(await call(server, "GET", "/api/incidents?service=filter"))).toEqual([]);
    });

    it("by words in the title, with % taken literally", async () => {
      expect(ids(await call(server, "GET", "/api/incidents?q=slow%20SEARCH"))).toEqual([resolved.id]);
      expect(ids(await call(server, "GET", "/api/incidents?q=100%25"))).toEqual([sev1.id]);
    });

    it("by start, with dates or instants in any offset", async () => {
      const from = await call(server, "GET", `/api/incidents?from=${encodeURIComponent("2019-03-07T08:00:00Z")}&to=2019-12-31`);
      expect(ids(from)).toEqual([other.id, resolved.id]);
      const to = await call(server, "GET", `/api/incidents?from=2019-01-01&to=${encodeURIComponent("2019-03-09T10:00:00+03:00")}`);
      expect(ids(to)).toEqual([resolved.id, sev1.id]);
      const dates = await call(server, "GET", "/api/incidents?from=2019-03-06&to=2019-03-08");
      expect(ids(dates)).toEqual([resolved.id]);
    });

    it("by start: a date-only `to` includes that whole day, as the incidents page does", async () => {
      // sev1 started 2019-03-05T13:20Z; /incidents?to=2019-03-05 lists it.
      const response = await call(server, "GET", "/api/incidents?from=2019-03-05&to=2019-03-05");
      expect(response.status).toBe(200);
      expect(ids(response)).toEqual([sev1.id]);
    });

    it("combines filters", async () => {
      const response = await call(server, "GET", "/api/incidents?status=identified&service=filter-search&severity=SEV3");
      expect(ids(response)).toEqual([other.id]);
    });

    it("answers 400 naming the filter for values it cannot use", async () => {
      for (const [query, field] of [
        ["status=open", "status"],
        ["severity=SEV9", "severity"],
        ["from=yesterday-ish", "from"],
        ["to=2024-02-30", "to"],
        ["limit=0", "limit"],
        ["limit=501", "limit"],
        ["offset=-1", "offset"],
      ]) {
        const response = await call(server, "GET", `/api/incidents?${query}`);
        expect(response.status, query).toBe(400);
        expect(Object.keys(response.body.errors), query).toEqual([field]);
        expect(typeof response.body.errors[field]).toBe("string");
      }
    });
  });
});

describe("PATCH /api/incidents/:id", () => {
  it("changes only the fields sent", async () => {
    const before = await createIncident(server, {
      title: "Patch me",
      severity: "SEV3",
      timeZone: "Europe/Berlin",
      startedAt: "2024-06-09T13:20:00Z",
      mitigatedAt: "2024-06-09T14:00:00Z",
      impactPercent: 12.5,
      services: ["edge", "cdn"],
      summary: "Before",
      rootCause: "A cache stampede",
    });

    const response = await call(server, "PATCH", `/api/incidents/${before.id}`, { severity: "SEV1", lessons: "Cap the cache" });
    expect(response.status).toBe(200);
    const { updatedAt: _before, ...unchanged } = before;
    const { updatedAt: _after, ...after } = response.body;
    expect(after).toEqual({ ...unchanged, severity: "SEV1", lessons: "Cap the cache", version: before.version + 1 });
    expect(response.headers.get("etag")).toBe(`"${before.version + 1}"`);
    expect((await call(server, "GET", `/api/incidents/${before.id}`)).body).toEqual(response.body);

    // One history row for the change, holding the record before and after it.
    const changes = historyOf(server, "incident", before.id);
    expect(changes.map((row) => row.change)).toEqual(["create", "update"]);
    expect(changes[1]).toMatchObject({ actor: WRITE_TOKEN_ACTOR, userId: null, before: withoutDetails(before), after: withoutDetails(response.body) });
  });

  it("clears a field sent as null and accepts a GET body sent back with its read-only fields", async () => {
    const incident = await createIncident(server, { startedAt: "2024-06-09T13:20:00Z", detectedAt: "2024-06-09T13:30:00Z" });
    await createEntry(server, incident.id, { occurredAt: "2024-06-09T13:40:00Z" });
    const cleared = await call(server, "PATCH", `/api/incidents/${incident.id}`, { detectedAt: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.detectedAt).toBeNull();
    expect(cleared.body.startedAt).toBe("2024-06-09T13:20:00+00:00");

    const roundTrip = await call(server, "PATCH", `/api/incidents/${incident.id}`, { ...cleared.body, id: 999, title: "Edited in place" });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body.id).toBe(incident.id);
    expect(roundTrip.body.title).toBe("Edited in place");
    expect(roundTrip.body.timeline).toHaveLength(1);
  });

  it("moving the incident to another zone keeps its instants and rewrites their offsets", async () => {
    const incident = await createIncident(server, { timeZone: "GMT+3", startedAt: "2024-06-09T13:20:00Z" });
    const entry = await createEntry(server, incident.id, { occurredAt: "4:50 PM" });
    const response = await call(server, "PATCH", `/api/incidents/${incident.id}`, { timeZone: "America/New_York" });
    expect(response.status).toBe(200);
    expect(response.body.startedAt).toBe("2024-06-09T09:20:00-04:00");
    expect(response.body.timeline.map((item: { id: number; occurredAt: string }) => [item.id, item.occurredAt])).toEqual([
      [entry.id, "2024-06-09T09:50:00-04:00"],
    ]);
  });
});

describe("DELETE /api/incidents/:id", () => {
  it("answers 204 and soft-deletes: the incident, its timeline and actions are gone from the API but kept in the database", async () => {
    const incident = await createIncident(server, { title: "Soft delete me", startedAt: "2024-06-09T13:20:00Z" });
    const entry = await createEntry(server, incident.id, { occurredAt: "2024-06-09T13:30:00Z" });
    const action = await createAction(server, incident.id, { title: "Add an alert" });
    const stored = (await call(server, "GET", `/api/incidents/${incident.id}`)).body;
    const listedBefore = (await call(server, "GET", "/api/incidents?limit=500")).body;
    const rowsBefore = countRows(server);
    const liveBefore = countLiveRows(server);
    const startedDeleting = Date.now();

    const response = await call(server, "DELETE", `/api/incidents/${incident.id}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe("");

    // Gone from every API route, with its timeline and actions.
    for (const path of [
      `/api/incidents/${incident.id}`,
      `/api/incidents/${incident.id}/timeline`,
      `/api/incidents/${incident.id}/actions`,
      `/api/timeline/${entry.id}`,
      `/api/actions/${action.id}`,
    ]) {
      expect((await call(server, "GET", path)).status, path).toBe(404);
    }
    const listed = (await call(server, "GET", "/api/incidents?limit=500")).body;
    expect(listed.incidents.map((item: { id: number }) => item.id)).not.toContain(incident.id);
    expect(listed.total).toBe(listedBefore.total - 1);
    const actions = await call(server, "GET", "/api/actions");
    expect(actions.body.actions.map((item: { id: number }) => item.id)).not.toContain(action.id);

    // Still in the database: the incident marked deleted, its parts untouched.
    const row = readRow(server, "select deleted_at from incidents where id = ?", incident.id);
    expect(row?.deleted_at).toEqual(expect.any(Number));
    expect(row!.deleted_at as number).toBeGreaterThanOrEqual(startedDeleting - 1000);
    expect(readRow(server, "select deleted_at from timeline_entries where id = ?", entry.id)).toEqual({ deleted_at: null });
    expect(readRow(server, "select deleted_at from corrective_actions where id = ?", action.id)).toEqual({ deleted_at: null });
    expect(countRows(server)).toEqual({ ...rowsBefore, history: rowsBefore.history + 1 });
    expect(countLiveRows(server)).toEqual({
      incidents: liveBefore.incidents - 1,
      timeline_entries: liveBefore.timeline_entries - 1,
      corrective_actions: liveBefore.corrective_actions - 1,
    });

    // History holds the deletion, with what was deleted.
    const deletion = historyOf(server, "incident", incident.id).at(-1);
    expect(deletion).toMatchObject({ change: "delete", actor: WRITE_TOKEN_ACTOR, userId: null, before: withoutDetails(stored), after: null });

    // A deleted incident can be neither deleted again, changed, nor added to; none of that writes anything.
    const rowsAfterDelete = countRows(server);
    expect((await call(server, "DELETE", `/api/incidents/${incident.id}`)).status).toBe(404);
    expect((await call(server, "PATCH", `/api/incidents/${incident.id}`, { title: "Zombie" })).status).toBe(404);
    expect((await call(server, "POST", `/api/incidents/${incident.id}/timeline`, { occurredAt: "2024-06-09T13:40:00Z", text: "x" })).status).toBe(404);
    expect((await call(server, "POST", `/api/incidents/${incident.id}/actions`, { title: "x" })).status).toBe(404);
    expect((await call(server, "PATCH", `/api/timeline/${entry.id}`, { text: "x" })).status).toBe(404);
    expect((await call(server, "DELETE", `/api/actions/${action.id}`)).status).toBe(404);
    expect(countRows(server)).toEqual(rowsAfterDelete);
  });

  it("an admin restores a deleted incident with the timeline and actions it had; an editor cannot", async () => {
    const incident = await createIncident(server, { title: "Bring me back", startedAt: "2024-06-09T13:20:00Z" });
    const entry = await createEntry(server, incident.id, { occurredAt: "2024-06-09T13:30:00Z" });
    const action = await createAction(server, incident.id, { title: "Keep me" });
    const stored = (await call(server, "GET", `/api/incidents/${incident.id}`)).body;
    expect((await call(server, "DELETE", `/api/incidents/${incident.id}`)).status).toBe(204);
    const rowsDeleted = countRows(server);

    const byEditor = await postForm(server, "/admin/deleted", { intent: "restore-incident", incidentId: String(incident.id) }, "editor");
    expect(byEditor.status).toBe(403);
    expect((await call(server, "GET", `/api/incidents/${incident.id}`)).status).toBe(404);
    expect(countRows(server)).toEqual(rowsDeleted);

    const restored = await postForm(server, "/admin/deleted", { intent: "restore-incident", incidentId: String(incident.id) }, "admin");
    expect(restored.status).toBe(302);
    expect(restored.location).toBe(`/incidents/${incident.id}`);

    const fetched = await call(server, "GET", `/api/incidents/${incident.id}`);
    expect(fetched.status).toBe(200);
    // Deleting and restoring each bump the version, so a form opened before either is refused as stale.
    expect(fetched.body).toEqual({ ...stored, version: stored.version + 2 });
    expect(fetched.body.timeline.map((item: { id: number }) => item.id)).toEqual([entry.id]);
    expect(fetched.body.actions.map((item: { id: number }) => item.id)).toEqual([action.id]);
    expect((await call(server, "GET", `/api/timeline/${entry.id}`)).status).toBe(200);
    expect((await call(server, "GET", `/api/actions/${action.id}`)).status).toBe(200);
    expect(readRow(server, "select deleted_at from incidents where id = ?", incident.id)).toEqual({ deleted_at: null });

    const restoration = historyOf(server, "incident", incident.id).at(-1);
    expect(restoration).toMatchObject({ change: "restore", actor: "Ada Admin", userId: userId(server, "admin"), before: null });
    expect(restoration!.after).toEqual(withoutDetails(fetched.body));
    expect(countRows(server)).toEqual({ ...rowsDeleted, history: rowsDeleted.history + 1 });

    // Restoring what is not deleted is a 404 and writes nothing.
    const again = await postForm(server, "/admin/deleted", { intent: "restore-incident", incidentId: String(incident.id) }, "admin");
    expect(again.status).toBe(404);
    expect(countRows(server)).toEqual({ ...rowsDeleted, history: rowsDeleted.history + 1 });
  });
});

describe("unknown ids, wrong methods, unknown routes", () => {
  for (const id of ["999999", "abc", "1.5", "-1", "99999999999999999999"]) {
    it(`answers a JSON 404 for GET, PATCH and DELETE /api/incidents/${id}`, async () => {
      const before = countRows(server);
      for (const method of ["GET", "PATCH", "DELETE"]) {
        const response = await call(server, method, `/api/incidents/${id}`, method === "PATCH" ? { title: "x" } : undefined);
        expect(response.status, method).toBe(404);
        expect(response.body, method).toEqual({ error: "Incident not found" });
      }
      expect(countRows(server)).toEqual(before);
    });
  }

  it("answers 405 with Allow for a method a route does not take", async () => {
    const incident = await createIncident(server, {});
    const put = await call(server, "PUT", `/api/incidents/${incident.id}`, { title: "Replaced" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, PATCH, DELETE");
    expect(put.body.error).toMatch(/method not allowed/i);
    expect((await call(server, "GET", `/api/incidents/${incident.id}`)).body.title).toBe("Incident");

    const putList = await call(server, "PUT", "/api/incidents", { title: "x", severity: "SEV1" });
    expect(putList.status).toBe(405);
    expect(putList.headers.get("allow")).toBe("GET, POST");
  });

  it("answers unknown /api paths with JSON 404, whatever the method", async () => {
    for (const [method, path] of [
      ["GET", "/api/whatever"],
      ["POST", "/api/whatever"],
      ["DELETE", "/api/whatever/1"],
      ["GET", "/api/incidents/1/whatever"],
    ]) {
      const response = await call(server, method, path, method === "POST" ? {} : undefined);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.body).toEqual({ error: "No such API route" });
    }
  });
});

it("writes every instant with an explicit offset", async () => {
  const response = await call(server, "GET", "/api/incidents?limit=500");
  expect(response.body.incidents.length).toBeGreaterThan(0);
  for (const incident of response.body.incidents) {
    for (const field of ["startedAt", "detectedAt", "mitigatedAt", "resolvedAt", "createdAt", "updatedAt"]) {
      if (incident[field] !== null) expect(incident[field], field).toMatch(ISO_WITH_OFFSET);
    }
  }
});

// Shared by the API integration tests: a real server, a small JSON client, and a
// read-only look at the server's own database file.
import Database from "better-sqlite3";

import type { Role, Scope, TestServer } from "../helpers/server";

export const INCIDENT_KEYS = [
  "id",
  "title",
  "severity",
  "status",
  "startedAt",
  "detectedAt",
  "mitigatedAt",
  "resolvedAt",
  "timeZone",
  "impactPercent",
  "impactDescription",
  "services",
  "category",
  "trigger",
  "detectionMethod",
  "summary",
  "rootCause",
  "resolution",
  "lessons",
  "unplaced",
  "createdAt",
  "updatedAt",
  "version",
].sort();
export const TIMELINE_KEYS = ["id", "incidentId", "occurredAt", "text", "kind", "author", "version"].sort();
export const ACTION_KEYS = [
  "id",
  "incidentId",
  "title",
  "details",
  "type",
  "owner",
  "dueDate",
  "priority",
  "status",
  "trackerUrl",
  "completedAt",
  "version",
].sort();

/** ISO 8601 to the second with an explicit offset, as the API writes every instant. */
export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

export type ApiResponse = { status: number; headers: Headers; text: string; body: any };

/** Who sends a request: an API token of a scope, a logged-in user of a role, or nobody. */
export type Who = Role | Scope | "anonymous";

export type CallOptions = {
  /** The write token unless said otherwise. */
  as?: Who;
  headers?: Record<string, string>;
};

/** Sends `body` as JSON (a string is sent as is, for malformed bodies) and reads the answer. */
export async function call(server: TestServer, method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const init: RequestInit & { as: Who } = { method, headers, as: options.as ?? "write" };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const response = await server.fetch(path, init);
  const text = await response.text();
  let parsed: unknown = undefined;
  if ((response.headers.get("content-type") ?? "").includes("application/json") && text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** Submits a page's form as a browser without JavaScript would (Remix answers with a document or a redirect). */
export async function postForm(server: TestServer, path: string, fields: Record<string, string>, as: Role = "admin") {
  const response = await server.fetch(path, { method: "POST", body: new URLSearchParams(fields), as });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

export type RowCounts = { incidents: number; timeline_entries: number; corrective_actions: number; history: number };

function withDatabase<T>(server: TestServer, read: (db: Database.Database) => T): T {
  const db = new Database(server.databasePath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * Every row, deleted or not, read straight from the server's database file, with
 * the history rows: a refused write must add none of either.
 */
export function countRows(server: TestServer): RowCounts {
  return withDatabase(server, (db) => {
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return {
      incidents: count("incidents"),
      timeline_entries: count("timeline_entries"),
      corrective_actions: count("corrective_actions"),
      history: count("history"),
    };
  });
}

/** Rows the app shows: not deleted, and (for timeline entries and actions) of an incident that is not deleted. */
export function countLiveRows(server: TestServer): Omit<RowCounts, "history"> {
  return withDatabase(server, (db) => {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      incidents: count("select count(*) as n from incidents where deleted_at is null"),
      timeline_entries: count(
        "select count(*) as n from timeline_entries t join incidents i on i.id = t.incident_id where t.deleted_at is null and i.deleted_at is null",
      ),
      corrective_actions: count(
        "select count(*) as n from corrective_actions a join incidents i on i.id = a.incident_id where a.deleted_at is null and i.deleted_at is null",
      ),
    };
  });
}

/** One row straight from the server's database file, opened read-only. */
export function readRow(server: TestServer, sql: string, ...params: unknown[]): Record<string, unknown> | undefined {
  return withDatabase(server, (db) => db.prepare(sql).get(...params) as Record<string, unknown> | undefined);
}

export type HistoryRow = {
  id: number;
  incidentId: number;
  entityType: "incident" | "timeline_entry" | "action";
  entityId: number;
  change: "create" | "update" | "delete" | "restore";
  userId: number | null;
  actor: string;
  before: Record<string, any> | null;
  after: Record<string, any> | null;
  at: number;
};

/** The history rows of one record, oldest first, with before and after parsed. */
export function historyOf(server: TestServer, entityType: HistoryRow["entityType"], entityId: number): HistoryRow[] {
  return withDatabase(server, (db) =>
    (
      db
        .prepare(
          `select id, incident_id as incidentId, entity_type as entityType, entity_id as entityId, change, user_id as userId, actor, before, after, at
           from history where entity_type = ? and entity_id = ? order by id`,
        )
        .all(entityType, entityId) as (Omit<HistoryRow, "before" | "after"> & { before: string | null; after: string | null })[]
    ).map((row) => ({ ...row, before: row.before === null ? null : JSON.parse(row.before), after: row.after === null ? null : JSON.parse(row.after) })),
  );
}

/**
 * Every value of every row of every table in the server's database (but the
 * tables in `except`), as one text to search or compare.
 */
export function everythingStored(server: TestServer, except: string[] = []): string {
  return withDatabase(server, (db) => {
    const tables = db.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[];
    return tables
      .filter(({ name }) => !except.includes(name))
      .map(({ name }) => `${name}: ${JSON.stringify(db.prepare(`select * from "${name}"`).all())}`)
      .join("\n");
  });
}

/** The id of a seeded user, to check who a history row names. */
export function userId(server: TestServer, role: Role): number {
  const row = readRow(server, "select id from users where email = ?", server.users[role].email);
  if (!row) throw new Error(`No ${role} user`);
  return row.id as number;
}

/** An incident as its history row stores it: the API's shape without the timeline and actions. */
export function withoutDetails(incident: Record<string, unknown>) {
  const { timeline: _timeline, actions: _actions, ...rest } = incident;
  return rest;
}

/** How history names changes made through the seeded write token. */
export const WRITE_TOKEN_ACTOR = 'API token "test write"';

/** Creates an incident through the API and returns its JSON, failing loudly if the API refuses. */
export async function createIncident(server: TestServer, fields: Record<string, unknown>) {
  const response = await call(server, "POST", "/api/incidents", { title: "Incident", severity: "SEV2", ...fields });
  if (response.status !== 201) throw new Error(`Creating an incident answered ${response.status}: ${response.text}`);
  return response.body;
}

export async function createAction(server: TestServer, incidentId: number, fields: Record<string, unknown>) {
  const response = await call(server, "POST", `/api/incidents/${incidentId}/actions`, { title: "Action", ...fields });
  if (response.status !== 201) throw new Error(`Creating an action answered ${response.status}: ${response.text}`);
  return response.body;
}

export async function createEntry(server: TestServer, incidentId: number, fields: Record<string, unknown>) {
  const response = await call(server, "POST", `/api/incidents/${incidentId}/timeline`, { text: "Something happened", ...fields });
  if (response.status !== 201) throw new Error(`Creating a timeline entry answered ${response.status}: ${response.text}`);
  return response.body;
}

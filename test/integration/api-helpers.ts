// Shared by the API integration tests: a real server, a small JSON client, and a
// read-only look at the server's own database file.
import Database from "better-sqlite3";

import type { TestServer } from "../helpers/server";

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
  "summary",
  "rootCause",
  "resolution",
  "lessons",
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

/** Sends `body` as JSON (a string is sent as is, for malformed bodies) and reads the answer. */
export async function call(server: TestServer, method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const init: RequestInit = { method, headers: { Accept: "application/json", Authorization: `Bearer ${server.tokens.write}` } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers = { ...init.headers, "Content-Type": "application/json" };
  }
  const response = await fetch(server.url + path, init);
  const text = await response.text();
  let parsed: unknown = undefined;
  if ((response.headers.get("content-type") ?? "").includes("application/json") && text) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, body: parsed };
}

export type RowCounts = { incidents: number; timeline_entries: number; corrective_actions: number };

/** Row counts read straight from the server's database file, opened read-only. */
export function countRows(server: TestServer): RowCounts {
  const db = new Database(server.databasePath, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return {
      incidents: count("incidents"),
      timeline_entries: count("timeline_entries"),
      corrective_actions: count("corrective_actions"),
    };
  } finally {
    db.close();
  }
}

/** One row straight from the server's database file, opened read-only. */
export function readRow(server: TestServer, sql: string, ...params: unknown[]): Record<string, unknown> | undefined {
  const db = new Database(server.databasePath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

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

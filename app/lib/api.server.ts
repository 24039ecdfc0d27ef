// The pieces every API route shares: reading a body, merging a PATCH, the incident's full JSON.
import { json } from "@remix-run/node";

import type { Actor } from "~/auth/actor";
import { actionJson, incidentJson, timelineEntryJson } from "~/lib/api-format";
import type { Incident } from "~/models/incidents.server";
import { getIncident, getIncidentWithDetails } from "~/models/incidents.server";

import { apiErrors, parseId, readJsonObject } from "./http.server";
import { unknownFields, type FieldErrors } from "./validation";

/** Fields a client may send back unchanged from a GET; they are never written. */
const READ_ONLY_FIELDS = ["id", "incidentId", "createdAt", "updatedAt", "completedAt", "timeline", "actions", "version"];

/**
 * Reads a JSON object body limited to `allowed` fields (plus read-only ones, ignored).
 * Answers 400 for malformed JSON or a field the record does not have.
 */
export async function readBody(
  request: Request,
  allowed: readonly string[],
): Promise<{ ok: true; body: Record<string, unknown>; raw: Record<string, unknown> } | { ok: false; response: Response }> {
  const read = await readJsonObject(request);
  if (!read.ok) return read;
  const errors: FieldErrors = unknownFields(read.body, [...allowed, ...READ_ONLY_FIELDS]);
  if (Object.keys(errors).length) return { ok: false, response: apiErrors(errors) };
  const body = Object.fromEntries(Object.entries(read.body).filter(([key]) => allowed.includes(key)));
  return { ok: true, body, raw: read.body };
}

/** The incident named by the route's `:id`, or null (answered as 404) for unknown or malformed ids. */
export function findIncident(params: { id?: string }): Incident | null {
  const id = parseId(params.id);
  return id === null ? null : getIncident(id);
}

export function incidentWithDetailsJson(incidentId: number) {
  const details = getIncidentWithDetails(incidentId);
  if (!details) return null;
  const zone = details.incident.timeZone;
  return {
    ...incidentJson(details.incident),
    timeline: details.timeline.map((entry) => timelineEntryJson(entry, zone)),
    actions: details.actions.map(actionJson),
  };
}

/**
 * The version a PATCH is based on: a `version` field in the body or an If-Match
 * header ("3", W/"3"). Without either the save is not checked for conflicts.
 */
export function expectedVersion(request: Request, body: Record<string, unknown>): { ok: true; version: number | null } | { ok: false; response: Response } {
  const header = request.headers.get("if-match")?.trim();
  // "If-Match: *" matches whatever version is stored: no check.
  const fromHeader = header && header !== "*" ? header.replace(/^W\//, "").replace(/"/g, "").trim() : undefined;
  if (body.version !== undefined && fromHeader !== undefined && String(body.version) !== fromHeader) {
    return { ok: false, response: apiErrors({ version: `The body says version ${String(body.version)} but If-Match says ${fromHeader}: send one` }) };
  }
  const raw = body.version ?? fromHeader;
  if (raw === undefined || raw === null) return { ok: true, version: null };
  const version = typeof raw === "number" ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(version) || version < 1) {
    return { ok: false, response: apiErrors({ version: "version must be the whole number from the record you read (or If-Match: \"3\")" }) };
  }
  return { ok: true, version };
}

/** 409 with the stored record, so the client can show both versions. */
export function conflict(message: string, current: unknown) {
  return json({ error: message, errors: { version: message }, current }, { status: 409 });
}

export function created(body: unknown, location: string) {
  return json(body, { status: 201, headers: { Location: location } });
}

export function noContent() {
  return new Response(null, { status: 204 });
}

/**
 * A 403 unless the actor is an admin user. The gate treats only /admin pages as
 * admin-only, so an API route for admin work (the category vocabulary) asks
 * itself; as in the gate, no API token is ever an admin.
 */
export function refuseUnlessAdmin(actor: Actor): Response | null {
  if (actor.kind === "user" && actor.role === "admin") return null;
  const who = actor.kind === "user" ? `Your role (${actor.role})` : `This token's scope (${actor.scope})`;
  return json({ error: `${who} cannot administer Hindsight. Ask an admin if you need more.` }, { status: 403 });
}

// Services (what incidents affect and monitors watch) and their monitors.
import { randomBytes } from "node:crypto";

import { and, asc, eq, inArray, sql } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { incidentServices, incidents, monitors, services, stateChanges as stateChangesTable, type MonitorRow, type ServiceRow } from "~/db/schema";
import { worstState, type HealthState } from "~/lib/health-vocabulary";
import type { MonitorInput, ServiceInput } from "~/lib/monitor-validation";

import { hashSecret } from "./sessions.server";

export type Monitor = Omit<MonitorRow, "pushTokenHash">;
export type Service = ServiceRow & { monitors: (Monitor & { currentState: HealthState | null })[]; state: HealthState | null; incidentCount: number };

type Failure = { ok: false; reason: "not_found" } | { ok: false; reason: "conflict"; current: unknown } | { ok: false; reason: "invalid"; errors: Record<string, string> };
export type Saved<T> = { ok: true; record: T } | Failure;

const PUSH_PREFIX = "hp_";

function publicMonitor(row: MonitorRow): Monitor {
  const { pushTokenHash: _hash, ...rest } = row;
  return rest;
}

/**
 * A checked monitor whose last result is older than three intervals (at least 5 minutes) says
 * nothing about now: checks are off (MONITOR=0), or it is example data. Alert monitors have no
 * checks: their state stands until an alert changes it.
 */
export function currentState(monitor: Pick<MonitorRow, "state" | "mode" | "type" | "lastCheckAt" | "intervalSeconds">, now = Date.now()): HealthState | null {
  if (monitor.mode === "paused") return "paused";
  if (monitor.mode === "maintenance") return "maintenance";
  if (monitor.type === "alert") return monitor.state;
  const staleAfter = Math.max(3 * monitor.intervalSeconds * 1000, 5 * 60_000);
  return monitor.lastCheckAt !== null && now - monitor.lastCheckAt <= staleAfter ? monitor.state : null;
}

/** The state a service is in now: the worst of its monitors' current states. */
export function serviceState(monitorRows: Parameters<typeof currentState>[0][], now = Date.now()): HealthState | null {
  return worstState(monitorRows.map((monitor) => currentState(monitor, now)));
}

function withMonitors(rows: ServiceRow[]): Service[] {
  if (rows.length === 0) return [];
  const db = getDb();
  const ids = rows.map((row) => row.id);
  // Only these services' monitors and incident counts: one service's page reads one service's rows.
  const all = db.select().from(monitors).where(inArray(monitors.serviceId, ids)).orderBy(asc(monitors.id)).all();
  const counts = new Map(
    db
      .select({ serviceId: incidentServices.serviceId, count: sql<number>`count(*)` })
      .from(incidentServices)
      .innerJoin(incidents, eq(incidents.id, incidentServices.incidentId))
      .where(and(inArray(incidentServices.serviceId, ids), sql`${incidents.deletedAt} is null`))
      .groupBy(incidentServices.serviceId)
      .all()
      .map((row) => [row.serviceId, row.count]),
  );
  return rows.map((service) => {
    const own = all.filter((m) => m.serviceId === service.id);
    const now = Date.now();
    return {
      ...service,
      monitors: own.map((monitor) => ({ ...publicMonitor(monitor), currentState: currentState(monitor, now) })),
      state: serviceState(own, now),
      incidentCount: counts.get(service.id) ?? 0,
    };
  });
}

export function listServices(): Service[] {
  return withMonitors(getDb().select().from(services).orderBy(sql`${services.name} collate nocase`).all());
}

export function getService(id: number): Service | null {
  const row = getDb().select().from(services).where(eq(services.id, id)).get();
  return row ? withMonitors([row])[0] : null;
}

export function findServiceByName(name: string): ServiceRow | null {
  return getDb().select().from(services).where(sql`${services.name} = ${name.trim()} collate nocase`).get() ?? null;
}

function nameTaken(name: string, exceptId?: number) {
  const other = findServiceByName(name);
  return other && other.id !== exceptId ? { ok: false as const, reason: "invalid" as const, errors: { name: `A service called "${other.name}" already exists` } } : null;
}

export function createService(input: ServiceInput, now = Date.now(), options: { example?: boolean } = {}): Saved<Service> {
  const taken = nameTaken(input.name);
  if (taken) return taken;
  const { id } = getDb()
    .insert(services)
    .values({ ...input, example: options.example ?? false, createdAt: now, updatedAt: now })
    .returning({ id: services.id })
    .get();
  return { ok: true, record: getService(id)! };
}

export function updateService(id: number, input: Partial<ServiceInput>, expectedVersion: number | null, now = Date.now()): Saved<Service> {
  return getDb().transaction((tx) => {
    const before = tx.select().from(services).where(eq(services.id, id)).get();
    if (!before) return { ok: false, reason: "not_found" } as const;
    if (expectedVersion != null && expectedVersion !== before.version) return { ok: false, reason: "conflict", current: getService(id) } as const;
    if (input.name) {
      const taken = nameTaken(input.name, id);
      if (taken) return taken;
    }
    tx.update(services).set({ ...input, updatedAt: now, version: before.version + 1 }).where(eq(services.id, id)).run();
    return { ok: true, record: getService(id)! } as const;
  });
}

/** Deletes a service with its monitors and their history; refused while incidents name it. */
export function deleteService(id: number): { ok: true } | { ok: false; reason: "not_found" } | { ok: false; reason: "in_use"; incidents: number } {
  const service = getService(id);
  if (!service) return { ok: false, reason: "not_found" };
  const linked = getDb().select({ count: sql<number>`count(*)` }).from(incidentServices).where(eq(incidentServices.serviceId, id)).get()!.count;
  if (linked > 0) return { ok: false, reason: "in_use", incidents: linked };
  getDb().delete(services).where(eq(services.id, id)).run();
  return { ok: true };
}

export function listMonitors(serviceId?: number): Monitor[] {
  const query = getDb().select().from(monitors);
  return (serviceId != null ? query.where(eq(monitors.serviceId, serviceId)) : query).orderBy(asc(monitors.id)).all().map(publicMonitor);
}

export function getMonitor(id: number): Monitor | null {
  const row = getDb().select().from(monitors).where(eq(monitors.id, id)).get();
  return row ? publicMonitor(row) : null;
}

function newPushToken() {
  const token = `${PUSH_PREFIX}${randomBytes(24).toString("base64url")}`;
  return { token, hash: hashSecret(token), prefix: token.slice(0, 9) };
}

/** Creates a monitor; a push monitor's token is returned here in the clear, and never again. */
export function createMonitor(
  input: MonitorInput,
  now = Date.now(),
  options: { example?: boolean } = {},
): Saved<Monitor> & { pushToken?: string } {
  if (!getDb().select({ id: services.id }).from(services).where(eq(services.id, input.serviceId)).get()) {
    return { ok: false, reason: "invalid", errors: { serviceId: `There is no service ${input.serviceId}` } };
  }
  const push = input.type === "push" ? newPushToken() : null;
  const { id } = getDb()
    .insert(monitors)
    .values({
      ...input,
      pushTokenHash: push?.hash ?? null,
      pushTokenPrefix: push?.prefix ?? null,
      state: input.mode === "paused" ? "paused" : input.mode === "maintenance" ? "maintenance" : null,
      stateSince: input.mode === "active" ? null : now,
      example: options.example ?? false,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: monitors.id })
    .get();
  return { ok: true, record: getMonitor(id)!, ...(push ? { pushToken: push.token } : {}) };
}

/**
 * Replaces a monitor's settings. A change of mode (pause, maintenance, resume) is a state
 * change in the log; a change of type to push makes a new token.
 */
export function updateMonitor(
  id: number,
  input: MonitorInput,
  expectedVersion: number | null,
  now = Date.now(),
): Saved<Monitor> & { pushToken?: string } {
  const db = getDb();
  return db.transaction((tx) => {
    const before = tx.select().from(monitors).where(eq(monitors.id, id)).get();
    if (!before) return { ok: false, reason: "not_found" } as const;
    if (expectedVersion != null && expectedVersion !== before.version) return { ok: false, reason: "conflict", current: publicMonitor(before) } as const;
    if (!tx.select({ id: services.id }).from(services).where(eq(services.id, input.serviceId)).get()) {
      return { ok: false, reason: "invalid", errors: { serviceId: `There is no service ${input.serviceId}` } } as const;
    }
    const push = input.type === "push" && !before.pushTokenHash ? newPushToken() : null;
    const modeChanged = input.mode !== before.mode;
    const nextState: HealthState | null = !modeChanged ? before.state : input.mode === "active" ? null : input.mode;
    tx.update(monitors)
      .set({
        ...input,
        ...(push ? { pushTokenHash: push.hash, pushTokenPrefix: push.prefix } : {}),
        ...(input.type !== "push" ? { pushTokenHash: null, pushTokenPrefix: null } : {}),
        ...(modeChanged ? { state: nextState, stateSince: now, failures: 0, failingSince: null } : {}),
        updatedAt: now,
        version: before.version + 1,
      })
      .where(eq(monitors.id, id))
      .run();
    if (modeChanged && nextState) {
      tx.insert(stateChangesTable)
        .values({ monitorId: id, serviceId: input.serviceId, at: now, fromState: before.state, toState: nextState, source: "manual", message: nextState === "paused" ? "Paused" : "Maintenance started" })
        .run();
    }
    const record = publicMonitor(tx.select().from(monitors).where(eq(monitors.id, id)).get()!);
    return { ok: true, record, ...(push ? { pushToken: push.token } : {}) } as const;
  });
}

/** A new push token for a push monitor (the old one stops working at once). */
export function regeneratePushToken(id: number): string | null {
  const monitor = getDb().select().from(monitors).where(and(eq(monitors.id, id), eq(monitors.type, "push"))).get();
  if (!monitor) return null;
  const push = newPushToken();
  getDb().update(monitors).set({ pushTokenHash: push.hash, pushTokenPrefix: push.prefix }).where(eq(monitors.id, id)).run();
  return push.token;
}

export function monitorByPushToken(token: string): MonitorRow | null {
  if (!token.startsWith(PUSH_PREFIX)) return null;
  return getDb().select().from(monitors).where(eq(monitors.pushTokenHash, hashSecret(token))).get() ?? null;
}

export function deleteMonitor(id: number): boolean {
  return getDb().delete(monitors).where(eq(monitors.id, id)).run().changes > 0;
}


// The checker inside the server process. Each tick (1 s) it reads the monitors, starts every
// check that is due without waiting for it, marks push monitors whose heartbeat is late, and
// now and then opens auto-drafts, saves incident evidence and prunes old data.
// - never two checks at once for one monitor: the next is planned when the last finishes;
// - jitter spreads monitors with the same interval;
// - checks are async I/O with their own timeout, so requests and other monitors never wait.
import { and, eq, inArray, sql } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { checkResults, monitors, type MonitorRow } from "~/db/schema";

import { openAutoDrafts } from "./auto-draft.server";
import { runCheck } from "./checks.server";
import { refreshEvidence } from "./evidence.server";
import { ingestResults, pruneHealth } from "./store.server";

export type SchedulerOptions = {
  now?: () => number;
  random?: () => number;
  tickMs?: number;
  /** Checks running at once, across all monitors. */
  concurrency?: number;
  /** Housekeeping (evidence, pruning) period. */
  housekeepingMs?: number;
  log?: (message: string) => void;
};

export class Scheduler {
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly tickMs: number;
  private readonly concurrency: number;
  private readonly housekeepingMs: number;
  private readonly log: (message: string) => void;
  private timer: NodeJS.Timeout | null = null;
  private readonly nextAt = new Map<number, { at: number; version: number }>();
  private readonly running = new Map<number, Promise<void>>();
  private lastHousekeeping = 0;
  private lastDrafts = 0;
  private busy: Promise<unknown> | null = null;

  constructor(options: SchedulerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.tickMs = options.tickMs ?? 1_000;
    this.concurrency = options.concurrency ?? 32;
    this.housekeepingMs = options.housekeepingMs ?? 60 * 60_000;
    this.log = options.log ?? ((message) => console.warn(message));
    this.lastHousekeeping = this.now() - this.housekeepingMs + 60_000;
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running.values(), this.busy]);
  }

  /** Checks in flight, by monitor id. */
  get inFlight(): number[] {
    return [...this.running.keys()];
  }

  /** One pass: start due checks, mark late heartbeats. Returns the checks it started. */
  tick(): Promise<void>[] {
    const now = this.now();
    let rows: MonitorRow[];
    try {
      // Maintenance is checked too: its checks count as maintenance, outside uptime.
      rows = getDb().select().from(monitors).where(inArray(monitors.mode, ["active", "maintenance"])).all();
    } catch (error) {
      this.log(`Monitoring: cannot read monitors: ${(error as Error).message}`);
      return [];
    }
    const started: Promise<void>[] = [];
    const seen = new Set<number>();
    for (const monitor of rows) {
      if (monitor.example) continue;
      seen.add(monitor.id);
      if (monitor.type === "push") this.checkHeartbeat(monitor, now);
      if (monitor.type !== "http" && monitor.type !== "tcp") continue;
      if (this.running.has(monitor.id)) continue;
      const plan = this.nextAt.get(monitor.id);
      if (!plan || plan.version !== monitor.version) {
        // New or edited: first check soon, spread so monitors added together do not fire together.
        this.nextAt.set(monitor.id, { at: now + Math.floor(this.random() * Math.min(monitor.intervalSeconds * 1000, 5_000)), version: monitor.version });
        continue;
      }
      if (plan.at > now || this.running.size >= this.concurrency) continue;
      started.push(this.launch(monitor, now));
    }
    for (const id of this.nextAt.keys()) if (!seen.has(id)) this.nextAt.delete(id);
    this.housekeeping(now);
    return started;
  }

  /** Runs one monitor's check now (and plans its next), whatever its schedule. */
  launch(monitor: MonitorRow, now = this.now()): Promise<void> {
    // A check already in flight is the one asked for: never two at once for one monitor.
    const inFlight = this.running.get(monitor.id);
    if (inFlight) return inFlight;
    const run = (async () => {
      try {
        const result = await runCheck(monitor, this.now);
        ingestResults(monitor.id, [result], "check", { now: this.now() });
      } catch (error) {
        this.log(`Monitoring: check of "${monitor.name}" failed to record: ${(error as Error).message}`);
      } finally {
        this.running.delete(monitor.id);
        const jitter = Math.floor(this.random() * Math.min(monitor.intervalSeconds * 100, 5_000));
        this.nextAt.set(monitor.id, { at: now + monitor.intervalSeconds * 1000 + jitter, version: monitor.version });
      }
    })();
    this.running.set(monitor.id, run);
    return run;
  }

  /** No heartbeat within interval + grace is a failed check; after a miss, one more per interval. */
  private checkHeartbeat(monitor: MonitorRow, now: number) {
    // The latest of the last heartbeat, the last change of state (a resume after a pause) and creation.
    const last = Math.max(monitor.lastCheckAt ?? 0, monitor.stateSince ?? 0, monitor.createdAt);
    const lastWasMiss = monitor.failures > 0 && monitor.lastMessage?.startsWith("No heartbeat");
    const deadline = last + monitor.intervalSeconds * 1000 + (lastWasMiss ? 0 : (monitor.graceSeconds ?? 0) * 1000);
    if (now <= deadline) return;
    // After a miss, the silence began at the last heartbeat that arrived, not at the miss.
    const silentSince = lastWasMiss ? (lastHeartbeat(monitor.id) ?? last) : last;
    const silentFor = Math.round((now - silentSince) / 1000);
    try {
      ingestResults(monitor.id, [{ at: now, ok: false, latencyMs: null, message: `No heartbeat for ${silentFor} s` }], "push", { now });
    } catch (error) {
      this.log(`Monitoring: cannot record a missed heartbeat of "${monitor.name}": ${(error as Error).message}`);
    }
  }

  private housekeeping(now: number) {
    if (this.busy) return;
    if (now - this.lastDrafts >= 15_000) {
      this.lastDrafts = now;
      try {
        openAutoDrafts(now);
      } catch (error) {
        this.log(`Monitoring: auto-draft failed: ${(error as Error).message}`);
      }
    }
    if (now - this.lastHousekeeping < this.housekeepingMs) return;
    this.lastHousekeeping = now;
    this.busy = (async () => {
      refreshEvidence(now);
      await pruneHealth({ now });
    })()
      .catch((error) => this.log(`Monitoring: housekeeping failed: ${(error as Error).message}`))
      .finally(() => {
        this.busy = null;
      });
  }
}

function lastHeartbeat(monitorId: number): number | null {
  return (
    getDb()
      .select({ at: sql<number | null>`max(${checkResults.at})` })
      .from(checkResults)
      .where(and(eq(checkResults.monitorId, monitorId), eq(checkResults.ok, true)))
      .get()?.at ?? null
  );
}

const GLOBAL_KEY = Symbol.for("hindsight.scheduler");

/** Starts the one scheduler of this process (a second call, e.g. after a dev rebuild, reuses it). */
export function startMonitoring(options: SchedulerOptions = {}): Scheduler {
  const holder = globalThis as unknown as Record<symbol, Scheduler | undefined>;
  holder[GLOBAL_KEY] ??= new Scheduler(options);
  holder[GLOBAL_KEY]!.start();
  return holder[GLOBAL_KEY]!;
}

// The state machine on its own: how each check moves a monitor between up, degraded and down.
import { describe, expect, it } from "vitest";

import { step, type CheckOutcome, type MonitorStatus } from "~/health/state-machine";

const fresh: MonitorStatus = { state: null, stateSince: null, failures: 0, failingSince: null };
const active = { mode: "active" as const, retries: 2, degradedMs: null };

const pass = (at: number, latencyMs: number | null = 20): CheckOutcome => ({ at, ok: true, latencyMs });
const fail = (at: number): CheckOutcome => ({ at, ok: false, latencyMs: null });

/** Runs checks one after another, returning each step. */
function run(checks: CheckOutcome[], monitor: Parameters<typeof step>[1] = active, start: MonitorStatus = fresh) {
  let status = start;
  return checks.map((check) => {
    const next = step(status, monitor, check);
    status = next.status;
    return next;
  });
}

describe("a passing check", () => {
  it("makes a new monitor up, logged as a change from no state", () => {
    const [first] = run([pass(1_000)]);
    expect(first).toEqual({
      status: { state: "up", stateSince: 1_000, failures: 0, failingSince: null },
      recorded: "up",
      change: { at: 1_000, from: null, to: "up", failingSince: null },
    });
  });

  it("keeps an up monitor's since time and logs nothing", () => {
    const [, second] = run([pass(1_000), pass(2_000)]);
    expect(second.status.stateSince).toBe(1_000);
    expect(second.change).toBeNull();
  });

  it("is degraded only when slower than the threshold (equal is still up; no latency is up)", () => {
    const monitor = { ...active, degradedMs: 500 };
    expect(step(fresh, monitor, pass(1_000, 501)).recorded).toBe("degraded");
    expect(step(fresh, monitor, pass(1_000, 500)).recorded).toBe("up");
    expect(step(fresh, monitor, pass(1_000, null)).recorded).toBe("up");
    const [slow, fast] = run([pass(1_000, 900), pass(2_000, 100)], monitor);
    expect(slow.change).toEqual({ at: 1_000, from: null, to: "degraded", failingSince: null });
    expect(fast.change).toEqual({ at: 2_000, from: "degraded", to: "up", failingSince: null });
  });
});

describe("failing checks", () => {
  it("with retries = 2: the first is counted as the standing state, the second makes it down", () => {
    const [, firstFailure, secondFailure, thirdFailure] = run([pass(1_000), fail(2_000), fail(3_000), fail(4_000)]);
    expect(firstFailure).toEqual({
      status: { state: "up", stateSince: 1_000, failures: 1, failingSince: 2_000 },
      recorded: "up",
      change: null,
    });
    expect(secondFailure).toEqual({
      status: { state: "down", stateSince: 3_000, failures: 2, failingSince: 2_000 },
      recorded: "down",
      change: { at: 3_000, from: "up", to: "down", failingSince: 2_000 },
    });
    // Still down: no new change, the down since and failing since stay.
    expect(thirdFailure).toEqual({
      status: { state: "down", stateSince: 3_000, failures: 3, failingSince: 2_000 },
      recorded: "down",
      change: null,
    });
  });

  it("one passing check brings a down monitor back up and ends the failing run", () => {
    const steps = run([pass(1_000), fail(2_000), fail(3_000), pass(4_000)]);
    expect(steps[3]).toEqual({
      status: { state: "up", stateSince: 4_000, failures: 0, failingSince: null },
      recorded: "up",
      change: { at: 4_000, from: "down", to: "up", failingSince: null },
    });
  });

  it("failures must be in a row: a pass in between starts the count again", () => {
    const steps = run([pass(1_000), fail(2_000), pass(3_000), fail(4_000)]);
    expect(steps.map((s) => s.recorded)).toEqual(["up", "up", "up", "up"]);
    expect(steps[3].status).toMatchObject({ state: "up", failures: 1, failingSince: 4_000 });
    expect(steps.filter((s) => s.change)).toHaveLength(1);
  });

  it("a degraded monitor failing within retries is counted as degraded", () => {
    const monitor = { ...active, degradedMs: 100 };
    const [, failure] = run([pass(1_000, 300), fail(2_000)], monitor);
    expect(failure.recorded).toBe("degraded");
    expect(failure.change).toBeNull();
  });

  it("a new monitor failing within retries has no state to stand on: counted down, no change logged yet", () => {
    const [first, second] = run([fail(1_000), fail(2_000)]);
    expect(first).toEqual({ status: { state: null, stateSince: null, failures: 1, failingSince: 1_000 }, recorded: "down", change: null });
    expect(second.change).toEqual({ at: 2_000, from: null, to: "down", failingSince: 1_000 });
  });

  it("retries = 1 is down at the first failure, and retries below 1 count as 1", () => {
    for (const retries of [1, 0]) {
      const [, failure] = run([pass(1_000), fail(2_000)], { ...active, retries });
      expect(failure.change).toEqual({ at: 2_000, from: "up", to: "down", failingSince: 2_000 });
    }
  });

  it("retries = 3 takes three failures", () => {
    const steps = run([pass(1_000), fail(2_000), fail(3_000), fail(4_000)], { ...active, retries: 3 });
    expect(steps.map((s) => s.recorded)).toEqual(["up", "up", "up", "down"]);
    expect(steps[3].change).toEqual({ at: 4_000, from: "up", to: "down", failingSince: 2_000 });
  });
});

describe("maintenance", () => {
  const maintenance = { ...active, mode: "maintenance" as const };

  it("counts every check as maintenance, passing or failing, and clears failures", () => {
    const down: MonitorStatus = { state: "down", stateSince: 500, failures: 4, failingSince: 100 };
    const [first, second, third] = run([fail(1_000), pass(2_000), fail(3_000)], maintenance, down);
    expect(first).toEqual({
      status: { state: "maintenance", stateSince: 1_000, failures: 0, failingSince: null },
      recorded: "maintenance",
      change: { at: 1_000, from: "down", to: "maintenance", failingSince: null },
    });
    expect(second.recorded).toBe("maintenance");
    expect(third.status).toEqual({ state: "maintenance", stateSince: 1_000, failures: 0, failingSince: null });
    expect([second.change, third.change]).toEqual([null, null]);
  });

  it("after maintenance, checks count again from scratch", () => {
    const inMaintenance: MonitorStatus = { state: "maintenance", stateSince: 500, failures: 0, failingSince: null };
    const [first, second] = run([fail(1_000), fail(2_000)], active, inMaintenance);
    expect(first.recorded).toBe("down");
    expect(first.change).toBeNull();
    expect(second.change).toEqual({ at: 2_000, from: "maintenance", to: "down", failingSince: 1_000 });
  });
});

// How one check moves a monitor between states. Pure, so the rules are tested on their own:
// - a passing check is up, or degraded when slower than the monitor's degraded threshold;
// - a failing check counts towards `retries`; the monitor is down when that many fail in a row;
// - one passing check brings it back;
// - in maintenance every check counts as maintenance (left out of uptime).
import type { HealthState, MonitorMode } from "~/lib/health-vocabulary";

export type MonitorStatus = {
  state: HealthState | null;
  stateSince: number | null;
  failures: number;
  failingSince: number | null;
};

export type CheckOutcome = { at: number; ok: boolean; latencyMs: number | null };

export type StateChange = { at: number; from: HealthState | null; to: HealthState; failingSince: number | null };

export type Step = {
  status: MonitorStatus;
  /** The state this check is counted as in raw results and rollups. */
  recorded: HealthState;
  change: StateChange | null;
};

export function step(
  status: MonitorStatus,
  monitor: { mode: MonitorMode; retries: number; degradedMs: number | null },
  check: CheckOutcome,
): Step {
  if (monitor.mode === "maintenance") {
    const next: MonitorStatus = { state: "maintenance", stateSince: status.state === "maintenance" ? status.stateSince : check.at, failures: 0, failingSince: null };
    return { status: next, recorded: "maintenance", change: changeOf(status, next, check.at, null) };
  }
  if (check.ok) {
    const slow = monitor.degradedMs != null && check.latencyMs != null && check.latencyMs > monitor.degradedMs;
    const state: HealthState = slow ? "degraded" : "up";
    const next: MonitorStatus = { state, stateSince: status.state === state ? status.stateSince : check.at, failures: 0, failingSince: null };
    return { status: next, recorded: state, change: changeOf(status, next, check.at, null) };
  }
  const failures = status.failures + 1;
  const failingSince = status.failingSince ?? check.at;
  if (failures >= Math.max(1, monitor.retries) || status.state === "down") {
    const next: MonitorStatus = { state: "down", stateSince: status.state === "down" ? status.stateSince : check.at, failures, failingSince };
    return { status: next, recorded: "down", change: changeOf(status, next, check.at, failingSince) };
  }
  // Still within retries: the state stands. A monitor with no checked state yet (new, or just
  // back from a pause) has none to stand on, so the check counts as what it was.
  const standing = status.state === "up" || status.state === "degraded" ? status.state : "down";
  return { status: { ...status, failures, failingSince }, recorded: standing, change: null };
}

function changeOf(before: MonitorStatus, after: MonitorStatus, at: number, failingSince: number | null): StateChange | null {
  if (before.state === after.state || after.state === null) return null;
  return { at, from: before.state, to: after.state, failingSince };
}

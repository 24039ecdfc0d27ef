// The vocabulary of health history: monitor kinds, states and where a state change came from.
// Shared by schema, validation, the checker and the pages (no server-only imports here).

export const MONITOR_TYPES = ["http", "tcp", "push", "alert"] as const;
export type MonitorType = (typeof MONITOR_TYPES)[number];
export const MONITOR_TYPE_LABELS: Record<MonitorType, string> = {
  http: "HTTP(S)",
  tcp: "TCP port",
  push: "Push (heartbeat)",
  alert: "Alert rule (Alertmanager / Grafana)",
};

/** What a person set: check it, stop checking it, or check it but count nothing against uptime. */
export const MONITOR_MODES = ["active", "paused", "maintenance"] as const;
export type MonitorMode = (typeof MONITOR_MODES)[number];

export const HEALTH_STATES = ["up", "degraded", "down", "paused", "maintenance"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];
export const HEALTH_STATE_LABELS: Record<HealthState, string> = {
  up: "Up",
  degraded: "Degraded",
  down: "Down",
  paused: "Paused",
  maintenance: "Maintenance",
};

/** Worst first: a service is as healthy as its least healthy monitor; a day is coloured by its worst moment. */
const SEVERITY_ORDER: Record<HealthState, number> = { down: 4, degraded: 3, maintenance: 2, up: 1, paused: 0 };
export function worstState(states: Iterable<HealthState | null | undefined>): HealthState | null {
  let worst: HealthState | null = null;
  for (const state of states) {
    if (state && (worst === null || SEVERITY_ORDER[state] > SEVERITY_ORDER[worst])) worst = state;
  }
  return worst;
}

export const STATE_CHANGE_SOURCES = ["check", "push", "alertmanager", "grafana", "manual", "example"] as const;
export type StateChangeSource = (typeof STATE_CHANGE_SOURCES)[number];

export const ROLLUP_RESOLUTIONS = ["minute", "hour", "day"] as const;
export type RollupResolution = (typeof ROLLUP_RESOLUTIONS)[number];
export const RESOLUTION_MS: Record<RollupResolution, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Periods of a service page's latency chart, with the rollup each is drawn from. */
export const LATENCY_RANGES = {
  "24h": { label: "24 hours", ms: RESOLUTION_MS.day, resolution: "minute" },
  "7d": { label: "7 days", ms: 7 * RESOLUTION_MS.day, resolution: "hour" },
  "30d": { label: "30 days", ms: 30 * RESOLUTION_MS.day, resolution: "hour" },
  "90d": { label: "90 days", ms: 90 * RESOLUTION_MS.day, resolution: "day" },
} as const satisfies Record<string, { label: string; ms: number; resolution: RollupResolution }>;
export type LatencyRange = keyof typeof LATENCY_RANGES;

/** Uptime counts degraded time as available (slow, not broken) and leaves maintenance out entirely. */
export function uptimePercent(counts: { up: number; degraded: number; down: number }): number | null {
  const total = counts.up + counts.degraded + counts.down;
  return total === 0 ? null : ((counts.up + counts.degraded) / total) * 100;
}

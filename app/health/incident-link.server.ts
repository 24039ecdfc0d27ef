// What ties health history to incidents: copying a window's state changes into the timeline.
import { and, eq, isNotNull, isNull } from "drizzle-orm";

import type { Author } from "~/auth/actor";
import { getDb } from "~/db/client.server";
import { timelineEntries, type IncidentRow } from "~/db/schema";
import { HEALTH_STATE_LABELS } from "~/lib/health-vocabulary";
import { formatTime } from "~/lib/time";
import { addTimelineEntry } from "~/models/timeline.server";

import { incidentHealthWindows, type HealthWindow } from "./evidence.server";
import type { StateChangeView } from "./history.server";

export const MONITOR_AUTHOR = "Hindsight monitor";

const SOURCE_LABELS: Record<StateChangeView["source"], string> = {
  check: "check",
  push: "heartbeat",
  alertmanager: "Alertmanager",
  grafana: "Grafana",
  manual: "set by hand",
  example: "example data",
};

/** The sentence a state change becomes in the timeline. */
export function stateChangeText(window: Pick<HealthWindow, "serviceName">, change: StateChangeView, zone: string): string {
  const from = change.from ? HEALTH_STATE_LABELS[change.from].toLowerCase() : "no data";
  const parts = [`Monitor "${change.monitorName}" (${window.serviceName}) went from ${from} to ${HEALTH_STATE_LABELS[change.to].toLowerCase()} (${SOURCE_LABELS[change.source]}).`];
  if (change.failingSince != null && change.failingSince < change.at) parts.push(`Checks had been failing since ${formatTime(change.failingSince, zone)}.`);
  if (change.message) parts.push(change.message.endsWith(".") ? change.message : `${change.message}.`);
  return parts.join(" ");
}

/** State changes in the incident's health windows that are not in its timeline yet. */
export function pendingMonitorEvents(incident: IncidentRow, windows = incidentHealthWindows(incident)) {
  const added = new Set(
    getDb()
      .select({ id: timelineEntries.stateChangeId })
      .from(timelineEntries)
      .where(and(eq(timelineEntries.incidentId, incident.id), isNotNull(timelineEntries.stateChangeId), isNull(timelineEntries.deletedAt)))
      .all()
      .map((row) => row.id),
  );
  // A monitor's first state (from no data) says it started watching, not that anything happened.
  return windows.flatMap((window) => window.changes.filter((change) => change.from !== null && !added.has(change.id)).map((change) => ({ window, change })));
}

/** Adds the windows' state changes to the timeline as detection entries from the monitor; returns how many. */
export function addMonitorEventsToTimeline(incident: IncidentRow, author: Author, now = Date.now()): number {
  const pending = pendingMonitorEvents(incident);
  return getDb().transaction(() => {
    for (const { window, change } of pending) {
      addTimelineEntry(
        incident.id,
        { occurredAt: change.at, kind: "detection", text: stateChangeText(window, change, incident.timeZone), author: MONITOR_AUTHOR },
        author,
        now,
        { stateChangeId: change.id },
      );
    }
    return pending.length;
  });
}

import { eq } from "drizzle-orm";

import { SYSTEM_AUTHOR } from "~/auth/actor";
import { getDb } from "~/db/client.server";
import { settings } from "~/db/schema";
import { EXAMPLE_NOW, loadExampleHealth } from "~/health/example.server";
import { saveEvidence } from "~/health/evidence.server";
import { exampleActions, exampleIncident, exampleTimeline } from "~/postmortem/example";

import { addAction } from "./actions.server";
import { countIncidents, createIncident } from "./incidents.server";
import { addTimelineEntry } from "./timeline.server";

const EXAMPLE_KEY = "example_loaded_at";

/**
 * Loads the example incident into a database that has never held one. Recorded
 * in settings, so an example the team deleted does not come back on restart.
 */
export function loadExampleOnFirstStart(now = Date.now()): number | null {
  const db = getDb();
  if (db.select().from(settings).where(eq(settings.key, EXAMPLE_KEY)).get()) return null;
  if (countIncidents() > 0) return null;
  return db.transaction(() => {
    // Services first, so the incident links to the example services with their history.
    loadExampleHealth(now);
    const incident = createIncident(exampleIncident, SYSTEM_AUTHOR, now);
    for (const entry of exampleTimeline) addTimelineEntry(incident.id, entry, SYSTEM_AUTHOR, now);
    for (const action of exampleActions) addAction(incident.id, action, SYSTEM_AUTHOR, now);
    // Saved as the incident's evidence as of the example's own day, while its minute detail exists.
    saveEvidence(incident.id, EXAMPLE_NOW);
    db.insert(settings).values({ key: EXAMPLE_KEY, value: new Date(now).toISOString() }).run();
    return incident.id;
  });
}

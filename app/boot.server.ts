import { getDb } from "~/db/client.server";
import { readConfig, type Config } from "~/lib/config.server";
import { loadExampleOnFirstStart } from "~/models/example.server";

/**
 * Everything the server does once before it listens: read and check the
 * configuration, open and migrate the database, load the example on first start.
 * Throws ConfigError with readable messages on bad settings.
 */
export function boot(): Config & { exampleIncidentId: number | null } {
  const config = readConfig();
  getDb();
  const exampleIncidentId = config.loadExample ? loadExampleOnFirstStart() : null;
  return { ...config, exampleIncidentId };
}

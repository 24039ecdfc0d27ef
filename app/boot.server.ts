import { getDb } from "~/db/client.server";
import { ConfigError, readConfig, type Config } from "~/lib/config.server";
import { claimPidFile } from "~/lib/pidfile.server";
import { sessionSecret } from "~/auth/secret.server";
import { startMonitoring } from "~/health/scheduler.server";
import { loadExampleOnFirstStart } from "~/models/example.server";
import { countUsers } from "~/models/users.server";

/**
 * Everything the server does once before it listens: read and check the
 * configuration, open and migrate the database, load the example on first start.
 * Throws ConfigError with readable messages on bad settings.
 */
export function boot(): Omit<Config, "sessionSecret"> & { exampleIncidentId: number | null; needsSetup: boolean; release: () => void } {
  const { sessionSecret: _secret, ...config } = readConfig();
  try {
    getDb();
  } catch (error) {
    throw new ConfigError([`DATABASE_PATH: cannot open a database at ${config.databasePath}: ${(error as Error).message}`]);
  }
  sessionSecret();
  const release = claimPidFile(config.databasePath);
  const exampleIncidentId = config.loadExample ? loadExampleOnFirstStart() : null;
  if (config.monitor) startMonitoring();
  return { ...config, exampleIncidentId, needsSetup: countUsers() === 0, release };
}

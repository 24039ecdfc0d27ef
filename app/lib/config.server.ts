import path from "node:path";

import { z } from "zod";

// Configuration comes from the environment and is checked once, at start, so a
// typo in PORT fails with a sentence instead of a stack trace.

const configSchema = z.object({
  PORT: z.coerce
    .number({ error: "PORT must be a number" })
    .int("PORT must be a whole number")
    .min(0, "PORT must be between 0 and 65535 (0 picks a free port)")
    .max(65535, "PORT must be between 0 and 65535 (0 picks a free port)")
    .default(3000),
  HOST: z
    .string()
    .trim()
    .min(1, "HOST must not be empty when set")
    // Local only until accounts exist: nothing here asks who you are yet.
    .default("127.0.0.1"),
  DATABASE_PATH: z
    .string()
    .trim()
    .min(1, "DATABASE_PATH must not be empty when set")
    .default("./data/hindsight.db"),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  TRUST_PROXY: z.enum(["0", "1", "true", "false"], { error: "TRUST_PROXY must be 0 or 1" }).default("0"),
  MONITOR: z.enum(["0", "1", "true", "false"], { error: "MONITOR must be 0 (checks off) or 1" }).default("1"),
  HEALTH_RAW_DAYS: z.coerce
    .number({ error: "HEALTH_RAW_DAYS must be a number of days" })
    .int("HEALTH_RAW_DAYS must be a whole number of days")
    .min(1, "HEALTH_RAW_DAYS must be between 1 and 365")
    .max(365, "HEALTH_RAW_DAYS must be between 1 and 365")
    .default(7),
  ALERT_SERVICE_LABELS: z
    .string()
    .trim()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*(\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*$/, "ALERT_SERVICE_LABELS must be label names separated by commas, e.g. service,job")
    .default("service,job"),
  HINDSIGHT_EXAMPLE: z
    .enum(["0", "1", "true", "false"], { error: "HINDSIGHT_EXAMPLE must be 0 or 1" })
    .default("1"),
});

export type Config = {
  port: number;
  host: string;
  databasePath: string;
  loadExample: boolean;
  sessionSecret: string | null;
  /** Run monitors' checks in the server process (MONITOR=0 turns them off; push and ingest still work). */
  monitor: boolean;
  /** Alert labels naming the service an Alertmanager/Grafana alert is about, first match wins. */
  alertServiceLabels: string[];
  /** Days raw check results are kept before only rollups remain. */
  healthRawDays: number;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for login throttling). */
  trustProxy: boolean;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Configuration error:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in configSchema.shape && value !== ""),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        // Never echo a secret back into logs.
        const shown = key === "SESSION_SECRET" ? "" : ` (got "${env[key]}")`;
        return `${key}: ${issue.message}${shown}`;
      }),
    );
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    databasePath: path.resolve(values.DATABASE_PATH),
    loadExample: values.HINDSIGHT_EXAMPLE === "1" || values.HINDSIGHT_EXAMPLE === "true",
    sessionSecret: values.SESSION_SECRET ?? null,
    monitor: values.MONITOR === "1" || values.MONITOR === "true",
    healthRawDays: values.HEALTH_RAW_DAYS,
    alertServiceLabels: values.ALERT_SERVICE_LABELS.split(",").map((label) => label.trim()),
    trustProxy: values.TRUST_PROXY === "1" || values.TRUST_PROXY === "true",
  };
}

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import { readConfig } from "~/lib/config.server";

let cached: string | undefined;

/**
 * SESSION_SECRET from the environment; without it, a random secret generated
 * once and kept beside the database, so `npm start` just works and sessions
 * survive restarts.
 */
export function sessionSecret(): string {
  if (cached) return cached;
  const config = readConfig();
  if (config.sessionSecret) return (cached = config.sessionSecret);
  const file = path.join(path.dirname(config.databasePath), "session-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
      cached = secret;
    } catch {
      // Another process wrote it first: use theirs.
      cached = fs.readFileSync(file, "utf8").trim();
    }
  }
  return cached!;
}

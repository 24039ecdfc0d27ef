import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";

import { readConfig } from "~/lib/config.server";

import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** Finds drizzle/ whether this file runs from app/ (tests, CLI) or from build/ (server). */
function migrationsFolder(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = path.join(directory, "drizzle");
    if (fs.existsSync(path.join(candidate, "meta", "_journal.json"))) return candidate;
    directory = path.dirname(directory);
  }
  throw new Error("Could not find the drizzle/ migrations folder");
}

/** Opens (creating if needed) and migrates a database file. */
export function openDatabase(databasePath: string): Db {
  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const sqlite = new Database(databasePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsFolder() });
  return db;
}

let instance: Db | undefined;

/** The app's database, opened (and migrated) once per process from DATABASE_PATH. */
export function getDb(): Db {
  instance ??= openDatabase(readConfig().databasePath);
  return instance;
}

export function closeDb() {
  instance?.$client.close();
  instance = undefined;
}

import fs from "node:fs";
import path from "node:path";

import Database from "better-sqlite3";

import { closeDb, getDb, openDatabase } from "~/db/client.server";
import { readConfig } from "~/lib/config.server";
import { runningServerPid } from "~/lib/pidfile.server";

import { CommandError } from "./errors";

function integrityProblems(file: string): string | null {
  let database: Database.Database | undefined;
  try {
    database = new Database(file, { readonly: true, fileMustExist: true });
    const rows = database.pragma("integrity_check") as { integrity_check: string }[];
    const problems = rows.map((row) => row.integrity_check).filter((text) => text !== "ok");
    if (problems.length) return problems.slice(0, 5).join("; ");
    const tables = database.prepare("select name from sqlite_master where type = 'table' and name in ('incidents', '__drizzle_migrations')").all();
    if (tables.length < 2) return "it is an SQLite database but not a Hindsight one (no incidents or migrations table)";
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    database?.close();
  }
}

/**
 * SQLite's online backup API through better-sqlite3: a consistent snapshot
 * while the server keeps writing (writers are not blocked; the copy restarts
 * pages that change under it).
 */
export async function backup(target: string, options: { force: boolean }) {
  const file = path.resolve(target);
  if (fs.existsSync(file) && !options.force) throw new CommandError(`${file} already exists; pass --force to overwrite it`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const started = Date.now();
  const temporary = `${file}.partial-${process.pid}`;
  try {
    await getDb().$client.backup(temporary);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new CommandError(`backup failed: ${(error as Error).message}`);
  } finally {
    closeDb();
  }
  const problem = integrityProblems(temporary);
  if (problem) {
    fs.rmSync(temporary, { force: true });
    throw new CommandError(`the copy failed its integrity check: ${problem}`);
  }
  fs.renameSync(temporary, file);
  const size = fs.statSync(file).size;
  console.log(`Backed up ${readConfig().databasePath} to ${file} (${(size / 1e6).toFixed(1)} MB, integrity ok, ${Date.now() - started} ms)`);
}

export function restore(source: string) {
  const file = path.resolve(source);
  const { databasePath } = readConfig();
  if (!fs.existsSync(file)) throw new CommandError(`${file} does not exist`);
  const pid = runningServerPid(databasePath);
  if (pid) throw new CommandError(`the server (pid ${pid}) is running on ${databasePath}: stop it first, then restore`);
  const problem = integrityProblems(file);
  if (problem) throw new CommandError(`${file} cannot be restored: ${problem}`);

  fs.mkdirSync(path.dirname(databasePath), { recursive: true });
  const temporary = `${databasePath}.restore-${process.pid}`;
  fs.copyFileSync(file, temporary);
  // The old database's write-ahead log belongs to the old file: it must not be replayed onto the restored one.
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${databasePath}${suffix}`, { force: true });
  fs.renameSync(temporary, databasePath);
  // Bring an older backup up to the current schema now, not on the next start.
  openDatabase(databasePath).$client.close();
  console.log(`Restored ${databasePath} from ${file} (integrity ok)`);
}

// Data that was acknowledged stays: through a backup taken under load, and
// through the server being killed with SIGKILL in the middle of a stream of writes.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "hindsight-durability-"));
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

function cli(args: string[], databasePath: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/hindsight.js", ...args], {
      cwd: path.resolve("."),
      env: { ...process.env, DATABASE_PATH: databasePath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

async function createIncident(server: TestServer): Promise<number> {
  const response = await server.fetch("/api/incidents", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ title: "Write stream", severity: "SEV3", timeZone: "UTC", startedAt: "2024-06-09T10:00:00Z" }),
  });
  expect(response.status).toBe(201);
  return (await response.json()).id;
}

/** Posts timeline entries one after another from `workers` parallel loops, recording every acknowledged id. */
function writeStream(server: TestServer, incidentId: number, total: number, workers: number) {
  const acknowledged: number[] = [];
  let next = 0;
  let failures = 0;
  let stop = false;
  const worker = async () => {
    while (!stop && next < total) {
      const index = next++;
      try {
        const response = await server.fetch(`/api/incidents/${incidentId}/timeline`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ occurredAt: "2024-06-09T10:05:00Z", text: `write ${index}` }),
        });
        if (response.status === 201) acknowledged.push((await response.json()).id);
        else failures++;
      } catch {
        failures++;
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return { acknowledged, done, halt: () => (stop = true), failures: () => failures };
}

function liveEntryIds(databasePath: string): Set<number> {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    return new Set((db.prepare("select id from timeline_entries").all() as { id: number }[]).map((row) => row.id));
  } finally {
    db.close();
  }
}

async function until(condition: () => boolean, what: string) {
  for (let tries = 0; tries < 600 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!condition()) throw new Error(`gave up waiting for ${what}`);
}

describe("backup while the API is being written to", () => {
  it("restores to a database that passes integrity_check and holds every write acknowledged before the backup began", async () => {
    const server = await startServer();
    try {
      const incidentId = await createIncident(server);
      const stream = writeStream(server, incidentId, 100_000, 4);
      await until(() => stream.acknowledged.length >= 150, "150 acknowledged writes");

      const beforeBackup = [...stream.acknowledged];
      const backupFile = path.join(directory, "during-writes.db");
      const backup = await cli(["backup", backupFile], server.databasePath);
      stream.halt();
      await stream.done;
      expect(backup.code, backup.output).toBe(0);
      expect(backup.output).toContain("integrity ok");

      // Restoring onto a live server's database is refused.
      const refused = await cli(["restore", backupFile], server.databasePath);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/server \(pid \d+\) is running/);

      const restoredPath = path.join(directory, "restored", "hindsight.db");
      const restore = await cli(["restore", backupFile], restoredPath);
      expect(restore.code, restore.output).toBe(0);
      const db = new Database(restoredPath, { readonly: true });
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      db.close();
      const restored = liveEntryIds(restoredPath);
      const missing = beforeBackup.filter((id) => !restored.has(id));
      expect(missing).toEqual([]);
      expect(restored.size).toBeGreaterThanOrEqual(beforeBackup.length);
    } finally {
      await server.stop();
    }
  });

  it("refuses a file that is not a sound Hindsight database, leaving the current one alone", async () => {
    const target = path.join(directory, "untouched.db");
    fs.writeFileSync(path.join(directory, "garbage.db"), "this is not a database");
    const result = await cli(["restore", path.join(directory, "garbage.db")], target);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/cannot be restored: file is not a database/);
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe("SIGKILL in the middle of 1,000 API writes", () => {
  it("loses no write that was acknowledged", async () => {
    const server = await startServer();
    const incidentId = await createIncident(server);
    const stream = writeStream(server, incidentId, 1_000, 8);
    await until(() => stream.acknowledged.length >= 400, "400 acknowledged writes");
    server.process.kill("SIGKILL");
    await stream.done;
    const acknowledged = [...stream.acknowledged];
    expect(acknowledged.length).toBeLessThan(1_000);
    expect(stream.failures(), "some writes were cut off by the kill").toBeGreaterThan(0);

    const restarted = await startServer({ DATABASE_PATH: server.databasePath }, { accounts: false });
    try {
      const response = await fetch(`${restarted.url}/api/incidents/${incidentId}`, { headers: { Authorization: `Bearer ${server.tokens.read}` } });
      expect(response.status).toBe(200);
      const stored = new Set(((await response.json()).timeline as { id: number }[]).map((entry) => entry.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });
});

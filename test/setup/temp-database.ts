// Every test file gets its own empty SQLite file: the app's getDb() reads
// DATABASE_PATH lazily, and vitest runs each file in a fresh module graph.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll } from "vitest";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "hindsight-test-"));
process.env.DATABASE_PATH = path.join(directory, "test.db");
process.env.HINDSIGHT_EXAMPLE = "0";
process.env.TZ ??= "UTC";

afterAll(async () => {
  const { closeDb } = await import("~/db/client.server");
  closeDb();
  fs.rmSync(directory, { recursive: true, force: true });
});

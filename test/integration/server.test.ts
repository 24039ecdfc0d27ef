// The real server process: first start, configuration errors, data kept across restarts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { runServerExpectingExit, startServer } from "../helpers/server";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "hindsight-start-"));
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

describe("first start", () => {
  it("creates the database folder, migrates, and loads the example incident once", async () => {
    const databasePath = path.join(directory, "nested", "folder", "hindsight.db");
    const first = await startServer({ DATABASE_PATH: databasePath, HINDSIGHT_EXAMPLE: "1" });
    try {
      expect(fs.existsSync(databasePath)).toBe(true);
      const { incidents } = await (await first.fetch("/api/incidents")).json();
      expect(incidents).toHaveLength(1);
      expect(incidents[0]).toMatchObject({ timeZone: "GMT+3", impactPercent: 45, startedAt: "2024-06-09T16:20:00+03:00" });
      const page = await (await first.fetch(`/incidents/${incidents[0].id}/timeline`)).text();
      expect(page).toContain("4:20 PM GMT+3");
      expect(page).toContain("+50m");
      // The team deletes the example; a restart must not bring it back.
      expect((await first.fetch(`/api/incidents/${incidents[0].id}`, { method: "DELETE" })).status).toBe(204);
    } finally {
      await first.stop();
    }
    const second = await startServer({ DATABASE_PATH: databasePath, HINDSIGHT_EXAMPLE: "1" }, { accounts: false });
    try {
      const api = await fetch(`${second.url}/api/incidents`, { headers: { Authorization: `Bearer ${first.tokens.read}` } });
      expect((await api.json()).incidents).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it("starts empty with HINDSIGHT_EXAMPLE=0", async () => {
    const server = await startServer({ HINDSIGHT_EXAMPLE: "0" });
    try {
      expect((await (await server.fetch("/api/incidents")).json()).incidents).toEqual([]);
      const dashboard = await server.fetch("/");
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain("No incident is open.");
    } finally {
      await server.stop();
    }
  });

  it("answers unknown pages with 404 and sends safety headers", async () => {
    const server = await startServer();
    try {
      const missing = await server.fetch("/incidents/424242");
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain("does not exist");
      const page = await server.fetch("/incidents");
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("x-powered-by")).toBeNull();
    } finally {
      await server.stop();
    }
  });
});

describe("configuration errors", () => {
  it.each([
    [{ PORT: "abc" }, /PORT: PORT must be a number \(got "abc"\)/],
    [{ PORT: "70000" }, /PORT must be between 0 and 65535/],
    [{ HINDSIGHT_EXAMPLE: "maybe" }, /HINDSIGHT_EXAMPLE must be 0 or 1/],
    [{ DATABASE_PATH: directory }, /DATABASE_PATH: cannot open a database at/],
    [{ SESSION_SECRET: "short" }, /SESSION_SECRET must be at least 32 characters$/m],
  ])("refuses %o with a sentence and exit code 1", async (env, message) => {
    const { code, output } = await runServerExpectingExit({ DATABASE_PATH: path.join(directory, "bad.db"), ...env });
    expect(code).toBe(1);
    expect(output).toMatch(/Configuration error/);
    expect(output).toMatch(message);
    expect(output).not.toMatch(/at .*\.js:\d+/);
  });
});

describe("a port already taken", () => {
  it("says so and exits 1 instead of printing a stack trace", async () => {
    const first = await startServer();
    try {
      const port = new URL(first.url).port;
      const { code, output } = await runServerExpectingExit({ PORT: port, DATABASE_PATH: path.join(directory, "second.db") });
      expect(code).toBe(1);
      expect(output).toContain(`Port ${port} is already in use`);
    } finally {
      await first.stop();
    }
  });
});


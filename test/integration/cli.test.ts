// npx hindsight: users and tokens made on the command line work on the real server.
import { spawn } from "node:child_process";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

function hindsight(args: string[], options: { databasePath: string; input?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/hindsight.js", ...args], {
      cwd: path.resolve("."),
      env: { ...process.env, DATABASE_PATH: options.databasePath },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

async function canLogIn(email: string, password: string): Promise<boolean> {
  const response = await server.fetch("/login", { method: "POST", as: "anonymous", body: new URLSearchParams({ email, password }) });
  return response.status === 302;
}

describe("npx hindsight user create", () => {
  it("takes the password from standard input, and the user can log in with it", async () => {
    const result = await hindsight(["user", "create", "--email", "ana@example.com", "--name", "Ana Lima", "--role", "editor"], {
      databasePath: server.databasePath,
      input: "a piped password\n",
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Created editor Ana Lima <ana@example.com>");
    expect(result.stdout).not.toContain("a piped password");
    expect(await canLogIn("ana@example.com", "a piped password")).toBe(true);
  });

  it("generates and prints a password when none is piped", async () => {
    const result = await hindsight(["user", "create", "--email", "bo@example.com", "--name", "Bo", "--role", "viewer"], { databasePath: server.databasePath });
    expect(result.code, result.stderr).toBe(0);
    const password = /Password \(shown once\): (\S+)/.exec(result.stdout)?.[1];
    expect(password).toHaveLength(20);
    expect(await canLogIn("bo@example.com", password!)).toBe(true);
  });

  it.each([
    [["user", "create", "--email", "not-an-email", "--name", "X", "--role", "admin"], /--email must be an email address/],
    [["user", "create", "--email", "x@example.com", "--name", "X", "--role", "owner"], /--role must be one of viewer, editor, admin/],
    [["user", "create", "--email", "x@example.com", "--role", "admin"], /--name is required/],
    [["user", "create", "--email", "x@example.com", "--name", "X", "--role", "admin", "--colour", "red"], /Unknown option '--colour'/],
    [["token", "create", "--name", "ci", "--scope", "everything"], /--scope must be one of read, write, ingest/],
    [["backup"], /backup takes one FILE/],
    [["frobnicate"], /Unknown command "frobnicate"/],
  ])("refuses %j with a clear message and exit code 2", async (args, message) => {
    const result = await hindsight(args, { databasePath: server.databasePath });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("refuses a duplicate email with exit code 1", async () => {
    const result = await hindsight(["user", "create", "--email", server.users.admin.email.toUpperCase(), "--name", "Again", "--role", "admin"], {
      databasePath: server.databasePath,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/already exists/);
  });
});

describe("npx hindsight token create", () => {
  it("prints a token once, on stdout alone, with the scope asked for", async () => {
    const result = await hindsight(["token", "create", "--name", "alertmanager", "--scope", "read"], { databasePath: server.databasePath });
    expect(result.code, result.stderr).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^hs_[\w-]{40,}$/);
    const headers = { Authorization: `Bearer ${token}` };
    expect((await server.fetch("/api/incidents", { as: "anonymous", headers })).status).toBe(200);
    const write = await server.fetch("/api/incidents", { method: "POST", as: "anonymous", headers: { ...headers, "Content-Type": "application/json" }, body: "{}" });
    expect(write.status).toBe(403);
  });
});

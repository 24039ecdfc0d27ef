// Starts the built server (node server.js) as a real process on a free port with
// its own database file, as a user would run it.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import Database from "better-sqlite3";

import { hashPassword } from "~/auth/password.server";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export type Role = "admin" | "editor" | "viewer";
export type Scope = "read" | "write" | "ingest";

export type TestServer = {
  url: string;
  databasePath: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
  /** Accounts seeded into the server's database (unless started with accounts: false). */
  users: Record<Role, { email: string; password: string; name: string }>;
  tokens: Record<Scope, string>;
  /** fetch against the server: API paths carry the write token, pages an admin session, unless `as` says otherwise. */
  fetch: (path: string, init?: RequestInit & { as?: Role | Scope | "anonymous" }) => Promise<Response>;
  /** Logs in through POST /login and returns the session cookie ("name=value"). */
  login: (role: Role) => Promise<string>;
};

export const TEST_PASSWORD = "correct horse battery staple";

const ACCOUNTS: Record<Role, { email: string; name: string }> = {
  admin: { email: "ada.admin@example.com", name: "Ada Admin" },
  editor: { email: "eve.editor@example.com", name: "Eve Editor" },
  viewer: { email: "vic.viewer@example.com", name: "Vic Viewer" },
};

/** Writes users and API tokens straight into the (migrated) database file, as the CLI would. */
async function seedAccounts(databasePath: string) {
  const passwordHash = await hashPassword(TEST_PASSWORD);
  const tokens = {} as Record<Scope, string>;
  const db = new Database(databasePath);
  try {
    db.pragma("busy_timeout = 5000");
    const now = Date.now();
    const insertUser = db.prepare("insert into users (email, name, role, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?)");
    for (const [role, account] of Object.entries(ACCOUNTS)) insertUser.run(account.email, account.name, role, passwordHash, now, now);
    const insertToken = db.prepare("insert into api_tokens (name, token_hash, prefix, scope, created_at) values (?, ?, ?, ?, ?)");
    for (const scope of ["read", "write", "ingest"] as Scope[]) {
      const token = `hs_${randomBytes(24).toString("base64url")}`;
      tokens[scope] = token;
      insertToken.run(`test ${scope}`, createHash("sha256").update(token).digest("hex"), token.slice(0, 10), scope, now);
    }
  } finally {
    db.close();
  }
  const users = Object.fromEntries(Object.entries(ACCOUNTS).map(([role, account]) => [role, { ...account, password: TEST_PASSWORD }])) as TestServer["users"];
  return { users, tokens };
}

export function assertBuilt() {
  if (!fs.existsSync(path.join(ROOT, "build", "index.js"))) {
    throw new Error("No build/ found: run `npm run build` first (npm test does it for you)");
  }
}

export async function startServer(env: Record<string, string> = {}, options: { accounts?: boolean } = {}): Promise<TestServer> {
  assertBuilt();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "hindsight-server-"));
  const databasePath = env.DATABASE_PATH ?? path.join(directory, "hindsight.db");
  const child = spawn(process.execPath, ["server.js"], {
    cwd: ROOT,
    env: { ...process.env, HINDSIGHT_EXAMPLE: "0", PORT: "0", HOST: "127.0.0.1", ...env, DATABASE_PATH: databasePath },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start in time:\n${output}`)), 20_000);
    const check = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace("localhost", "127.0.0.1"));
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code}:\n${output}`));
    });
  });

  const seeded = options.accounts === false ? { users: {} as TestServer["users"], tokens: {} as TestServer["tokens"] } : await seedAccounts(databasePath);
  const sessions = new Map<Role, string>();

  async function login(role: Role): Promise<string> {
    const account = seeded.users[role];
    const response = await fetch(`${url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: account.email, password: account.password, redirectTo: "/" }),
      redirect: "manual",
    });
    const cookie = response.headers.get("set-cookie")?.split(";")[0];
    if (response.status !== 302 || !cookie) throw new Error(`Logging in as ${role} answered ${response.status}`);
    return cookie;
  }

  async function serverFetch(target: string, init: RequestInit & { as?: Role | Scope | "anonymous" } = {}) {
    const { as, ...rest } = init;
    const headers = new Headers(rest.headers);
    const who = as ?? (target.startsWith("/api/") ? "write" : "admin");
    if (who === "read" || who === "write" || who === "ingest") headers.set("Authorization", `Bearer ${seeded.tokens[who]}`);
    else if (who !== "anonymous") {
      if (!sessions.has(who)) sessions.set(who, await login(who));
      headers.set("Cookie", sessions.get(who)!);
    }
    return fetch(url + target, { redirect: "manual", ...rest, headers });
  }

  return {
    url,
    databasePath,
    process: child,
    output: () => output,
    users: seeded.users,
    tokens: seeded.tokens,
    fetch: serverFetch,
    login,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => {
          fs.rmSync(directory, { recursive: true, force: true });
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Runs server.js to completion (for start-up failures), returning its exit code and output. */
export function runServerExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  assertBuilt();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["server.js"], {
      cwd: ROOT,
      env: { ...process.env, HINDSIGHT_EXAMPLE: "0", HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

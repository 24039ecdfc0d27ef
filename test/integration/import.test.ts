// Importing Markdown postmortems through the API, the page and the CLI, on a real server.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

const SEED = fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "seed-postmortem.md"), "utf8");

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const importRequest = (query: string, body: string, as: "write" | "read" | "viewer" = "write", type = "text/markdown") =>
  server.fetch(`/api/import${query}`, { method: "POST", as, headers: { "Content-Type": type }, body });

describe("POST /api/import", () => {
  it("a dry run answers the parsed incident with warnings and writes nothing", async () => {
    const before = (await (await server.fetch("/api/incidents")).json()).total;
    const response = await importRequest("?dryRun=true", SEED);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.timeline).toHaveLength(8);
    expect(body.timeline[0].occurredAt).toBe("2024-06-09T16:20:00+03:00");
    expect(body.impactPercent).toBe(45);
    expect(body.actions).toHaveLength(4);
    expect(body.warnings.map((warning: { code: string }) => warning.code)).toContain("ambiguous-date");
    expect(body.unplaced).toContain("DevOps SysAdmin");
    expect((await (await server.fetch("/api/incidents")).json()).total).toBe(before);
  });

  it("saves the incident with its timeline and actions, and exports it back with every section", async () => {
    const response = await importRequest("", SEED);
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(response.headers.get("location")).toBe(`/api/incidents/${body.id}`);
    expect(body).toMatchObject({ title: "0x19. Postmortem", timeZone: "GMT+3", impactPercent: 45 });
    expect(body.timeline).toHaveLength(8);
    expect(body.actions).toHaveLength(4);
    const markdown = await (await server.fetch(`/incidents/${body.id}/postmortem.md`)).text();
    expect(markdown).toContain("## Unplaced Notes");
    expect(markdown).toContain("DevOps SysAdmin");
    const history = await (await server.fetch(`/incidents/${body.id}/history`)).text();
    expect(history).toContain('API token &quot;test write&quot;');
  });

  it("reads a document with no zone in the zone asked for", async () => {
    const document = "# Queue backlog\n\n## Timeline\n\n- 2024-03-01 10:00 queue depth alert\n";
    const body = await (await importRequest("?dryRun=true&zone=GMT%2B1", document)).json();
    expect(body.timeline[0].occurredAt).toBe("2024-03-01T10:00:00+01:00");
    expect(body.warnings.map((warning: { code: string }) => warning.code)).toContain("no-zone");
  });

  it("refuses what it cannot take, with the reason at the field", async () => {
    expect(await (await importRequest("?zone=Mars%2FBase", SEED)).json()).toEqual({ errors: { zone: expect.stringContaining("Unknown time zone") } });
    const json = await importRequest("", JSON.stringify({ markdown: SEED }), "write", "application/json");
    expect(json.status).toBe(415);
    expect((await importRequest("", "   \n")).status).toBe(400);
    expect((await importRequest("?dryRun=maybe", SEED)).status).toBe(400);
  });

  it("needs a write token or an editor: a read token and a viewer get 403", async () => {
    expect((await importRequest("?dryRun=true", SEED, "read")).status).toBe(403);
    expect((await importRequest("?dryRun=true", SEED, "viewer")).status).toBe(403);
  });
});

describe("the import page", () => {
  it("previews a pasted document and saves it as an incident", async () => {
    const fields = new URLSearchParams({ intent: "preview", markdown: SEED, zone: "UTC" });
    const preview = await server.fetch("/import", { method: "POST", as: "editor", body: fields });
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain("9 June 2024, 4:20 PM GMT+3");
    expect(page).toContain("could be read either way");
    const save = await server.fetch("/import", { method: "POST", as: "editor", body: new URLSearchParams({ intent: "save", markdown: SEED, zone: "UTC" }) });
    expect(save.status).toBe(302);
    expect(save.headers.get("location")).toMatch(/^\/incidents\/\d+$/);
  });

  it("reads several uploaded .md files at once and saves them all", async () => {
    const corpus = path.join(import.meta.dirname, "..", "fixtures", "postmortems");
    const names = ["01-dns-resolver-acl.md", "26-dkim-rotation-email.md"];
    const form = () => {
      const data = new FormData();
      data.set("zone", "UTC");
      for (const name of names) data.append("files", new Blob([fs.readFileSync(path.join(corpus, name))], { type: "text/markdown" }), name);
      return data;
    };
    const preview = await server.fetch("/import", { method: "POST", as: "editor", body: (() => { const data = form(); data.set("intent", "preview"); return data; })() });
    const page = await preview.text();
    expect(page.match(/data-testid="import-preview"/g)).toHaveLength(2);
    expect(page).toContain("Transactional email rejected after DKIM key rotation");
    const before = (await (await server.fetch("/api/incidents")).json()).total;
    const save = await server.fetch("/import", { method: "POST", as: "editor", body: (() => { const data = form(); data.set("intent", "save"); return data; })() });
    expect(save.status).toBe(302);
    expect(save.headers.get("location")).toBe("/incidents");
    expect((await (await server.fetch("/api/incidents")).json()).total).toBe(before + 2);
  });

  it("is for editors: a viewer is told so", async () => {
    const response = await server.fetch("/import", { as: "viewer" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Only editors and admins can import postmortems");
  });
});

describe("npx hindsight import", () => {
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ["bin/hindsight.js", "import", ...args], { env: { ...process.env, DATABASE_PATH: server.databasePath } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("exit", (code) => resolve({ code, stdout, stderr }));
    });
  }
  const seedPath = path.join(import.meta.dirname, "..", "fixtures", "seed-postmortem.md");

  it("--dry-run --json prints the API's shape and saves nothing", async () => {
    const before = (await (await server.fetch("/api/incidents")).json()).total;
    const result = await run(["--dry-run", "--json", seedPath]);
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.timeline).toHaveLength(8);
    expect(body.warnings.length).toBeGreaterThan(0);
    expect((await (await server.fetch("/api/incidents")).json()).total).toBe(before);
  });

  it("imports files and says what it read; a missing file is an error", async () => {
    const result = await run([seedPath]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/imported as incident #\d+: 8 timeline entries, 4 actions/);
    const missing = await run(["no-such-file.md"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read no-such-file.md: ENOENT");
    expect((await run([])).code).toBe(2);
  });
});

describe("the review checklist", () => {
  it("GET /api/incidents/:id/review flags the seed's two end times and its actions without owners", async () => {
    const imported = await (await importRequest("", SEED)).json();
    const response = await server.fetch(`/api/incidents/${imported.id}/review`, { as: "read" });
    expect(response.status).toBe(200);
    const { checks, summary } = await response.json();
    const byId = Object.fromEntries(checks.map((check: { id: string }) => [check.id, check]));
    expect(byId["stated-end-agrees"]).toMatchObject({ result: "fail", reason: expect.stringMatching(/11:10 PM GMT\+3.*5:10 PM GMT\+3/) });
    expect(byId["actions-complete"]).toMatchObject({ result: "fail", reason: expect.stringContaining("4 have no owner") });
    expect(summary.fail).toBeGreaterThanOrEqual(2);
    expect((await server.fetch("/api/incidents/999999/review", { as: "read" })).status).toBe(404);
  });

  it("is on the postmortem page", async () => {
    const imported = await (await importRequest("", SEED)).json();
    const page = await (await server.fetch(`/incidents/${imported.id}/postmortem`, { as: "viewer" })).text();
    expect(page).toContain("Review checklist");
    expect(page).toContain('data-testid="review-stated-end-agrees" data-result="fail"');
  });

  it("npx hindsight lint prints each check and exits 1 when one fails", async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ["bin/hindsight.js", "lint", path.join(import.meta.dirname, "..", "fixtures", "seed-postmortem.md")], {
        env: { ...process.env, DATABASE_PATH: server.databasePath },
      });
      let stdout = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.on("exit", (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL {2}The stated end agrees with the timeline: The summary says the outage lasted until 11:10 PM GMT\+3/);
  });
});

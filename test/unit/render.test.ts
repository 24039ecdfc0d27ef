import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { exampleActions, exampleIncident, exampleTimeline } from "~/postmortem/example";
import { renderPostmortem, type PostmortemAction, type PostmortemIncident } from "~/postmortem/render";

const GOLDEN = path.join(import.meta.dirname, "..", "fixtures", "seed-incident.golden.md");

describe("the seed incident's postmortem", () => {
  const markdown = renderPostmortem(exampleIncident, exampleTimeline, exampleActions);

  it("matches the reviewed golden file, whole", () => {
    // To accept a deliberate change: UPDATE_GOLDEN=1 npx vitest run test/unit/render.test.ts, then review the diff.
    if (process.env.UPDATE_GOLDEN) fs.writeFileSync(GOLDEN, markdown);
    expect(markdown).toBe(fs.readFileSync(GOLDEN, "utf8"));
  });

  it("follows the seed's structure, in its order", () => {
    const headings = markdown.split("\n").filter((line) => /^#{1,3} /.test(line));
    expect(headings).toEqual([
      "# Bookings failed: misconfigured database connection pool",
      "## Issue Summary",
      "## Timeline",
      "## Root Cause and Resolution",
      "### Root Cause",
      "### Resolution",
      "## Corrective and Preventative Measures",
    ]);
  });

  it("keeps every word of the seed's timeline and measures", () => {
    const seed = fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "seed-postmortem.md"), "utf8");
    const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9']+/g));
    const seedSection = (name: string) => seed.split(/^## /m).find((part) => part.startsWith(name)) ?? "";
    const rendered = words(markdown);
    for (const section of ["Timeline", "Corrective And Preventative Measures", "Root Cause And Resolution", "Issue Summary"]) {
      const missing = [...words(seedSection(section))].filter((word) => !rendered.has(word) && !/^\d/.test(word));
      expect(missing, `words of "${section}" missing from the export`).toEqual([]);
    }
  });
});

const blankIncident: PostmortemIncident = {
  title: "Checkout errors",
  severity: "SEV3",
  status: "investigating",
  timeZone: "America/New_York",
  startedAt: Date.parse("2024-03-10T06:30:00Z"),
  detectedAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  impactPercent: 0.1,
  impactDescription: "",
  services: [],
  category: null,
  trigger: null,
  detectionMethod: null,
  summary: "",
  rootCause: "",
  resolution: "",
  lessons: "",
  unplaced: "",
};

describe("rendering incomplete and unusual incidents", () => {
  it("says what is unknown instead of inventing it", () => {
    const markdown = renderPostmortem(blankIncident, [], []);
    expect(markdown).toContain("**Duration:** 10 March 2024, 1:30 AM EST to not resolved yet");
    expect(markdown).toContain("**Impact:** 0.1% of users");
    expect(markdown).toContain("_No timeline entries yet._");
    expect(markdown).toContain("_No corrective actions yet._");
    expect(markdown).not.toContain("## Lessons Learned");
  });

  it("writes cause category, trigger and detection method only when they are set", () => {
    expect(renderPostmortem(blankIncident, [], [])).not.toMatch(/Cause category|Trigger|Detection:/);
    const markdown = renderPostmortem({ ...blankIncident, category: "Third-party CDN", trigger: "TLS cert for *.cdn_edge expired", detectionMethod: "staff" }, [], []);
    expect(markdown).toContain("- **Cause category:** Third-party CDN\n- **Trigger:** TLS cert for \\*.cdn\\_edge expired\n- **Detection:** Staff noticed\n");
    expect(renderPostmortem({ ...blankIncident, trigger: "deploy of api 4.2" }, [], [])).not.toMatch(/Cause category|Detection:/);
  });

  it("computes the duration across a DST change from instants, not wall clocks", () => {
    const markdown = renderPostmortem({ ...blankIncident, resolvedAt: Date.parse("2024-03-10T08:30:00Z") }, [], []);
    expect(markdown).toContain("to 10 March 2024, 4:30 AM EDT (2h)");
  });

  it("keeps a multi-line timeline entry inside its bullet", () => {
    const markdown = renderPostmortem(
      blankIncident,
      [{ occurredAt: blankIncident.startedAt! + 5 * 60_000, kind: "action", author: "Ana", text: "Rolled back.\nErrors stopped." }],
      [],
    );
    expect(markdown).toContain("- **10 March 2024, 1:35 AM EST** (+5m, action) - Rolled back.\n  Errors stopped. (Ana)");
  });

  it("keeps plain text that looks like Markdown or HTML exactly as written", async () => {
    const { markdownToSafeHtml } = await import("~/lib/markdown.server");
    const markdown = renderPostmortem(
      { ...blankIncident, title: "5xx from <api-gateway> after *deploy* of __init__", services: ["<edge-proxy>", "db_main"] },
      [{ occurredAt: blankIncident.startedAt!, kind: "note", author: "<bot>", text: "Paged" }],
      [{ title: "Fix <Retry-After> header", details: "", type: "prevent", owner: "ops_team", dueDate: null, priority: "P2", status: "open", trackerUrl: null }],
    );
    const text = markdownToSafeHtml(markdown).replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    expect(text).toContain("5xx from <api-gateway> after *deploy* of __init__");
    expect(text).toContain("Affected services: <edge-proxy>, db_main");
    expect(text).toContain("Paged (<bot>)");
    expect(text).toContain("Fix <Retry-After> header (owner: ops_team;");
  });

  it("writes small shares of users with their significant digits", async () => {
    const { formatPercent } = await import("~/lib/impact");
    expect([45, 12.5, 0.1, 0.0004, 0, 99.999].map(formatPercent)).toEqual(["45%", "12.5%", "0.1%", "0.0004%", "0%", "100%"]);
  });

  it("writes actions as a checklist carrying owner, due date and type", () => {
    const action = (status: PostmortemAction["status"]): PostmortemAction => ({
      title: "Alert on pool exhaustion",
      details: "",
      type: "detect",
      owner: "Ana",
      dueDate: "2024-07-01",
      priority: "P1",
      status,
      trackerUrl: "https://tracker.example.com/OPS-1",
    });
    const markdown = renderPostmortem(blankIncident, [], [action("done"), action("open"), action("wont_do")]);
    expect(markdown).toContain(
      "- [x] Alert on pool exhaustion (owner: Ana; due by 1 July 2024; type: detect; priority: P1; tracker: <https://tracker.example.com/OPS-1>)",
    );
    expect(markdown).toContain("- [ ] Alert on pool exhaustion (owner: Ana; due by 1 July 2024; type: detect; priority: P1; tracker:");
    expect(markdown).toContain("- [ ] ~~Alert on pool exhaustion~~ (owner: Ana; due by 1 July 2024; type: detect; priority: P1; status: Won't do;");
  });
});

describe("what the monitors saw", () => {
  const monitoring = {
    at: Date.parse("2024-06-09T13:20:00Z"),
    serviceName: "booking database",
    monitorName: "PostgreSQL port",
    message: "Timed out after 5000 ms connecting to db.booking.internal:5432",
  };

  it("is a line of the Issue Summary, after the detection, saying how long before detection the monitors failed", () => {
    const markdown = renderPostmortem(exampleIncident, exampleTimeline, exampleActions, { monitoring });
    const summary = markdown.split("## Timeline")[0];
    expect(summary).toContain(
      "- **Detected:** 9 June 2024, 4:20 PM GMT+3 (0m after the start)\n- **Monitors first failed:** 9 June 2024, 4:20 PM GMT+3 (booking database, PostgreSQL port: Timed out after 5000 ms connecting to db.booking.internal:5432), the same minute it was detected\n",
    );
    const earlier = renderPostmortem(exampleIncident, [], [], { monitoring: { ...monitoring, at: monitoring.at - 12 * 60_000 } });
    expect(earlier).toContain("- **Monitors first failed:** 9 June 2024, 4:08 PM GMT+3 (booking database, PostgreSQL port: Timed out after 5000 ms connecting to db.booking.internal:5432), 12m before it was detected\n");
    const undetected = renderPostmortem({ ...exampleIncident, detectedAt: null }, [], [], { monitoring });
    expect(undetected).toContain("(booking database, PostgreSQL port: Timed out after 5000 ms connecting to db.booking.internal:5432)\n");
  });

  it("is left out without health history", () => {
    expect(renderPostmortem(exampleIncident, exampleTimeline, exampleActions)).not.toContain("Monitors first failed");
  });
});

import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parsePostmortem, parsedJson } from "~/postmortem/import/parse";
import { exampleActions, exampleIncident, exampleTimeline } from "~/postmortem/example";
import { renderPostmortem } from "~/postmortem/render";

const seed = fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "seed-postmortem.md"), "utf8");

describe("importing the seed postmortem", () => {
  const parsed = parsedJson(parsePostmortem(seed));

  it("reads 8 timeline entries from 16:20 to 17:10 at UTC+3 on 9 June 2024", () => {
    expect(parsed.timeline).toHaveLength(8);
    expect(parsed.timeline[0].occurredAt).toBe("2024-06-09T16:20:00+03:00");
    expect(parsed.timeline[7].occurredAt).toBe("2024-06-09T17:10:00+03:00");
    expect(parsed.timeline[5].text).toBe("The incident was escalated incident to the DevOps team..");
    expect(parsed.timeZone).toBe("GMT+3");
  });

  it("warns that 09-06-2024 could be read either way", () => {
    expect(parsed.warnings).toContainEqual(expect.objectContaining({ code: "ambiguous-date", message: expect.stringContaining("09-06-2024") }));
  });

  it("reads the impact, the four actions, the root cause and the resolution", () => {
    expect(parsed.impactPercent).toBe(45);
    expect(parsed.actions.map((action) => action.type)).toEqual(["process", "detect", "detect", "mitigate"]);
    expect(parsed.rootCause).toMatch(/^The root cause of the outage was a failure of the connection/);
    expect(parsed.resolution).toMatch(/resolved it by restarting the database server/);
  });

  it("keeps the summary's stated end and warns that the timeline disagrees", () => {
    expect(parsed.startedAt).toBe("2024-06-09T16:20:00+03:00");
    expect(parsed.resolvedAt).toBe("2024-06-09T23:10:00+03:00");
    expect(parsed.warnings).toContainEqual(expect.objectContaining({ code: "duration-mismatch" }));
  });

  it("keeps the byline it cannot place as unplaced text", () => {
    expect(parsed.unplaced).toContain("DevOps SysAdmin");
  });
});

describe("an export's Issue Summary facts", () => {
  const plain = parsePostmortem(renderPostmortem(exampleIncident, exampleTimeline, exampleActions));

  it("give back the start, detection and end: 'Duration: A to B' states them, not the times around the word 'start'", () => {
    expect(plain.incident).toMatchObject({
      startedAt: exampleIncident.startedAt,
      detectedAt: exampleIncident.detectedAt,
      resolvedAt: exampleIncident.resolvedAt,
    });
  });

  it("include the monitors' line, derived from health history: kept as text, setting no field", () => {
    const monitoring = { at: Date.parse("2024-06-09T13:20:00Z"), serviceName: "booking database", monitorName: "PostgreSQL port", message: "Timed out" };
    const withMonitors = parsePostmortem(renderPostmortem(exampleIncident, exampleTimeline, exampleActions, { monitoring }));
    const line = "\n- **Monitors first failed:** 9 June 2024, 4:20 PM GMT+3 (booking database, PostgreSQL port: Timed out), the same minute it was detected";
    expect(withMonitors.incident.summary).toContain(line);
    expect({ ...withMonitors.incident, summary: withMonitors.incident.summary.replace(line, "") }).toEqual(plain.incident);
  });
});

describe("cause category, trigger and detection method", () => {
  it("come back from the example's export as they went out", () => {
    const again = parsePostmortem(renderPostmortem(exampleIncident, exampleTimeline, exampleActions));
    expect(again.incident).toMatchObject({ category: "configuration change", trigger: "new feature deployment", detectionMethod: "customer_report" });
  });

  it("round-trip an added category, escaped trigger text and every detection method", () => {
    const categories = ["configuration change", "Third-party CDN"];
    for (const detectionMethod of ["monitor", "customer_report", "staff", "other"] as const) {
      const incident = { ...exampleIncident, category: "Third-party CDN", trigger: "cert for *.cdn_edge [prod] expired", detectionMethod };
      const again = parsePostmortem(renderPostmortem(incident, [], []), { categories });
      expect(again.incident).toMatchObject({ category: "Third-party CDN", trigger: "cert for *.cdn_edge [prod] expired", detectionMethod });
      expect(again.warnings.map((warning) => warning.code)).not.toContain("unknown-category");
    }
  });

  it("are read from other teams' labelled lines, in any case; words say how it was detected", () => {
    const parsed = parsePostmortem(
      ["# Feed outage", "", "**Category:** Deployment", "", "**Trigger:** Rollout of r-77", "", "**Detection:** Feed freshness SLO burn-rate alert, 31 minutes in.", "", "## Timeline", "", "- 22:10 UTC rollout"].join("\n"),
    );
    expect(parsed.incident).toMatchObject({ category: "deployment", trigger: "Rollout of r-77", detectionMethod: "monitor" });
    // "Detection time:" still says when; "Detected by:" says how.
    const byUsers = parsePostmortem("# Outage\n\n- Date: 2024-03-02\n- Detected by: a support ticket from a customer\n- Detection time: 10:05 UTC\n");
    expect(byUsers.incident.detectionMethod).toBe("customer_report");
    expect(byUsers.incident.detectedAt).toBe(Date.parse("2024-03-02T10:05:00Z"));
  });

  it("leave a category outside the vocabulary blank, with a warning, and its words in the text", () => {
    const parsed = parsePostmortem("# Outage\n\nCategory: Cosmic rays\n\n## Summary\n\nA bit flipped in the cache for about an hour.\n");
    expect(parsed.incident.category).toBeNull();
    expect(parsed.warnings).toContainEqual(expect.objectContaining({ code: "unknown-category", message: expect.stringContaining('"Cosmic rays" is not one of the cause categories') }));
    expect(`${parsed.incident.summary}\n${parsed.unplaced}`).toContain("Cosmic rays");
  });

  it("leave a trigger longer than 200 characters blank, with a warning", () => {
    const parsed = parsePostmortem(`# Outage\n\n**Trigger:** ${"a very long story ".repeat(15)}\n`);
    expect(parsed.incident.trigger).toBeNull();
    expect(parsed.warnings).toContainEqual(expect.objectContaining({ code: "long-trigger" }));
  });
});

describe("forms the parser reads", () => {
  it("a setext-headed document with a pipe-table timeline in UTC and a zone in its heading", () => {
    const parsed = parsedJson(
      parsePostmortem(
        [
          "Checkout latency",
          "================",
          "",
          "Summary",
          "-------",
          "Checkout slowed for 12% of customers on 2023-05-12.",
          "",
          "Timeline (all times UTC)",
          "------------------------",
          "| Time | Event |",
          "|------|-------|",
          "| 23:50 | Latency alert fires |",
          "| 00:10 | Rolled back the deploy |",
          "| 00:25 | Resolved |",
        ].join("\n"),
      ),
    );
    expect(parsed.title).toBe("Checkout latency");
    expect(parsed.timeline.map((entry) => entry.occurredAt)).toEqual([
      "2023-05-12T23:50:00+00:00",
      "2023-05-13T00:10:00+00:00",
      "2023-05-13T00:25:00+00:00",
    ]);
    expect(parsed.timeline.map((entry) => entry.kind)).toEqual(["detection", "action", "resolution"]);
    expect(parsed.impactPercent).toBe(12);
  });

  it("bold headings, 12-hour times without a space, a US zone and month-first dates", () => {
    const parsed = parsedJson(
      parsePostmortem(
        [
          "# DNS outage",
          "",
          "**Impact:** 30% of requests failed on 12/31/2023.",
          "",
          "**Timeline (Eastern time)**",
          "",
          "* 7:05AM - DNS provider returns SERVFAIL",
          "* 7:30 AM to 8:05 AM - traffic moved to the secondary provider",
          "* 8:40AM: all clear",
          "",
          "**Action items**",
          "",
          "- [ ] Add a second DNS provider (owner: Dana, due 2024-02-01)",
          "- [x] Alert on SERVFAIL rate @lee",
        ].join("\n"),
      ),
    );
    expect(parsed.timeZone).toBe("America/New_York");
    expect(parsed.timeline.map((entry) => entry.occurredAt)).toEqual([
      "2023-12-31T07:05:00-05:00",
      "2023-12-31T07:30:00-05:00",
      "2023-12-31T08:40:00-05:00",
    ]);
    expect(parsed.timeline[1].text).toBe("traffic moved to the secondary provider");
    expect(parsed.actions).toEqual([
      expect.objectContaining({ title: "Add a second DNS provider", owner: "Dana", dueDate: "2024-02-01", status: "open" }),
      expect.objectContaining({ title: "Alert on SERVFAIL rate", owner: "lee", status: "done", type: "detect" }),
    ]);
    expect(parsed.warnings.map((warning) => warning.code)).not.toContain("ambiguous-date");
  });

  it("a document with no zone is read in the zone the user picks, with a warning", () => {
    const markdown = "# Queue backlog\n\n## Timeline\n\n- 2024-03-01 10:00 queue depth alert\n- 10:45 consumers scaled up";
    const utc = parsedJson(parsePostmortem(markdown));
    expect(utc.timeline[0].occurredAt).toBe("2024-03-01T10:00:00+00:00");
    expect(utc.warnings).toContainEqual(expect.objectContaining({ code: "no-zone" }));
    const lagos = parsedJson(parsePostmortem(markdown, { defaultZone: "GMT+1" }));
    expect(lagos.timeline[1].occurredAt).toBe("2024-03-01T10:45:00+01:00");
  });

  it("timestamps in log output are not events", () => {
    const parsed = parsePostmortem(
      ["# Disk full", "", "## Timeline", "", "- 2024-01-17 09:00 UTC disk alert", "", "```", "2024-01-17 08:59:58 ERROR no space left", "```", "- 09:20 logs rotated"].join("\n"),
    );
    expect(parsed.timeline).toHaveLength(2);
    expect(parsed.timeline[0].text).toContain("no space left");
  });

  it("YAML front matter gives the title and zone; a leading rule that never closes is dropped", () => {
    const withFrontMatter = parsePostmortem("---\ntitle: Certificate expired\ntimezone: Europe/Berlin\ndate: 2024-07-02\n---\n\n## Timeline\n\n- 09:12 TLS errors reported\n");
    expect(withFrontMatter.incident).toMatchObject({ title: "Certificate expired", timeZone: "Europe/Berlin" });
    expect(parsedJson(withFrontMatter).timeline[0].occurredAt).toBe("2024-07-02T09:12:00+02:00");
    const openRule = parsePostmortem("---\n# Cron overlap\n\nTwo cron jobs ran at once on 2024-02-02 UTC.\n");
    expect(openRule.incident.title).toBe("Cron overlap");
  });
});

describe("whatever the input", () => {
  function random(seed: number) {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }
  const pieces = [
    "# ", "## Timeline", "### ", "**", "__", "- ", "* ", "1. ", "| ", " |", "---", "===", "```", "~~~", "\n", "\n\n", "  ",
    "4:20 PM", "16:20", "00:30 AM", "25:99", "6PM", "Midnight", "2024-06-09", "09-06-2024", "12/31/2023", "May 12th, 2023",
    "GMT+3", "UTC-4", "IST", "Eastern time", "US/Pacific", "45%", "Action items", "Owner: Ana", "due 2024-02-30", "[x] ",
    "<h1>", "</h1>", "<b>", "Root cause", ":", "Resolution", "Lessons learned", "🔥", "\u0000", "\uFEFF", "résumé", "—",
  ];

  it("never throws on 10,000 random and mutated documents", () => {
    const next = random(42);
    const base = seed.split("\n");
    for (let index = 0; index < 10_000; index++) {
      let document: string;
      if (index % 2 === 0) {
        document = Array.from({ length: 5 + Math.floor(next() * 60) }, () => pieces[Math.floor(next() * pieces.length)]).join(next() < 0.3 ? " " : "");
      } else {
        const lines = [...base];
        for (let mutation = 0; mutation < 1 + Math.floor(next() * 8); mutation++) {
          const at = Math.floor(next() * lines.length);
          const roll = next();
          if (roll < 0.3) lines.splice(at, 1);
          else if (roll < 0.6) lines.splice(at, 0, pieces[Math.floor(next() * pieces.length)]);
          else if (roll < 0.8) lines[at] = (lines[at] ?? "").slice(0, Math.floor(next() * 40));
          else lines.splice(at, 0, lines[Math.floor(next() * lines.length)] ?? "");
        }
        document = lines.join("\n");
      }
      const parsed = parsePostmortem(document);
      expect(parsed.incident.title.length).toBeGreaterThan(0);
      for (const entry of parsed.timeline) expect(Number.isFinite(entry.occurredAt)).toBe(true);
    }
  });

  it("reads a 1 MB document without stalling on it", () => {
    const big = `# Big\n\n## Timeline\n\n${"- 2024-06-09 10:00 UTC something happened, again and again\n".repeat(16_000)}`;
    const parsed = parsePostmortem(big);
    expect(parsed.timeline).toHaveLength(16_000);
  });
});

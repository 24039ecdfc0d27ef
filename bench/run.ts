// npm run bench: times the hot paths on a database of realistic size and prints
// the figures. Targets live here, never in tests (see README, "Benchmarks").
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { measure } from "./measure";

const directory = fs.mkdtempSync(path.join(os.tmpdir(), "hindsight-bench-"));
process.env.DATABASE_PATH = path.join(directory, "bench.db");

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 2_000);
const ENTRIES_PER_INCIDENT = 20;
const ACTIONS_PER_INCIDENT = 4;

const { getDb, closeDb } = await import("~/db/client.server");
const { createIncident, listIncidents, getIncidentWithDetails } = await import("~/models/incidents.server");
const { addTimelineEntry } = await import("~/models/timeline.server");
const { addAction, listActions } = await import("~/models/actions.server");
const { postmortemMarkdown } = await import("~/models/postmortem.server");
const { markdownToSafeHtml } = await import("~/lib/markdown.server");
const { validateIncident } = await import("~/lib/validation");
const { incidentVocabulary } = await import("~/models/categories.server");
const { exampleActions, exampleIncident, exampleTimeline } = await import("~/postmortem/example");
const { SYSTEM_AUTHOR } = await import("~/auth/actor");


const loadStart = performance.now();
const db = getDb();
const day = 86_400_000;
const services = ["booking web app", "booking database", "connection pool", "availability API", "search", "payments"];
db.transaction(() => {
  for (let index = 0; index < INCIDENTS; index++) {
    const startedAt = Date.parse("2022-01-01T00:00:00Z") + index * (day / 3);
    const incident = createIncident({
      ...exampleIncident,
      title: `${exampleIncident.title} #${index}`,
      status: index % 10 === 0 ? "investigating" : "closed",
      startedAt,
      detectedAt: startedAt + 10 * 60_000,
      mitigatedAt: startedAt + 40 * 60_000,
      resolvedAt: startedAt + 50 * 60_000,
      services: [services[index % services.length], services[(index + 1) % services.length]],
    }, SYSTEM_AUTHOR);
    for (let entry = 0; entry < ENTRIES_PER_INCIDENT; entry++) {
      const template = exampleTimeline[entry % exampleTimeline.length];
      addTimelineEntry(incident.id, { ...template, occurredAt: startedAt + entry * 3 * 60_000 }, SYSTEM_AUTHOR);
    }
    for (let action = 0; action < ACTIONS_PER_INCIDENT; action++) {
      const template = exampleActions[action];
      addAction(incident.id, {
        ...template,
        owner: ["Ana", "Bo", "Chen", null][action],
        dueDate: new Date(startedAt + (action + 1) * 14 * day).toISOString().slice(0, 10),
        status: action === 0 ? "done" : "open",
      }, SYSTEM_AUTHOR);
    }
  }
});
const loadSeconds = (performance.now() - loadStart) / 1000;
const size = fs.statSync(process.env.DATABASE_PATH).size;
console.log(
  `Loaded ${INCIDENTS} incidents, ${INCIDENTS * ENTRIES_PER_INCIDENT} timeline entries, ${INCIDENTS * ACTIONS_PER_INCIDENT} actions in ${loadSeconds.toFixed(1)} s (${(size / 1e6).toFixed(1)} MB)\n`,
);

const middle = Math.floor(INCIDENTS / 2);
measure("incident list, first page of 50", 200, () => listIncidents({ limit: 50 }), "< 20 ms");
measure("incident list, filtered by service + title", 200, () => listIncidents({ service: "search", q: "#1", limit: 50 }), "< 20 ms");
measure("incident with timeline and actions", 500, (index) => getIncidentWithDetails(1 + ((middle + index) % INCIDENTS)), "< 5 ms");
measure("postmortem Markdown render", 500, (index) => postmortemMarkdown(1 + ((middle + index) % INCIDENTS)), "< 10 ms");
measure("postmortem Markdown → sanitized HTML", 200, (index) => {
  const postmortem = postmortemMarkdown(1 + ((middle + index) % INCIDENTS));
  markdownToSafeHtml(postmortem!.markdown);
}, "< 30 ms");
measure(`actions tracker, all ${INCIDENTS * ACTIONS_PER_INCIDENT} actions`, 20, () => listActions({}), "< 200 ms");
measure("actions tracker, overdue only", 50, () => listActions({ overdue: true }), "< 100 ms");
measure("validate an incident form", 2_000, () =>
  validateIncident({ title: "x", severity: "SEV1", timeZone: "Europe/Berlin", startedAt: "2024-06-09 16:20", resolvedAt: "17:10", impactPercent: "45", services: "a, b", category: "Deployment" }, incidentVocabulary()),
  "< 1 ms",
);

// Importing: 1,000 documents through the parser (the seed and the test corpus, varied), documents per second.
const { parsePostmortem } = await import("~/postmortem/import/parse");
const corpusDirectory = path.join(import.meta.dirname, "..", "test", "fixtures", "postmortems");
const corpus = [
  fs.readFileSync(path.join(import.meta.dirname, "..", "test", "fixtures", "seed-postmortem.md"), "utf8"),
  ...(fs.existsSync(corpusDirectory)
    ? fs.readdirSync(corpusDirectory).filter((name) => name.endsWith(".md") && name !== "README.md").map((name) => fs.readFileSync(path.join(corpusDirectory, name), "utf8"))
    : []),
];
const documents = Array.from({ length: 1_000 }, (_, index) => corpus[index % corpus.length].replace(/(\d{1,2}):(\d{2})/, (_match, hour: string, minute: string) => `${hour}:${String((Number(minute) + index) % 60).padStart(2, "0")}`));
const importStart = performance.now();
let entriesRead = 0;
for (const document of documents) entriesRead += parsePostmortem(document).timeline.length;
const importSeconds = (performance.now() - importStart) / 1000;
console.log(
  `${"import 1,000 documents (" + corpus.length + " distinct)".padEnd(44)} ${Math.round(documents.length / importSeconds).toLocaleString("en-US")} documents/s, ${entriesRead.toLocaleString("en-US")} entries   (target > 1,000/s)`,
);

// Words kept through import and export, per document (issue 4's target: 99%).
const { wordCoverage } = await import("~/postmortem/import/coverage");
const { renderPostmortem } = await import("~/postmortem/render");
const coverages = corpus.map((document) => {
  const parsed = parsePostmortem(document);
  return wordCoverage(document, renderPostmortem(parsed.incident, parsed.timeline, parsed.actions)).coverage;
});
const sortedCoverage = [...coverages].sort((a, b) => a - b);
console.log(
  `${"words kept through import and export".padEnd(44)} min ${(sortedCoverage[0] * 100).toFixed(1)}%   median ${(sortedCoverage[Math.floor(coverages.length / 2)] * 100).toFixed(1)}%   ${coverages.filter((value) => value >= 0.99).length} of ${coverages.length} at 99% or more`,
);

const memory = process.memoryUsage();
console.log(`\nResident memory ${(memory.rss / 1e6).toFixed(0)} MB, heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB`);
closeDb();
fs.rmSync(directory, { recursive: true, force: true });

// Health history (its own temporary database): bench/health.ts.
await import("./health");

// Search and insights (their own temporary database): bench/review.ts.
await import("./review");

// The team's corpus of postmortems (test/fixtures/postmortems): each document is
// read as its expected-result file says, keeps its words through import and
// export, and comes back with the same structure when the export is imported again.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { wordCoverage } from "~/postmortem/import/coverage";
import { parsePostmortem, parsedJson } from "~/postmortem/import/parse";
import { renderPostmortem } from "~/postmortem/render";

const directory = path.join(import.meta.dirname, "..", "fixtures", "postmortems");
const documents = fs
  .readdirSync(directory)
  .filter((name) => name.endsWith(".md") && name !== "README.md")
  .sort()
  .map((name) => ({
    name,
    markdown: fs.readFileSync(path.join(directory, name), "utf8"),
    expected: JSON.parse(fs.readFileSync(path.join(directory, name.replace(/\.md$/, ".expected.json")), "utf8")),
  }));

it("holds at least 25 documents written by the team", () => {
  expect(documents.filter((document) => document.expected).length).toBeGreaterThanOrEqual(25);
});

describe.each(documents)("$name", ({ markdown, expected }) => {
  it("is read as its expected-result file says", () => {
    const json = parsedJson(parsePostmortem(markdown));
    expect({
      title: json.title,
      timedEntries: json.timeline.length,
      firstEntry: json.timeline[0]?.occurredAt ?? null,
      lastEntry: json.timeline.at(-1)?.occurredAt ?? null,
      utcOffset: json.timeline[0]?.occurredAt?.slice(19) ?? null,
      impactPercent: json.impactPercent,
      actions: json.actions.length,
    }).toEqual(expected);
  });

  it("comes back with the same structure when its export is imported", () => {
    const parsed = parsePostmortem(markdown);
    const again = parsePostmortem(renderPostmortem(parsed.incident, parsed.timeline, parsed.actions));
    expect(again.incident).toMatchObject({
      title: parsed.incident.title,
      timeZone: parsed.incident.timeZone,
      impactPercent: parsed.incident.impactPercent,
      category: parsed.incident.category,
      trigger: parsed.incident.trigger,
      detectionMethod: parsed.incident.detectionMethod,
    });
    expect(again.timeline.map((entry) => [entry.occurredAt, entry.kind])).toEqual(parsed.timeline.map((entry) => [entry.occurredAt, entry.kind]));
    const shape = (actions: typeof parsed.actions) => actions.map((action) => [action.title, action.owner, action.dueDate, action.type, action.priority, action.status]);
    expect(shape(again.actions)).toEqual(shape(parsed.actions));
  });

  it("keeps at least 99% of its words through import and export", () => {
    const parsed = parsePostmortem(markdown);
    const { coverage, missing } = wordCoverage(markdown, renderPostmortem(parsed.incident, parsed.timeline, parsed.actions));
    expect(coverage, `missing: ${missing.join(", ")}`).toBeGreaterThanOrEqual(0.99);
  });
});

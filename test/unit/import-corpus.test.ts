// The team's corpus of postmortems (test/fixtures/postmortems): each document is
// read as its expected-result file says. (Word coverage through export and the
// export -> import round trip are the next step of issue 4.)
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { parsePostmortem, parsedJson } from "~/postmortem/import/parse";

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
});

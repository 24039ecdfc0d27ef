import fs from "node:fs";

import { normalizeTimeZone } from "~/lib/time";
import { parsePostmortem } from "~/postmortem/import/parse";
import { reviewPostmortem, summarizeReview } from "~/postmortem/review";

import { CommandError, UsageError } from "./errors";

const MARKS = { pass: "pass", warn: "WARN", fail: "FAIL" } as const;

/** npx hindsight lint FILE... [--zone Z]: the review checklist of Markdown postmortems; exits 1 when a check fails. */
export function lintFiles(files: string[], options: { zone?: string; json: boolean }) {
  if (files.length === 0) throw new UsageError("lint takes one or more FILEs: npx hindsight lint postmortem.md");
  const zone = normalizeTimeZone(options.zone ?? "UTC");
  if (!zone) throw new UsageError(`--zone: unknown time zone "${options.zone}"`);
  let failing = 0;
  const results = [];
  for (const file of files) {
    let markdown: string;
    try {
      markdown = fs.readFileSync(file, "utf8");
    } catch (error) {
      throw new CommandError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const parsed = parsePostmortem(markdown, { defaultZone: zone });
    const checks = reviewPostmortem(parsed.incident, parsed.timeline, parsed.actions);
    const summary = summarizeReview(checks);
    if (summary.fail) failing++;
    results.push({ file, checks, summary });
    if (!options.json) {
      console.log(`${file}: ${summary.fail} to fix, ${summary.warn} to check, ${summary.pass} passed`);
      for (const check of checks) console.log(`  ${MARKS[check.result]}  ${check.title}: ${check.reason}`);
    }
  }
  if (options.json) console.log(JSON.stringify(files.length === 1 ? results[0] : results, null, 2));
  if (failing) throw new CommandError(`${failing} of ${files.length} postmortems have checks to fix`);
}

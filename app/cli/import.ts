import fs from "node:fs";
import path from "node:path";

import { SYSTEM_AUTHOR } from "~/auth/actor";
import { incidentWithDetailsJson } from "~/lib/api.server";
import { normalizeTimeZone } from "~/lib/time";
import { listCategoryNames } from "~/models/categories.server";
import { saveImported } from "~/models/import.server";
import { parsePostmortem, parsedJson } from "~/postmortem/import/parse";

import { CommandError, UsageError } from "./errors";

/** npx hindsight import FILE... [--dry-run] [--json] [--zone Z] */
export function importFiles(files: string[], options: { dryRun: boolean; json: boolean; zone?: string }) {
  if (files.length === 0) throw new UsageError("import takes one or more FILEs: npx hindsight import postmortems/*.md");
  const zone = normalizeTimeZone(options.zone ?? "UTC");
  if (!zone) throw new UsageError(`--zone: unknown time zone "${options.zone}"; use an IANA name such as Europe/Berlin or an offset such as GMT+3`);
  // A dry run leaves the database alone, so it knows only the built-in categories.
  const categories = options.dryRun ? undefined : listCategoryNames();
  const results: unknown[] = [];
  let failures = 0;
  for (const file of files) {
    let markdown: string;
    try {
      markdown = fs.readFileSync(path.resolve(file), "utf8");
    } catch (error) {
      throw new CommandError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const parsed = parsePostmortem(markdown, { defaultZone: zone, categories });
    if (options.dryRun) {
      results.push({ file, ...parsedJson(parsed) });
      if (!options.json) report(file, parsed.incident.title, parsed.timeline.length, parsed.actions.length, parsed.warnings, "would import");
      continue;
    }
    const saved = saveImported(parsed, SYSTEM_AUTHOR);
    if (!saved.ok) {
      failures++;
      results.push({ file, errors: saved.errors });
      if (!options.json) console.error(`${file}: not imported: ${Object.entries(saved.errors).map(([field, message]) => `${field}: ${message}`).join("; ")}`);
      continue;
    }
    results.push({ file, ...incidentWithDetailsJson(saved.incident.id), warnings: parsed.warnings });
    if (!options.json) report(file, parsed.incident.title, parsed.timeline.length, parsed.actions.length, parsed.warnings, `imported as incident #${saved.incident.id}`);
  }
  if (options.json) console.log(JSON.stringify(files.length === 1 ? results[0] : results, null, 2));
  if (failures) throw new CommandError(`${failures} of ${files.length} documents were not imported`);
}

function report(file: string, title: string, entries: number, actions: number, warnings: { message: string }[], outcome: string) {
  console.log(`${file}: "${title}" ${outcome}: ${entries} timeline entries, ${actions} actions`);
  for (const warning of warnings) console.log(`  warning: ${warning.message}`);
}

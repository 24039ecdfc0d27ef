// Reads a Markdown postmortem, as other teams write them, into Hindsight's
// structure. Pure and total: any text gives a result, with warnings for what was
// guessed and "unplaced" text for what could not be put anywhere.
import { formatInstant, localToInstant, normalizeTimeZone, toIsoInZone } from "~/lib/time";
import { matchCategory, MAX_TRIGGER_LENGTH, type ActionInput, type IncidentInput, type TimelineInput } from "~/lib/validation";
import { DEFAULT_CATEGORIES, DETECTION_METHODS, DETECTION_METHOD_LABELS, SEVERITIES, type DetectionMethod, type Severity } from "~/lib/vocabulary";

import { readActions, unescapeMarkdown } from "./actions";
import { findDates, findTimes, type CalendarDate } from "./moments";
import { structure, type Line, type Section } from "./structure";
import { plain, readTimeline, type DateContext, type Warning } from "./timeline";
import { findZone } from "./zones";

export type { Warning } from "./timeline";

export type ParsedPostmortem = {
  incident: IncidentInput;
  timeline: TimelineInput[];
  actions: ActionInput[];
  /** Text that belongs to no section Hindsight knows, kept word for word. */
  unplaced: string;
  warnings: Warning[];
};

export type ParseOptions = {
  /** The zone to read a document in when it names none (a warning says so). */
  defaultZone?: string;
  /**
   * The cause categories a "Cause category:" line may name (models/categories.server.ts);
   * without it the built-in ones, which every install keeps.
   */
  categories?: readonly string[];
};

const MAX_INPUT = 2_000_000;

function text(lines: Line[]): string {
  return lines
    .map((line) => line.text)
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

function joinParts(parts: string[]): string {
  return parts.filter((part) => part.trim()).join("\n\n").trim();
}

const LABEL = /^\s*(?:[-*•]\s*)?(?:\*\*|__)?(duration|impact|start(?:ed)?(?: time)?|begin|began|end(?:ed)?(?: time)?|resolved|resolution time|detected|detection time|date|time ?zone|severity|sev|services|affected services|status|(?:cause )?category|trigger(?:ed by)?|detection(?: method)?|detected by|monitors first failed)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+?)\s*$/i;

type Labels = Record<string, { value: string; line: number }>;

/** The one name each label is known by: "Started time" → start, "Detected by" → detectionMethod. */
function labelKey(label: string): string {
  const name = label.toLowerCase();
  // "Detection:" names how (as Hindsight exports it); "Detection time:" names when.
  if (/^(detection( method)?|detected by)$/.test(name)) return "detectionMethod";
  if (/^(cause )?category$/.test(name)) return "category";
  if (/^trigger(ed by)?$/.test(name)) return "trigger";
  return name.replace(/ time$/, "").replace(/^start(ed)?|^beg(in|an)/, "start").replace(/^end(ed)?|^resolution$|^resolved/, "end").replace(/^detect(ed|ion)/, "detected").replace(/^sev$/, "severity").replace(/^affected services/, "services").replace(/^time ?zone/, "zone");
}

function readLabels(lines: Line[]): { labels: Labels; rest: Line[] } {
  const labels: Labels = {};
  const rest: Line[] = [];
  for (const line of lines) {
    const match = line.code ? null : LABEL.exec(line.text);
    if (match) {
      labels[labelKey(match[1])] ??= { value: match[2], line: line.number };
    }
    // A labelled line is read as data and kept as prose: its words stay in the text.
    rest.push(line);
  }
  return { labels, rest };
}

function allLines(sections: Section[], preamble: Line[]): Line[] {
  return [...preamble, ...sections.flatMap((section) => section.lines)];
}

function dateOrder(lines: Line[], warnings: Warning[]): "day-first" | "month-first" {
  let dayFirst = 0;
  let monthFirst = 0;
  let ambiguous: { text: string; line: number } | null = null;
  for (const line of lines) {
    if (line.code) continue;
    for (const date of findDates(line.text)) {
      if (date.order === "day-first") dayFirst++;
      if (date.order === "month-first") monthFirst++;
      if (date.order === "ambiguous") ambiguous ??= { text: date.text, line: line.number };
    }
  }
  const order = monthFirst > dayFirst ? "month-first" : "day-first";
  if (ambiguous) {
    const reading = order === "day-first" ? "day first (as in most of the world)" : "month first, as other dates in this document are";
    warnings.push({ code: "ambiguous-date", message: `"${ambiguous.text}" could be read either way; read ${reading}. Check the dates.`, line: ambiguous.line });
  }
  return order;
}

function documentZone(frontMatter: Record<string, string>, labels: Labels, sections: Section[], preamble: Line[], options: ParseOptions, warnings: Warning[]) {
  const candidates = [
    frontMatter.timezone ?? frontMatter["time zone"] ?? frontMatter.tz,
    labels.zone?.value,
    ...sections.filter((section) => section.role === "timeline").map((section) => section.heading),
  ];
  for (const candidate of candidates) {
    const zone = candidate ? (normalizeTimeZone(candidate) ? { zone: normalizeTimeZone(candidate)!, text: candidate } : findZone(candidate)) : null;
    if (zone) return zone;
  }
  for (const line of allLines(sections, preamble)) {
    if (line.code) continue;
    const zone = findZone(line.text);
    if (zone) {
      if (zone.ambiguous) warnings.push({ code: "ambiguous-zone", message: zone.ambiguous, line: line.number });
      return zone;
    }
  }
  const zone = normalizeTimeZone(options.defaultZone ?? "UTC") ?? "UTC";
  warnings.push({ code: "no-zone", message: `The document names no time zone: its times were read as ${zone}. Pick the right zone if that is wrong.` });
  return { zone, text: zone };
}

function firstDate(lines: Line[], order: "day-first" | "month-first"): CalendarDate | null {
  for (const line of lines) {
    if (line.code) continue;
    const [date] = findDates(line.text);
    if (date) return date.order === "ambiguous" && order === "month-first" ? { year: date.year, month: date.day, day: date.month } : date;
  }
  return null;
}

/** An instant written in free text: "On 09-06-2024, at 4:20 PM GMT+3", "2024-06-09 16:20 UTC". */
function instantIn(sentence: string, context: DateContext): number | null {
  const [time] = findTimes(sentence);
  if (!time) return null;
  const [dateMention] = findDates(sentence);
  const date = dateMention
    ? dateMention.order === "ambiguous" && context.order === "month-first"
      ? { year: dateMention.year, month: dateMention.day, day: dateMention.month }
      : dateMention
    : context.date;
  if (!date) return null;
  const zone = findZone(sentence.slice(time.index))?.zone ?? context.zone;
  return localToInstant({ year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute, second: time.second }, zone);
}

function sentences(markdown: string): string[] {
  return plain(markdown.replace(/\n/g, " ")).split(/(?<=[.!?])\s+(?=[A-Z])/);
}

function impactPercent(sources: string[]): number | null {
  for (const source of sources) {
    for (const match of source.matchAll(/(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b)/gi)) {
      const value = Number(match[1]);
      const around = source.slice(Math.max(0, match.index! - 80), match.index! + 80);
      if (value <= 100 && /\b(users?|customers?|requests?|traffic|visitors|bookings|orders|sessions|accounts|clients|merchants|members|of (our|all))\b/i.test(around)) return value;
    }
  }
  return null;
}

/** The headings Hindsight's export writes: a section under one of these needs no heading of its own. */
const EXPORT_HEADINGS: Partial<Record<Section["role"], RegExp>> = {
  summary: /^(issue )?summary$/i,
  rootCause: /^root causes?$/i,
  resolution: /^resolution$/i,
  lessons: /^lessons learned$/i,
  impact: /^impact$/i,
  duration: /^duration$/i,
};

function paragraphs(lines: Line[]): Line[][] {
  const result: Line[][] = [[]];
  for (const line of lines) {
    if (!line.text.trim() && !line.code) result.push([]);
    else result[result.length - 1].push(line);
  }
  return result.filter((paragraph) => paragraph.length);
}

/** A paragraph of at least six words is prose; a byline, a lone image or a rule is not. */
function isProse(paragraph: Line[]): boolean {
  const words = paragraph.flatMap((line) => (line.code ? [] : plain(line.text).split(/\s+/))).filter((word) => /\p{L}/u.test(word));
  return words.length >= 6;
}

/** A labelled line's value as written, without Markdown's emphasis or backslash escapes. */
function labelText(label: { value: string } | undefined): string {
  return label ? unescapeMarkdown(label.value.replace(/^(\*\*|__)+|(\*\*|__)+$/g, "")).replace(/\s+/g, " ").trim() : "";
}

const DETECTION_WORDS: [RegExp, DetectionMethod][] = [
  [/\b(monitor\w*|alert\w*|alarm\w*|pager\w*|paged|slo|health ?checks?|synthetic\w*|dashboards?)\b/i, "monitor"],
  [/\b(customers?|users?|clients?|support|tickets?|complain\w*|social media)\b/i, "customer_report"],
  [/\b(staff|engineers?|employees?|developers?|colleagues?|internal\w*|noticed)\b/i, "staff"],
];

/** "Customer report" (as exported), "customer_report", or words that say how: "SLO burn-rate alert" → monitor. */
function detectionMethodOf(text: string): DetectionMethod | null {
  const key = text.toLowerCase();
  const named = DETECTION_METHODS.find((method) => [method, method.replace("_", " "), DETECTION_METHOD_LABELS[method].toLowerCase()].includes(key));
  return named ?? DETECTION_WORDS.find(([words]) => words.test(text))?.[1] ?? null;
}

/** Cause category, trigger and detection method from their labelled lines; what is read stays in the text. */
function classification(labels: Labels, categories: readonly string[], warnings: Warning[]) {
  const categoryText = labelText(labels.category);
  const category = categoryText ? matchCategory(categoryText, categories) : null;
  if (categoryText && !category) {
    warnings.push({
      code: "unknown-category",
      message: `"${categoryText}" is not one of the cause categories (${categories.join(", ")}): the category was left blank`,
      line: labels.category!.line,
    });
  }
  const triggerText = labelText(labels.trigger);
  if (triggerText.length > MAX_TRIGGER_LENGTH) {
    warnings.push({ code: "long-trigger", message: `The trigger is longer than ${MAX_TRIGGER_LENGTH} characters: it was left blank`, line: labels.trigger!.line });
  }
  return {
    category,
    trigger: triggerText && triggerText.length <= MAX_TRIGGER_LENGTH ? triggerText : null,
    detectionMethod: detectionMethodOf(labelText(labels.detectionMethod)),
  };
}

function splitCauseAndResolution(body: string): { rootCause: string; resolution: string } {
  const cause: string[] = [];
  const fix: string[] = [];
  for (const paragraph of body.split(/\n\s*\n/)) {
    for (const sentence of paragraph.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
      (/\b(resolv\w*|fix(ed)?|restor\w*|restart\w*|roll(ed)? back|revert\w*|mitigat\w*|recover\w*)\b/i.test(sentence) && cause.length ? fix : cause).push(sentence);
    }
  }
  return { rootCause: cause.join(" ").trim(), resolution: fix.join(" ").trim() };
}

export function parsePostmortem(markdown: string, options: ParseOptions = {}): ParsedPostmortem {
  const warnings: Warning[] = [];
  const source = markdown.length > MAX_INPUT ? markdown.slice(0, MAX_INPUT) : markdown;
  if (markdown.length > MAX_INPUT) warnings.push({ code: "truncated", message: `Only the first ${MAX_INPUT.toLocaleString("en-US")} characters were read` });
  const doc = structure(source);
  const { labels: preambleLabels, rest: preamble } = readLabels(doc.preamble.filter((line) => plain(line.text) !== doc.title));
  // Labelled lines in the summary ("**Time zone:** Europe/Berlin", as Hindsight exports) count too; their text stays.
  const summaryLabels = readLabels(doc.sections.filter((section) => section.role === "summary").flatMap((section) => section.lines)).labels;
  const labels: Labels = { ...summaryLabels, ...preambleLabels };
  // "**Trigger:** rollout of r-77" on a line of its own reads as a section (its text stays there): its one line is the value.
  for (const section of doc.sections) {
    const key = labelKey(section.heading.trim());
    const body = section.lines.filter((line) => line.text.trim() && !line.code);
    if (["category", "trigger", "detectionMethod"].includes(key) && body.length === 1) labels[key] ??= { value: body[0].text, line: body[0].number };
  }
  const order = dateOrder(allLines(doc.sections, doc.preamble), warnings);
  const zone = documentZone(doc.frontMatter, labels, doc.sections, doc.preamble, options, warnings);
  // "Duration: 9 June 2024, 4:20 PM GMT+3 to 9 June 2024, 11:10 PM GMT+3 (6h 50m)", as Hindsight
  // exports it, states the start and the end when no line of their own does.
  const span = labels.duration ? /^(.+?)\s+(?:to|until|–|—)\s+(.+?)(?:\s*\([^)]*\))?$/.exec(labels.duration.value) : null;
  const startLabel = labels.start?.value ?? span?.[1];
  const endLabel = labels.end?.value ?? span?.[2];
  const sectionsOf = (...roles: Section["role"][]) => doc.sections.filter((section) => roles.includes(section.role));
  // The incident's date: the summary's before the preamble's (a byline may carry the review date).
  const prose = [...sectionsOf("summary", "impact", "duration").flatMap((section) => section.lines), ...preamble];
  const context: DateContext = {
    zone: zone.zone,
    zoneStated: true,
    order,
    date:
      [doc.frontMatter.date, labels.date?.value, startLabel]
        .map((value) => (value ? firstDate([{ text: value, number: 0, code: false }], order) : null))
        .find(Boolean) ??
      firstDate(prose, order) ??
      firstDate(sectionsOf("timeline").flatMap((section) => section.lines), order),
  };

  const unplaced: string[] = [];
  const timeline: TimelineInput[] = [];
  for (const section of sectionsOf("timeline")) {
    const read = readTimeline(section.lines, context, warnings);
    timeline.push(...read.entries.map((entry) => ({ occurredAt: entry.ms, text: entry.text, kind: entry.kind, author: null })));
    const leftover = text(read.leftover);
    if (leftover) unplaced.push(leftover);
  }

  const actions: ActionInput[] = [];
  for (const section of sectionsOf("actions")) {
    const read = readActions(section.lines);
    actions.push(...read.actions);
    const leftover = text(read.leftover);
    if (leftover) unplaced.push(leftover);
  }

  // A section keeps the heading it was written under when that is not the export's own name for it.
  const withHeading = (section: Section, body: string) =>
    sectionsOf(section.role).length > 1 || !EXPORT_HEADINGS[section.role]?.test(section.heading.trim()) ? `### ${section.heading}\n\n${body}`.trim() : body;
  const bodies = (...roles: Section["role"][]) => sectionsOf(...roles).map((section) => withHeading(section, text(section.lines))).filter(Boolean);
  const combined = sectionsOf("rootCauseAndResolution").map((section) => splitCauseAndResolution(text(section.lines)));
  const impactText = joinParts(bodies("impact"));
  // Before the first section, prose belongs to the summary; short lines (a byline, an empty image) do not.
  const preambleParagraphs = paragraphs(preamble);
  const preambleOther = preambleParagraphs.filter((paragraph) => !isProse(paragraph)).map(text);
  if (joinParts(preambleOther)) unplaced.unshift(joinParts(preambleOther));
  const summary = joinParts([...preambleParagraphs.filter(isProse).map(text), ...bodies("summary"), ...bodies("duration"), ...bodies("detection"), impactText.length > 2_000 ? impactText : ""]);
  for (const section of sectionsOf("unknown")) unplaced.push(`### ${section.heading}\n\n${text(section.lines)}`.trim());
  const renamed = sectionsOf("timeline", "actions").map((section) => section.heading.trim()).filter((heading) => !/^(timeline|corrective and preventative measures)$/i.test(heading));
  if (renamed.length) unplaced.push(`Headings as written: ${renamed.join(" · ")}`);
  // Front matter is kept as written (authors, reviewers, links), in a code block so it stays as it was.
  if (doc.frontMatterText) unplaced.push(`\`\`\`yaml\n${doc.frontMatterText}\n\`\`\``);

  // Times of the incident: labelled lines first, then what the summary says, then the timeline.
  const summarySentences = sentences(joinParts([summary, impactText]));
  // In "began at 4:20 PM and persisted until 11:10 PM", each instant is the one after its own word.
  const stated = (label: string | undefined, words: RegExp) =>
    (label ? instantIn(label, context) : null) ??
    summarySentences
      .map((sentence) => {
        const match = words.exec(sentence);
        return match ? instantIn(sentence.slice(match.index), context) : null;
      })
      .find((ms) => ms !== null) ??
    null;
  const sorted = [...timeline].sort((a, b) => a.occurredAt - b.occurredAt);
  const lastResolution = [...timeline].reverse().find((entry) => entry.kind === "resolution") ?? null;
  const startedAt = stated(startLabel, /\b(began|begun|started|start|starting|beginning|first)\b/i) ?? sorted[0]?.occurredAt ?? null;
  const statedEnd = stated(endLabel, /\b(until|resolved|rectified|ended|restored|recovered|fixed)\b/i);
  const resolvedAt = statedEnd ?? lastResolution?.occurredAt ?? (sorted.length > 1 ? sorted[sorted.length - 1].occurredAt : null);
  const detection = timeline.find((entry) => entry.kind === "detection");
  const detectedAt = labels.detected ? instantIn(labels.detected.value, context) : detection?.occurredAt ?? null;
  if (statedEnd !== null && lastResolution && Math.abs(statedEnd - lastResolution.occurredAt) > 10 * 60_000) {
    warnings.push({
      code: "duration-mismatch",
      message: `The summary ends the incident at ${formatInstant(statedEnd, zone.zone)} but the timeline resolves it at ${formatInstant(lastResolution.occurredAt, zone.zone)}; the summary's end was kept`,
    });
  }

  const severityText = labels.severity?.value ?? doc.frontMatter.severity ?? "";
  const severityMatch = /\bsev(?:erity)?\s*-?\s*([1-4])\b/i.exec(severityText) ?? /\bP([1-4])\b/.exec(severityText);
  const severity = severityMatch ? (`SEV${severityMatch[1]}` as Severity) : null;
  if (!severity) warnings.push({ code: "no-severity", message: "The document states no severity: set to SEV3" });
  const services = (labels.services?.value ?? doc.frontMatter.services ?? "")
    .split(/[,;]/)
    .map((name) => name.replace(/[*_`[\]]/g, "").trim())
    .filter(Boolean);
  const percent = impactPercent([labels.impact?.value ?? "", impactText, summary]);
  const classified = classification(labels, options.categories ?? DEFAULT_CATEGORIES, warnings);

  const unplacedText = joinParts(unplaced);
  if (unplacedText) warnings.push({ code: "unplaced", message: "Some text fits no section; it is kept under Unplaced notes" });

  return {
    incident: {
      title: (doc.title ?? "Imported postmortem").replace(/\s+/g, " ").slice(0, 200) || "Imported postmortem",
      severity: severity && SEVERITIES.includes(severity) ? severity : "SEV3",
      status: "closed",
      timeZone: zone.zone,
      startedAt,
      detectedAt: detectedAt !== null && startedAt !== null && detectedAt < startedAt ? startedAt : detectedAt,
      mitigatedAt: null,
      resolvedAt: resolvedAt !== null && startedAt !== null && resolvedAt < startedAt ? null : resolvedAt,
      impactPercent: percent,
      impactDescription: impactText.length <= 2_000 ? impactText : "",
      services,
      ...classified,
      summary,
      rootCause: joinParts([...bodies("rootCause"), ...combined.map((part) => part.rootCause)]),
      resolution: joinParts([...bodies("resolution"), ...combined.map((part) => part.resolution)]),
      lessons: joinParts(bodies("lessons")),
      unplaced: unplacedText,
    },
    timeline,
    actions,
    unplaced: unplacedText,
    warnings,
  };
}

/** The parse as the API answers a dry run: the incident's JSON shape with instants in the document's offset. */
export function parsedJson(parsed: ParsedPostmortem) {
  const zone = parsed.incident.timeZone;
  const iso = (ms: number | null) => (ms === null ? null : toIsoInZone(ms, zone));
  const { incident } = parsed;
  return {
    ...incident,
    startedAt: iso(incident.startedAt),
    detectedAt: iso(incident.detectedAt),
    mitigatedAt: iso(incident.mitigatedAt),
    resolvedAt: iso(incident.resolvedAt),
    timeline: parsed.timeline.map((entry) => ({ ...entry, occurredAt: iso(entry.occurredAt) })),
    actions: parsed.actions,
    unplaced: parsed.unplaced,
    warnings: parsed.warnings,
  };
}

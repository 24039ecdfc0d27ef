// Timeline entries from a timeline section: bullets, numbered items, plain lines,
// pipe tables or one heading per event; dates given per entry or above.
import { localToInstant, zoneLabel } from "~/lib/time";
import type { TimelineKind } from "~/lib/vocabulary";

import { addDay, findDates, findTimes, sameDay, type CalendarDate, type DateMention } from "./moments";
import type { Line } from "./structure";
import { findZone } from "./zones";

export type Warning = { code: string; message: string; line?: number };

export type RawEntry = { ms: number; zone: string; text: string; kind: TimelineKind; line: number; explicitDate: boolean };

export type DateContext = {
  /** The date a line without one falls on. */
  date: CalendarDate | null;
  zone: string;
  zoneStated: boolean;
  /** How the document writes ambiguous dates such as 09-06-2024. */
  order: "day-first" | "month-first";
};

const LIST_MARKER = /^\s*(?:[-*+•]|\d+[.)])\s+(?:\[[ xX]\]\s+)?/;

/** Markdown decoration around a line's words: list markers, emphasis, code ticks, table pipes. */
export function plain(text: string): string {
  return text
    .replace(LIST_MARKER, "")
    .replace(/^#{1,6}\s+/, "")
    .replace(/(\*\*|__|`)/g, "")
    .replace(/(^|\s)[*_](\S)/g, "$1$2")
    .replace(/(\S)[*_](?=\s|$|[,.;:)])/g, "$1")
    .trim();
}

const KIND_WORDS: [RegExp, TimelineKind][] = [
  [/\b(resolved|resolution|recovered|all clear|back to normal|closed the incident|declared resolved|fully restored|incident (is )?over)\b/i, "resolution"],
  [/\b(escalat\w*|paged|page[ds]? (the|out)|on-?call|woke up|called in)\b/i, "escalation"],
  [/\b(status ?page|tweet\w*|announc\w*|notif(y|ied) (customers|users)|customers were (told|informed)|posted an update|email(ed)? customers|communicat\w*)\b/i, "communication"],
  [/\b(alert\w*|detect\w*|noticed|reported|first report|monitor\w* (fired|triggered)|began|started|spike|error rate)\b/i, "detection"],
  [/\b(restart\w*|roll(ed)? ?back|revert\w*|deploy\w*|fail(ed)? ?over|scaled|increased|patched|fixed|applied|disabled|enabled|restored|investigat\w*|identif\w*|ran|migrated|flushed|cleared)\b/i, "action"],
];

export function kindOf(text: string): TimelineKind {
  for (const [pattern, kind] of KIND_WORDS) if (pattern.test(text)) return kind;
  return "note";
}

function readDate(mention: DateMention, context: DateContext): CalendarDate {
  if (mention.order === "ambiguous" && context.order === "month-first") {
    return { year: mention.year, month: mention.day, day: mention.month };
  }
  return { year: mention.year, month: mention.month, day: mention.day };
}

function minutesOf(ms: number, zoneOffsetMs: number): number {
  return Math.floor(((ms + zoneOffsetMs) % 86_400_000) / 60_000);
}

type Item = { text: string; line: number; indent: number; isHeading: boolean };

/** Splits a section into items: list items, table rows, headings, plain lines; code stays attached. */
function items(lines: Line[]): Item[] {
  const result: Item[] = [];
  for (const line of lines) {
    const raw = line.text;
    if (!raw.trim()) continue;
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(raw)) continue; // table rule
    const indent = raw.length - raw.trimStart().length;
    if (line.code) {
      result.push({ text: raw, line: line.number, indent: 99, isHeading: false });
      continue;
    }
    const cells = raw.trim().startsWith("|") ? raw.trim().replace(/^\||\|$/g, "").split("|").map((cell) => cell.trim()) : null;
    result.push({ text: cells ? cells.join(" | ") : raw, line: line.number, indent, isHeading: /^\s*#{1,6}\s/.test(raw) });
  }
  return result;
}

/**
 * Reads entries in document order. A time without a date falls on the date in
 * context; a time earlier in the day than the one before (by more than three
 * hours) falls on the next day; smaller steps back are kept and warned about.
 */
export function readTimeline(lines: Line[], context: DateContext, warnings: Warning[]): { entries: RawEntry[]; leftover: Line[] } {
  const entries: RawEntry[] = [];
  const leftover: Line[] = [];
  let date = context.date;
  let previous: { ms: number; minutes: number; meridiem: boolean; hour: number } | null = null;
  // With one heading per event, the paragraphs under a heading describe it, times and all.
  let underEventHeading = false;

  for (const item of items(lines)) {
    if (item.indent === 99) {
      // Code or log output: its timestamps are not events; it stays with the entry it illustrates.
      if (entries.length) entries[entries.length - 1].text += `\n${item.text}`;
      else leftover.push({ text: item.text, number: item.line, code: true });
      continue;
    }
    const text = plain(item.text);
    // A remark in brackets ("(Note from the scribe: the 12:20 entry…)") describes, it is not an event.
    const aside = /^\(.*\)$/.test(text);
    if ((aside || (underEventHeading && !item.isHeading && !LIST_MARKER.test(item.text))) && entries.length) {
      entries[entries.length - 1].text += `\n\n${text}`;
      continue;
    }
    // An indented line that is not a list item continues the entry above it, whatever times it holds.
    if (item.indent >= 2 && !LIST_MARKER.test(item.text) && entries.length) {
      entries[entries.length - 1].text += `\n${text}`;
      continue;
    }
    const dates = findDates(text);
    const times = findTimes(text);
    const time = times.find((mention) => mention.index < 48 || /\b(at|around|by|from)\s*$/i.test(text.slice(0, mention.index))) ?? times[0];
    if (time?.warning) warnings.push({ code: "impossible-time", message: time.warning, line: item.line });

    if (!time) {
      if (dates.length && text.replace(dates[0].text, "").replace(/[^a-z]/gi, "").length < 12) {
        date = readDate(dates[0], context); // a date line sets the day of what follows
        leftover.push({ text: item.text, number: item.line, code: false });
      } else if (entries.length && (item.indent > 0 || LIST_MARKER.test(item.text) || !item.isHeading)) {
        entries[entries.length - 1].text += `\n${text}`;
      } else {
        leftover.push({ text: item.text, number: item.line, code: false });
      }
      continue;
    }
    // An indented line with a time under an entry is still a description unless it is a list item of its own.
    const dateMention = dates.find((mention) => mention.index <= time.index + time.length + 12) ?? null;
    const zoneMention = findZone(text.slice(time.index));
    const zone = zoneMention?.zone ?? context.zone;
    let day = dateMention ? readDate(dateMention, context) : date;
    if (!day) {
      warnings.push({ code: "no-date", message: `No date for "${time.text.trim()}": add a date to the timeline or the summary`, line: item.line });
      leftover.push({ text: item.text, number: item.line, code: false });
      continue;
    }
    let ms = localToInstant({ ...day, hour: time.hour, minute: time.minute, second: time.second }, zone);
    const offset = ms - Date.UTC(day.year, day.month - 1, day.day, time.hour, time.minute, time.second);
    const minutes = minutesOf(ms, -offset);
    if (!dateMention && previous && ms < previous.ms) {
      const flipped = ms + 12 * 3_600_000;
      if (time.meridiem && time.hour < 12 && flipped >= previous.ms && flipped - previous.ms <= 3 * 3_600_000) {
        // "12:20 AM" between 11:58 AM and 12:45 PM: the AM/PM runs backwards; PM fits.
        ms = flipped;
        warnings.push({ code: "meridiem-backwards", message: `"${time.text.trim()}" would run backwards after the entry before it: read as ${time.hour + 12 === 12 ? 12 : time.hour}:${String(time.minute).padStart(2, "0")} PM`, line: item.line });
      } else if (previous.minutes - minutes > 180) {
        day = addDay(day);
        ms += 86_400_000;
      } else {
        warnings.push({ code: "out-of-order", message: `"${time.text.trim()}" is earlier than the entry before it`, line: item.line });
      }
    }
    if (dateMention) date = day;
    else if (date && !sameDay(date, day)) date = day;
    // A time inside a sentence ("At 09:52 the on-call notices…") stays in it: the sentence reads whole.
    const midSentence = /\p{L}/u.test(text.slice(0, Math.min(time.index, dateMention?.index ?? time.index)));
    // A zone the export will not write the same way ("PST" for UTC-8) is kept, after the text.
    const zoneKept = zoneMention && zoneMention.text.toUpperCase() !== zoneLabel(ms, context.zone).toUpperCase() ? zoneMention.text : null;
    let body = text;
    if (!midSentence) {
      for (const part of [dateMention?.text, time.text, zoneMention?.text]) if (part) body = body.replace(part, " ");
      body = body
        .replace(/\s*\(\s*\)\s*/g, " ")
        .replace(/\b(on|at|around)\s+(?=[\s,:-]*$)/gi, "")
        .replace(/^\W*?(?:on|at|around)?\s*(?:to\s+\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?)?[\s,;:|–—-]*/i, "");
    }
    body = body.replace(/\s{2,}/g, " ").trim();
    // Hindsight's own export writes "(+50m, escalation) - text": the kind is read back, the offset dropped.
    if (zoneKept && !midSentence) body = `${body} (${zoneKept})`;
    const exported = /^\((?:[+-][\dhdm ]+,\s*)?(detection|escalation|action|communication|resolution|note)\)\s*-?\s*/.exec(body);
    const kind = exported ? (exported[1] as TimelineKind) : kindOf(body);
    if (exported) body = body.slice(exported[0].length);
    entries.push({ ms, zone, text: body || text, kind, line: item.line, explicitDate: Boolean(dateMention) });
    underEventHeading = item.isHeading;
    previous = { ms, minutes, meridiem: time.meridiem, hour: time.hour };
  }
  return { entries, leftover };
}

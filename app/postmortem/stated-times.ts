// Reads what a postmortem's prose says about when the outage ended: an end time
// ("persisted until ... 11:10 PM GMT+3") or a duration ("lasted 2 hours",
// "Duration: 1h 30m"). Pure: the review compares it with the recorded times.
import { localDate, normalizeTimeZone, parseDateTimeInput, zoneLabel, type ZoneName } from "~/lib/time";
import { zoneForName } from "~/lib/zone-names";

export type StatedField = "summary" | "impact" | "resolution";

export type StatedEnd = {
  field: StatedField;
  /**
   * How surely the words speak of the whole outage: 1 an end time, 2 a duration
   * named as the outage's ("lasted", "Duration:"), 3 a bare "for 45 minutes".
   */
  strength: 1 | 2 | 3;
  endsAt: number;
  /** The duration as written ("about 45 minutes"), for duration statements. */
  durationText: string | null;
  /** The zone the time was written in, when it differs from the incident's. */
  writtenZone: ZoneName | null;
};

export type StatedContext = { timeZone: ZoneName; startedAt: number | null; referenceDate: string | null };

const TIME = String.raw`(?<![\d:.])(?:\d{1,2}(?::\d{2}){0,2}\s*[ap]m\b|\d{1,2}:\d{2}(?::\d{2})?(?![\d:])|noon\b|midnight\b)`;
// Up to a sentence's end; a period inside a word ("v1.2") does not end it.
const GAP = String.raw`(?:[^.!?\n]|\.(?=\S)){0,140}?`;
const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const DATE_PATTERNS: Array<{ pattern: RegExp; read: (match: RegExpExecArray) => DateParts }> = [
  { pattern: /\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?!\d)/gi, read: (m) => ({ year: +m[1], first: +m[2], second: +m[3], order: "month-day" }) },
  { pattern: /\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b/gi, read: (m) => ({ year: +m[3], first: +m[1], second: +m[2], order: "either" }) },
  {
    pattern: new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(${MONTH})\b\.?,?(?:\s+(\d{4})\b)?`, "gi"),
    read: (m) => ({ year: m[3] ? +m[3] : null, first: monthNumber(m[2]), second: +m[1], order: "month-day" }),
  },
  {
    pattern: new RegExp(String.raw`\b(${MONTH})\b\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{4})\b)?`, "gi"),
    read: (m) => ({ year: m[3] ? +m[3] : null, first: monthNumber(m[1]), second: +m[2], order: "month-day" }),
  },
];
type DateParts = { year: number | null; first: number; second: number; order: "month-day" | "either" };

const ZONE_AFTER_TIME =
  /^(?:Z\b|\s*\(?\s*((?:GMT|UTC)\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?|[+\-\u2212]\d{2}:?\d{2}|(?:eastern|pacific|central|mountain)\s+time|[A-Z]{1,4}T?\b|UTC|GMT)\)?)/i;

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, "forty-five": 45, fifty: 50, ninety: 90,
};
// Longest words first, so "forty-five" is not read as "forty"; a word needs a whole unit ("an hour", not "and").
const WORD_NUMBER = Object.keys(NUMBER_WORDS).sort((a, b) => b.length - a.length).join("|");
const UNIT = String.raw`(?:days?|d|hours?|hrs?|h|minutes?|mins?|m)\b`;
const WORD_UNIT = String.raw`(?:days?|hours?|hrs?|minutes?|mins?)\b`;
// Separators are written so that each stretch of text matches one way only: an optional
// separator between optional spaces ("\s*-?\s*") backtracks exponentially on long input.
const PAIR_CAPTURE = String.raw`(?:(\d+(?:\.\d+)?)(?:\s*-\s*|\s*)(${UNIT})|\b(${WORD_NUMBER})(?:\s+|-)(${WORD_UNIT}))`;
const PAIR = PAIR_CAPTURE.replace(/\((?!\?)/g, "(?:");
const DURATION = String.raw`(?:half an hour|${PAIR}(?:(?:\s*,\s*|\s+and\s+|\s+)${PAIR}){0,3}(?:\s+and\s+a\s+half)?)`;
const ABOUT = String.raw`(?:(?:about|approximately|approx\.?|around|roughly|nearly|almost|over|just over|just under|under|more than|less than|some|a total of|~)\s*)?`;
const OUTAGE = String.raw`(?:outage|incident|downtime|disruption|degradation|interruption)`;

const END_TIME = new RegExp(
  String.raw`\b(until|till|til|(?:resolved|restored|recovered|ended|fixed|back to normal|back online)\b)(${GAP})(${TIME})`,
  "gi",
);
// "from 4:20 PM to 5:10 PM", "between 16:20 and 17:10", "Duration: 4:20 PM - 5:10 PM": read step by
// step on a bounded stretch, so a long document costs linear time.
const RANGE_START = /\b(?:from|between|(?:duration|outage|downtime|incident window|impact window)\s*:)/gi;
const FIRST_TIME = new RegExp(TIME, "i");
const RANGE_REST = new RegExp(String.raw`^(?:[^.!?\n]|\.(?=\S)){0,20}?(?:\bto\b|\band\b|[\u2013\u2014]|\s-\s)(${GAP})(${TIME})`, "i");
const DURATIONS: Array<{ pattern: RegExp; strength: 2 | 3 }> = [
  { pattern: new RegExp(String.raw`\bduration\s*(?::|was|is|of)\s*(?:of\s+)?${ABOUT}(${DURATION})`, "gi"), strength: 2 },
  { pattern: new RegExp(String.raw`\blast(?:ed|s|ing)?\s+(?:for\s+)?${ABOUT}(${DURATION})`, "gi"), strength: 2 },
  { pattern: new RegExp(String.raw`\b${OUTAGE}\s+(?:of|lasting)\s+${ABOUT}(${DURATION})`, "gi"), strength: 2 },
  { pattern: new RegExp(String.raw`\b(${DURATION})(?:-|\s+)(?:long\s+)?${OUTAGE}`, "gi"), strength: 2 },
  { pattern: new RegExp(String.raw`\b(${DURATION})\s+of\s+(?:total\s+)?${OUTAGE}`, "gi"), strength: 2 },
  { pattern: new RegExp(String.raw`\bfor\s+${ABOUT}(${DURATION})`, "gi"), strength: 3 },
];
// "went unnoticed until 4:30 PM" is about detection, "was fine until 4:20 PM" about the start.
const NOT_AN_END_BEFORE = /(notic|detect|discover|spott|aware|report|alert|realiz|realis|fine|normal|normally|healthy|stable|well|smoothly|working)\w*\s*$/i;

function monthNumber(word: string): number {
  const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
  return months.indexOf(word.slice(0, 3).toLowerCase()) + 1;
}

function isoDate(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function daysBetween(a: string, b: string): number {
  return Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000;
}

/** A written date as YYYY-MM-DD; "09-06-2024" takes the reading nearer the incident (day first on a tie). */
function readDate(parts: DateParts, referenceDate: string | null): string | null {
  const year = parts.year ?? (referenceDate ? Number(referenceDate.slice(0, 4)) : null);
  if (year === null) return null;
  if (parts.order === "month-day") return isoDate(year, parts.first, parts.second);
  const candidates = [isoDate(year, parts.second, parts.first), isoDate(year, parts.first, parts.second)].filter(
    (date): date is string => date !== null,
  );
  if (!referenceDate || candidates.length < 2) return candidates[0] ?? null;
  return daysBetween(candidates[1], referenceDate) < daysBetween(candidates[0], referenceDate) ? candidates[1] : candidates[0];
}

/** The last date written in a stretch of text, if any. */
function lastDate(text: string, referenceDate: string | null): string | null {
  let best: { index: number; date: string | null } | null = null;
  for (const { pattern, read } of DATE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (!best || match.index > best.index) best = { index: match.index, date: readDate(read(match), referenceDate) };
    }
  }
  return best?.date ?? null;
}

/** A date written right after a time ("11:10 PM GMT+3 on 10 June"), if any. */
function dateAfter(afterZone: string, referenceDate: string | null): string | null {
  const lead = /^\s*,?\s*(?:on\s+)?/i.exec(afterZone)?.[0].length ?? 0;
  const text = afterZone.slice(lead, lead + 24);
  for (const { pattern, read } of DATE_PATTERNS) {
    const match = new RegExp(pattern.source, "iy").exec(text);
    if (match) return readDate(read(match), referenceDate);
  }
  return null;
}

function zoneAfter(rest: string, context: StatedContext, nearMs: number | null): ZoneName | null {
  const match = ZONE_AFTER_TIME.exec(rest);
  if (!match) return null;
  if (!match[1]) return "UTC";
  const written = match[1].replace(/\s+/g, " ").trim();
  const offset = normalizeTimeZone(written.replace(/\s/g, ""));
  if (offset && /\d|^(utc|gmt)$/i.test(written)) return offset;
  // The incident's own zone written by its abbreviation ("EDT" for America/New_York) keeps its DST rules.
  if (nearMs !== null && zoneLabel(nearMs, context.timeZone).toLowerCase() === written.toLowerCase()) return context.timeZone;
  return zoneForName(written);
}

function addDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The instant a time in the prose stands for, read in the incident's zone and date. */
function readEndTime(before: string, time: string, after: string, context: StatedContext): { ms: number; zone: ZoneName } | null {
  const { referenceDate, startedAt } = context;
  const writtenDate = lastDate(before, referenceDate) ?? dateAfter(after.replace(ZONE_AFTER_TIME, ""), referenceDate);
  const date = writtenDate ?? referenceDate;
  if (!date) return null;
  const zone = zoneAfter(after, context, startedAt) ?? context.timeZone;
  const parsed = parseDateTimeInput(time, zone, date);
  if (!parsed.ok) return null;
  // A time alone that is earlier in the day than the start means the next day.
  if (!writtenDate && startedAt !== null && parsed.ms < startedAt) {
    const nextDay = parseDateTimeInput(time, zone, addDay(date));
    return nextDay.ok ? { ms: nextDay.ms, zone } : null;
  }
  return { ms: parsed.ms, zone };
}

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000 };

function durationMs(text: string): number {
  const lower = text.toLowerCase();
  if (lower === "half an hour") return 30 * 60_000;
  let total = 0;
  let lastUnit = 0;
  for (const match of lower.matchAll(new RegExp(PAIR_CAPTURE, "gi"))) {
    const amount = match[1] !== undefined ? Number(match[1]) : NUMBER_WORDS[match[3]];
    lastUnit = UNIT_MS[(match[2] ?? match[4])[0]];
    total += amount * lastUnit;
  }
  if (/and a half$/.test(lower)) total += lastUnit / 2;
  return total;
}

function normalize(text: string): string {
  return text
    .replace(/\*\*|__|`/g, "")
    .replace(/\b([ap])\.\s?m\.?(?=[\s,;)]|$)/gi, "$1m")
    .replace(/[ \t]+/g, " ");
}

function statementsIn(field: StatedField, raw: string, context: StatedContext): StatedEnd[] {
  const text = normalize(raw);
  const found: StatedEnd[] = [];
  const written = (zone: ZoneName) => (zone === context.timeZone ? null : zone);
  const endAt = (gap: string, time: string, afterIndex: number) => {
    const end = readEndTime(gap, time, text.slice(afterIndex, afterIndex + 80), context);
    // An "end" at or before the start speaks of something else ("worked until the 4:20 PM deploy").
    if (end && (context.startedAt === null || end.ms > context.startedAt)) found.push({ field, strength: 1, endsAt: end.ms, durationText: null, writtenZone: written(end.zone) });
  };
  for (const match of text.matchAll(END_TIME)) {
    const start = match.index;
    if (/^(until|till|til)$/i.test(match[1]) && NOT_AN_END_BEFORE.test(text.slice(Math.max(0, start - 40), start))) continue;
    endAt(match[2], match[3], start + match[0].length);
  }
  for (const match of text.matchAll(RANGE_START)) {
    const from = match.index + match[0].length;
    const first = FIRST_TIME.exec(text.slice(from, from + 80));
    if (!first || /[.!?\n]/.test(text.slice(from, from + first.index).replace(/\.(?=\S)/g, ""))) continue;
    const restStart = from + first.index + first[0].length;
    const rest = RANGE_REST.exec(text.slice(restStart, restStart + 200));
    if (rest) endAt(rest[1], rest[2], restStart + rest[0].length);
  }
  if (context.startedAt === null) return found;
  for (const { pattern, strength } of DURATIONS) {
    // A bare "for 30 minutes" in the resolution is usually the wait before declaring it resolved.
    if (strength === 3 && field === "resolution") continue;
    for (const match of text.matchAll(pattern)) {
      const ms = durationMs(match[1]);
      if (ms > 0) {
        found.push({ field, strength, endsAt: context.startedAt + ms, durationText: durationWords(match[0], match[1]), writtenZone: null });
      }
    }
  }
  return found;
}

/** "about 45 minutes": the duration with the qualifier written before it. */
function durationWords(whole: string, duration: string): string {
  const before = whole.slice(0, whole.indexOf(duration));
  const qualifier = new RegExp(String.raw`${ABOUT}$`, "i").exec(before)?.[0] ?? "";
  return `${qualifier}${duration}`.trim();
}

/**
 * Every stated end in the given texts, strongest wording first; within a
 * strength, the latest end first (a summary may also mention a partial recovery).
 */
export function findStatedEnds(sources: Array<{ field: StatedField; text: string }>, context: StatedContext): StatedEnd[] {
  const referenceDate = context.referenceDate ?? (context.startedAt !== null ? localDate(context.startedAt, context.timeZone) : null);
  const all = sources.flatMap(({ field, text }) => (text.trim() ? statementsIn(field, text, { ...context, referenceDate }) : []));
  return all.sort((a, b) => a.strength - b.strength || b.endsAt - a.endsAt);
}

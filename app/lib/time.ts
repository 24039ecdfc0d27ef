// Time zones, parsing of typed times, and formatting of instants.
// Pure functions: used by the server, the CLI and the browser alike.
import { TZDate, tz } from "@date-fns/tz";
import { format } from "date-fns";

/**
 * A zone as the incident stores it: "UTC", a fixed offset written like the
 * postmortems write it ("GMT+3", "UTC-5", "GMT+5:30"), or an IANA name
 * ("Europe/Berlin").
 */
export type ZoneName = string;

type Zone =
  | { kind: "fixed"; name: string; offsetMinutes: number; dateFnsName: string }
  | { kind: "iana"; name: string; dateFnsName: string };

const OFFSET_PATTERN = /^(GMT|UTC|Z)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$/i;
const zoneCache = new Map<string, Zone | null>();

function resolveZone(input: string): Zone | null {
  const trimmed = input.trim();
  if (zoneCache.has(trimmed)) return zoneCache.get(trimmed) ?? null;
  const zone = computeZone(trimmed);
  if (zoneCache.size > 500) zoneCache.clear();
  zoneCache.set(trimmed, zone);
  return zone;
}

function computeZone(input: string): Zone | null {
  if (/^(utc|gmt|z|etc\/utc|etc\/gmt)$/i.test(input)) {
    return { kind: "fixed", name: "UTC", offsetMinutes: 0, dateFnsName: "UTC" };
  }
  const offset = OFFSET_PATTERN.exec(input);
  if (offset) {
    const prefix = (offset[1] ?? "GMT").toUpperCase() === "UTC" ? "UTC" : "GMT";
    const sign = offset[2] === "+" ? 1 : -1;
    const hours = Number(offset[3]);
    const minutes = Number(offset[4] ?? 0);
    // No zone on Earth is offset by minutes alone; "GMT-0:30" is a typo, not a zone.
    if (minutes >= 60 || (hours === 0 && minutes !== 0)) return null;
    const offsetMinutes = sign * (hours * 60 + minutes);
    if (offsetMinutes < -12 * 60 || offsetMinutes > 14 * 60) return null;
    if (offsetMinutes === 0) return { kind: "fixed", name: "UTC", offsetMinutes: 0, dateFnsName: "UTC" };
    const name = `${prefix}${sign > 0 ? "+" : "-"}${hours}${minutes ? `:${pad2(minutes)}` : ""}`;
    // "Etc/GMT-3" is UTC+3 (POSIX signs are inverted) and is ten times faster in
    // @date-fns/tz than "+03:00" on Node 20 (see ../shared/STACK.md).
    const dateFnsName =
      minutes === 0
        ? `Etc/GMT${sign > 0 ? "-" : "+"}${hours}`
        : `${sign > 0 ? "+" : "-"}${pad2(hours)}:${pad2(minutes)}`;
    return { kind: "fixed", name, offsetMinutes, dateFnsName };
  }
  // Only Area/City names: abbreviations such as IST or CST mean different zones to different teams.
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)+$/.test(input)) return null;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: input });
  } catch {
    return null;
  }
  // Keep the name as the user knows it (Asia/Kolkata, not ICU's older Asia/Calcutta), with its usual capitals.
  const name = ianaSpelling(input);
  return { kind: "iana", name, dateFnsName: name };
}

let knownZones: Map<string, string> | undefined;
function ianaSpelling(input: string): string {
  knownZones ??= new Map(Intl.supportedValuesOf("timeZone").map((zone) => [zone.toLowerCase(), zone]));
  return knownZones.get(input.toLowerCase()) ?? input.split("/").map((part) => part.replace(/(^|[_-])([a-z])/g, (_match, separator: string, letter: string) => separator + letter.toUpperCase())).join("/");
}

/** The canonical spelling of a zone, or null when it is not one. */
export function normalizeTimeZone(input: string): ZoneName | null {
  return resolveZone(input)?.name ?? null;
}

export function isValidTimeZone(input: string): boolean {
  return resolveZone(input) !== null;
}

function zoneOrThrow(zone: ZoneName): Zone {
  const resolved = resolveZone(zone);
  if (!resolved) throw new Error(`Unknown time zone "${zone}"`);
  return resolved;
}

const tzCache = new Map<string, ReturnType<typeof tz>>();
function inZone(zone: ZoneName) {
  const name = zoneOrThrow(zone).dateFnsName;
  let context = tzCache.get(name);
  if (!context) {
    context = tz(name);
    tzCache.set(name, context);
  }
  return context;
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}

/** Offset of the zone from UTC at an instant, in minutes (east positive). */
export function zoneOffsetMinutes(ms: number, zone: ZoneName): number {
  const resolved = zoneOrThrow(zone);
  if (resolved.kind === "fixed") return resolved.offsetMinutes;
  return -new TZDate(ms, resolved.dateFnsName).getTimezoneOffset();
}

const abbreviationFormatters = new Map<string, Intl.DateTimeFormat>();
function abbreviation(ms: number, ianaName: string, locale: string): string {
  const key = `${locale}|${ianaName}`;
  let formatter = abbreviationFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone: ianaName, timeZoneName: "short" });
    abbreviationFormatters.set(key, formatter);
  }
  return formatter.formatToParts(ms).find((part) => part.type === "timeZoneName")?.value ?? "";
}

/**
 * How the zone is written next to a time: the fixed-offset name as the user
 * wrote it ("GMT+3"), or the abbreviation in force at that instant for named
 * zones ("EDT", "CEST"), falling back to "GMT+5:30" style where none exists.
 */
export function zoneLabel(ms: number, zone: ZoneName): string {
  const resolved = zoneOrThrow(zone);
  if (resolved.kind === "fixed") return resolved.name;
  const american = abbreviation(ms, resolved.name, "en-US");
  if (!american.startsWith("GMT")) return american;
  const british = abbreviation(ms, resolved.name, "en-GB");
  return british.startsWith("GMT") || british.startsWith("UTC") ? american : british;
}

/** "9 June 2024": day and month written so neither can be mistaken for the other. */
export function formatDate(ms: number, zone: ZoneName): string {
  return format(ms, "d MMMM yyyy", { in: inZone(zone) });
}

/** "4:20 PM", or "4:20:41 PM" when the seconds were recorded. */
export function formatTime(ms: number, zone: ZoneName): string {
  return format(ms, Math.floor(ms / 1000) % 60 === 0 ? "h:mm a" : "h:mm:ss a", { in: inZone(zone) });
}

/** "9 June 2024, 4:20 PM GMT+3" */
export function formatInstant(ms: number, zone: ZoneName): string {
  return `${formatDate(ms, zone)}, ${formatTime(ms, zone)} ${zoneLabel(ms, zone)}`;
}

/** "2024-06-09T16:20:00+03:00": ISO 8601 with the zone's offset at that instant. */
export function toIsoInZone(ms: number, zone: ZoneName): string {
  const text = format(ms, "yyyy-MM-dd'T'HH:mm:ssxxx", { in: inZone(zone) });
  return text;
}

/** "2024-06-09": the calendar date of an instant in a zone. */
export function localDate(ms: number, zone: ZoneName): string {
  return format(ms, "yyyy-MM-dd", { in: inZone(zone) });
}

/** "2024-06-09 16:20" (seconds only when there are some): how a time is shown in an input for editing. */
export function formatForInput(ms: number, zone: ZoneName): string {
  return format(ms, Math.floor(ms / 1000) % 60 === 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss", { in: inZone(zone) });
}

/** The instant at which a wall-clock time happens in a zone. */
export function localToInstant(
  parts: { year: number; month: number; day: number; hour: number; minute: number; second?: number },
  zone: ZoneName,
): number {
  const resolved = zoneOrThrow(zone);
  const second = parts.second ?? 0;
  if (resolved.kind === "fixed") {
    return (
      Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, second) -
      resolved.offsetMinutes * 60_000
    );
  }
  return new TZDate(
    parts.year,
    parts.month - 1,
    parts.day,
    parts.hour,
    parts.minute,
    second,
    resolved.dateFnsName,
  ).getTime();
}

// ---------------------------------------------------------------------------
// Parsing what people type

export type ParseResult = { ok: true; ms: number } | { ok: false; error: string };

const MONTHS = [
  "january", "february", "march", "april", "may", "june",
  "july", "august", "september", "october", "november", "december",
];

type TimeOfDay = { hour: number; minute: number; second: number };

/** Reads "16:20", "16:20:05", "4:20 PM", "4:20pm", "6PM", "noon", "midnight". */
export function parseTimeOfDay(input: string): { ok: true; time: TimeOfDay } | { ok: false; error: string } {
  const text = input.trim().toLowerCase();
  if (text === "noon" || text === "midday") return { ok: true, time: { hour: 12, minute: 0, second: 0 } };
  if (text === "midnight") return { ok: true, time: { hour: 0, minute: 0, second: 0 } };
  const twelve = /^(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*([ap])\.?\s*m\.?$/.exec(text);
  if (twelve) {
    const hour = Number(twelve[1]);
    const minute = Number(twelve[2] ?? 0);
    const second = Number(twelve[3] ?? 0);
    if (hour < 1 || hour > 12) {
      return { ok: false, error: `"${input.trim()}" is not a time: a 12-hour clock runs from 1 to 12` };
    }
    if (minute > 59 || second > 59) return { ok: false, error: `"${input.trim()}" is not a time of day` };
    const isPm = twelve[4] === "p";
    return { ok: true, time: { hour: (hour % 12) + (isPm ? 12 : 0), minute, second } };
  }
  const twentyFour = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(text);
  if (twentyFour) {
    const hour = Number(twentyFour[1]);
    const minute = Number(twentyFour[2]);
    const second = Number(twentyFour[3] ?? 0);
    if (hour > 23 || minute > 59 || second > 59) {
      return { ok: false, error: `"${input.trim()}" is not a time of day` };
    }
    return { ok: true, time: { hour, minute, second } };
  }
  return { ok: false, error: `Could not read "${input.trim()}" as a time` };
}

type CalendarDate = { year: number; month: number; day: number };

function validDate(year: number, month: number, day: number): CalendarDate | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth ? { year, month, day } : null;
}

/** Splits "2024-06-09 4:20 PM" / "9 June 2024, 4:20 PM" into a date and the rest. */
function splitDate(text: string): { date: CalendarDate | null; rest: string; sawDate: boolean } {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s,]+|$)/i.exec(text);
  if (iso) {
    return {
      date: validDate(Number(iso[1]), Number(iso[2]), Number(iso[3])),
      rest: text.slice(iso[0].length),
      sawDate: true,
    };
  }
  const written = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})(?:[\s,]+|$)/i.exec(text);
  if (written) {
    const month = monthNumber(written[2]);
    if (month) {
      return {
        date: validDate(Number(written[3]), month, Number(written[1])),
        rest: text.slice(written[0].length),
        sawDate: true,
      };
    }
  }
  const american = /^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[\s,]+|$)/i.exec(text);
  if (american) {
    const month = monthNumber(american[1]);
    if (month) {
      return {
        date: validDate(Number(american[3]), month, Number(american[2])),
        rest: text.slice(american[0].length),
        sawDate: true,
      };
    }
  }
  return { date: null, rest: text, sawDate: false };
}

function monthNumber(word: string): number | null {
  const lower = word.toLowerCase();
  if (lower.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(lower));
  return index === -1 ? null : index + 1;
}

/** Splits a trailing zone ("GMT+3", "UTC", "+03:00", "Z") off a time. */
function splitZone(text: string): { rest: string; zone: ZoneName | null } {
  const match = /\s*((?:GMT|UTC)(?:\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?)?|Z|[+\-\u2212]\d{2}:?\d{2})$/i.exec(text);
  if (!match || match.index === 0) return { rest: text, zone: null };
  const zone = normalizeTimeZone(match[1]);
  if (!zone) return { rest: text, zone: null };
  return { rest: text.slice(0, match.index), zone };
}

/**
 * Reads a time as typed into a form or sent to the API:
 *   - an ISO 8601 instant with an offset ("2024-06-09T13:20:00Z", "...+03:00"),
 *   - a date and time read in `zone` ("2024-06-09 16:20", "9 June 2024, 4:20 PM"),
 *   - a time alone ("4:20 PM", "16:20"), read in `zone` on `referenceDate`.
 * A time that does not exist in the zone (inside a DST gap) is refused.
 */
export function parseDateTimeInput(
  input: string,
  zone: ZoneName,
  referenceDate?: string | null,
): ParseResult {
  const text = input.trim().replace(/\s+/g, " ");
  if (!text) return { ok: false, error: "Enter a time" };
  const hint = referenceDate
    ? "Use 16:20, 4:20 PM or 2024-06-09 16:20"
    : "Use a date and time such as 2024-06-09 16:20";

  const { rest: withoutZone, zone: statedZone } = splitZone(text);
  const effectiveZone = statedZone ?? zone;
  if (!isValidTimeZone(effectiveZone)) return { ok: false, error: `Unknown time zone "${effectiveZone}"` };

  const { date, rest, sawDate } = splitDate(withoutZone);
  if (sawDate && !date) return { ok: false, error: `"${text}" is not a date in the calendar` };
  const timeText = rest.replace(/^(at|,)\s*/i, "").trim();

  let calendarDate = date;
  if (!calendarDate) {
    if (!referenceDate) {
      const time = parseTimeOfDay(timeText);
      return { ok: false, error: time.ok ? "Add a date to the time, e.g. 2024-06-09 16:20" : `${time.error}. ${hint}` };
    }
    const [year, month, day] = referenceDate.split("-").map(Number);
    calendarDate = { year, month, day };
  }

  // A date alone is not a time: midnight would be a guess.
  if (!timeText) return { ok: false, error: `Add a time to the date, e.g. ${text} 16:20` };
  const time = parseTimeOfDay(timeText);
  if (!time.ok) return { ok: false, error: `${time.error}. ${hint}` };

  const ms = localToInstant({ ...calendarDate, ...time.time }, effectiveZone);
  // A wall-clock time inside a DST gap does not exist; TZDate would move it silently.
  const roundTrip = format(ms, "yyyy-M-d H:m:s", { in: inZone(effectiveZone) });
  const wanted = `${calendarDate.year}-${calendarDate.month}-${calendarDate.day} ${time.time.hour}:${time.time.minute}:${time.time.second}`;
  if (roundTrip !== wanted) {
    return {
      ok: false,
      error: `${timeText} does not exist on ${calendarDate.day} ${capitalize(MONTHS[calendarDate.month - 1])} ${calendarDate.year} in ${effectiveZone}: the clocks went forward`,
    };
  }
  return { ok: true, ms };
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** "30 June 2024" from "2024-06-30": a calendar date in the same unambiguous style as the times. */
export function formatCalendarDate(isoDate: string): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  return `${day} ${capitalize(MONTHS[month - 1])} ${year}`;
}

/** Reads a calendar date "YYYY-MM-DD" (as sent by date inputs and the API). */
/** A calendar date ("YYYY-MM-DD") as the UTC day it names: [start, end) instants, or null when it is not a date. */
export function utcDayRange(text: string): { start: number; end: number } | null {
  const parsed = parseCalendarDate(text);
  if (!parsed.ok) return null;
  const start = Date.parse(`${parsed.date}T00:00:00Z`);
  return { start, end: start + 86_400_000 };
}

export function parseCalendarDate(input: string): { ok: true; date: string } | { ok: false; error: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.trim());
  if (!match || !validDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    return { ok: false, error: "Use a date such as 2024-06-30" };
  }
  return { ok: true, date: match[0] };
}

// ---------------------------------------------------------------------------
// Durations

/** "6h 50m", "50m", "2d 3h", "0m": minutes are the finest grain a postmortem needs. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (minutes || parts.length === 0) parts.push(`${minutes}m`);
  return parts.join(" ");
}

/** "+50m", "+1h 5m", "-10m": the time of an entry relative to the incident's start. */
export function formatSinceStart(ms: number, startedAt: number): string {
  const delta = ms - startedAt;
  return `${delta < 0 ? "-" : "+"}${formatDuration(delta)}`;
}

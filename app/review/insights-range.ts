// The date range of the Insights page and its CSV exports: calendar dates read as UTC days,
// both included, by incident start. Pure, shared by the page's loader and the exports.
import { parseCalendarDate, utcDayRange } from "~/lib/time";

/** Calendar dates "YYYY-MM-DD", both included, read as UTC days. */
export type InsightsRange = { from: string; to: string };

export const DAY_MS = 86_400_000;
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** Longer ranges would draw hundreds of bars and read every incident ever recorded. */
export const MAX_RANGE_YEARS = 10;

// ---------------------------------------------------------------------------
// The range, as typed into the page or its CSV links

export type RangeResult =
  | { ok: true; range: InsightsRange }
  | { ok: false; errors: Partial<Record<"from" | "to", string>>; values: { from: string; to: string } };

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function addMonths(isoDate: string, months: number): string {
  const [year, month] = isoDate.split("-").map(Number);
  return utcDate(Date.UTC(year, month - 1 + months, 1));
}

/**
 * Reads ?from=&to=. Blank, they default to the last 12 calendar months up to today (UTC): from the
 * first of the month 11 months back, so every bar but the last is a whole month.
 */
export function readRange(params: URLSearchParams, now = Date.now()): RangeResult {
  const values = { from: params.get("from")?.trim() ?? "", to: params.get("to")?.trim() ?? "" };
  const errors: Partial<Record<"from" | "to", string>> = {};
  const parse = (name: "from" | "to") => {
    if (!values[name]) return null;
    const parsed = parseCalendarDate(values[name]);
    if (parsed.ok) return parsed.date;
    errors[name] = "Use a date such as 2026-01-31";
    return null;
  };
  const fromDate = parse("from");
  const toDate = parse("to");
  if (Object.keys(errors).length) return { ok: false, errors, values };
  const to = toDate ?? (fromDate && fromDate > utcDate(now) ? fromDate : utcDate(now));
  const from = fromDate ?? addMonths(to, -11);
  if (from > to) return { ok: false, errors: { to: "The end must be on or after the start" }, values };
  if (to > addMonths(from, MAX_RANGE_YEARS * 12)) {
    return { ok: false, errors: { to: `Choose a range of at most ${MAX_RANGE_YEARS} years` }, values };
  }
  return { ok: true, range: { from, to } };
}

/** The range as UTC instants: from inclusive, to exclusive (the day after the last). */
export function rangeMs(range: InsightsRange): { fromMs: number; toMs: number } {
  // The range's dates were checked when it was read (readInsightsRange).
  return { fromMs: utcDayRange(range.from)!.start, toMs: utcDayRange(range.to)!.end };
}

/** Every month the range touches (UTC months), with the part of it inside the range. */
export function monthsOf(range: InsightsRange): { month: string; label: string; from: string; to: string }[] {
  const out = [];
  for (let first = `${range.from.slice(0, 7)}-01`; first <= range.to; first = addMonths(first, 1)) {
    const last = utcDate(Date.parse(`${addMonths(first, 1)}T00:00:00Z`) - DAY_MS);
    const [year, month] = first.split("-").map(Number);
    out.push({
      month: first.slice(0, 7),
      label: `${MONTH_NAMES[month - 1]} ${year}`,
      from: first < range.from ? range.from : first,
      to: last > range.to ? range.to : last,
    });
  }
  return out;
}

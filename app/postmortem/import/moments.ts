// Dates and times as postmortems write them, found anywhere in a line.

export type CalendarDate = { year: number; month: number; day: number };
export type DateMention = CalendarDate & { index: number; length: number; text: string; order?: "day-first" | "month-first" | "ambiguous" };
export type TimeMention = { hour: number; minute: number; second: number; index: number; length: number; text: string; meridiem: boolean; warning?: string };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_WORD = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const ORDINAL = "(\\d{1,2})(?:st|nd|rd|th)?";

function monthOf(word: string): number {
  return MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;
}

function valid(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1970 || year > 2100) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DATE_PATTERNS: { pattern: RegExp; read: (match: RegExpExecArray) => Omit<DateMention, "index" | "length" | "text"> | null }[] = [
  // 2024-06-09, 2019-1-17, 2017/01/31
  {
    pattern: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?=\b|T)/g,
    read: (m) => ({ year: +m[1], month: +m[2], day: +m[3] }),
  },
  // 09-06-2024, 12/31/2023, 9.6.2024
  {
    pattern: /\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b/g,
    read: (m) => {
      const first = +m[1];
      const second = +m[2];
      const year = +m[3];
      if (first > 12 && second <= 12) return { year, month: second, day: first, order: "day-first" };
      if (second > 12 && first <= 12) return { year, month: first, day: second, order: "month-first" };
      if (first === second) return { year, month: first, day: first, order: "day-first" };
      return { year, month: second, day: first, order: "ambiguous" };
    },
  },
  // May 12th, 2023 · Aug 28, 2023 · June 9 2024
  {
    pattern: new RegExp(`\\b${MONTH_WORD}\\s+${ORDINAL},?\\s+(\\d{4})\\b`, "gi"),
    read: (m) => ({ year: +m[3], month: monthOf(m[1]), day: +m[2] }),
  },
  // 2nd May, 2023 · 9 June 2024 · 9th of June 2024
  {
    pattern: new RegExp(`\\b${ORDINAL}\\s+(?:of\\s+)?${MONTH_WORD},?\\s+(\\d{4})\\b`, "gi"),
    read: (m) => ({ year: +m[3], month: monthOf(m[2]), day: +m[1] }),
  },
];

/** Every date in a line, in order. A day-first/month-first reading is left to the caller when ambiguous. */
export function findDates(line: string): DateMention[] {
  const found: DateMention[] = [];
  for (const { pattern, read } of DATE_PATTERNS) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(line); match; match = pattern.exec(line)) {
      const date = read(match);
      if (!date || !valid(date.year, date.month, date.day)) {
        // An ambiguous date may only be valid read the other way.
        if (date?.order === "ambiguous" && valid(date.year, date.day, date.month)) {
          found.push({ ...date, month: date.day, day: date.month, order: "month-first", index: match.index, length: match[0].length, text: match[0] });
        }
        continue;
      }
      if (found.some((other) => match!.index < other.index + other.length && other.index < match!.index + match![0].length)) continue;
      found.push({ ...date, index: match.index, length: match[0].length, text: match[0] });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

const TIME_PATTERN =
  /(?<![\d.:/])(?:(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?![\d])(?:\s*([ap])\.?\s?m\.?(?![a-z]))?|(\d{1,2})\s*([ap])\.?\s?m\.?(?![a-z])|\b(midnight|noon|midday)\b)/gi;

/** Every time of day in a line, in order; odd ones ("00:30 AM") carry a warning. */
export function findTimes(line: string): TimeMention[] {
  const found: TimeMention[] = [];
  TIME_PATTERN.lastIndex = 0;
  for (let match = TIME_PATTERN.exec(line); match; match = TIME_PATTERN.exec(line)) {
    const base = { index: match.index, length: match[0].length, text: match[0] };
    if (match[7]) {
      const hour = match[7].toLowerCase() === "midnight" ? 0 : 12;
      found.push({ ...base, hour, minute: 0, second: 0, meridiem: true });
      continue;
    }
    const meridiemLetter = (match[4] ?? match[6])?.toLowerCase();
    const hour = Number(match[1] ?? match[5]);
    const minute = Number(match[2] ?? 0);
    const second = Number(match[3] ?? 0);
    if (minute > 59 || second > 59) continue;
    if (meridiemLetter) {
      if (hour > 23) continue;
      if (hour < 1 || hour > 12) {
        // "00:30 AM" or "13:00 PM": the 24-hour reading is plain; kept, with a warning.
        found.push({ ...base, hour, minute, second, meridiem: false, warning: `"${match[0].trim()}" mixes 24- and 12-hour clocks; read as ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}` });
        continue;
      }
      found.push({ ...base, hour: (hour % 12) + (meridiemLetter === "p" ? 12 : 0), minute, second, meridiem: true });
      continue;
    }
    if (hour > 23) continue;
    found.push({ ...base, hour, minute, second, meridiem: false });
  }
  return found;
}

export function sameDay(a: CalendarDate, b: CalendarDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

export function addDay(date: CalendarDate, days = 1): CalendarDate {
  const next = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

export function isoDate(date: CalendarDate): string {
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

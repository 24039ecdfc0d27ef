import { describe, expect, it } from "vitest";

import {
  formatDuration,
  formatForInput,
  formatInstant,
  formatSinceStart,
  normalizeTimeZone,
  parseDateTimeInput,
  parseTimeOfDay,
  toIsoInZone,
  zoneLabel,
} from "~/lib/time";

const utc = (iso: string) => Date.parse(iso);

function parsed(input: string, zone: string, referenceDate?: string | null) {
  const result = parseDateTimeInput(input, zone, referenceDate);
  if (!result.ok) throw new Error(`expected "${input}" to parse, got: ${result.error}`);
  return new Date(result.ms).toISOString();
}

function rejection(input: string, zone: string, referenceDate?: string | null) {
  const result = parseDateTimeInput(input, zone, referenceDate);
  if (result.ok) throw new Error(`expected "${input}" to be refused, got ${new Date(result.ms).toISOString()}`);
  return result.error;
}

describe("time zones", () => {
  it("normalizes offsets the way postmortems write them", () => {
    expect(normalizeTimeZone("GMT+3")).toBe("GMT+3");
    expect(normalizeTimeZone("gmt+03:00")).toBe("GMT+3");
    expect(normalizeTimeZone("UTC-5")).toBe("UTC-5");
    expect(normalizeTimeZone("UTC\u22125")).toBe("UTC-5");
    expect(normalizeTimeZone("+05:30")).toBe("GMT+5:30");
    expect(normalizeTimeZone("GMT")).toBe("UTC");
    expect(normalizeTimeZone("utc+0")).toBe("UTC");
    expect(normalizeTimeZone("europe/berlin")).toBe("Europe/Berlin");
  });

  it("keeps a zone's name as people know it, not ICU's older alias", () => {
    expect(normalizeTimeZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(normalizeTimeZone("europe/kyiv")).toBe("Europe/Kyiv");
    expect(normalizeTimeZone("america/los_angeles")).toBe("America/Los_Angeles");
  });

  it("refuses abbreviations that mean different zones to different teams", () => {
    for (const abbreviation of ["IST", "CST", "EST", "CET", "PST"]) expect(normalizeTimeZone(abbreviation)).toBeNull();
  });

  it("refuses what is not a zone", () => {
    expect(normalizeTimeZone("GMT-0:30")).toBeNull();
    expect(normalizeTimeZone("Mars/Olympus")).toBeNull();
    expect(normalizeTimeZone("GMT+15")).toBeNull();
    expect(normalizeTimeZone("GMT+3:75")).toBeNull();
    expect(normalizeTimeZone("<script>")).toBeNull();
  });

  it("labels fixed offsets as written and named zones by their abbreviation at that instant", () => {
    expect(zoneLabel(utc("2024-06-09T13:20:00Z"), "GMT+3")).toBe("GMT+3");
    expect(zoneLabel(utc("2024-06-09T13:20:00Z"), "America/New_York")).toBe("EDT");
    expect(zoneLabel(utc("2024-01-09T13:20:00Z"), "America/New_York")).toBe("EST");
    expect(zoneLabel(utc("2024-06-09T13:20:00Z"), "Europe/London")).toBe("BST");
  });
});

describe("formatting instants", () => {
  const start = utc("2024-06-09T13:20:00Z");

  it("writes day and month so neither can be mistaken (seed: 09-06-2024 4:20 PM GMT+3)", () => {
    expect(formatInstant(start, "GMT+3")).toBe("9 June 2024, 4:20 PM GMT+3");
  });

  it("shows the same instant in a negative offset and in UTC", () => {
    expect(formatInstant(start, "UTC-5")).toBe("9 June 2024, 8:20 AM UTC-5");
    expect(formatInstant(start, "UTC")).toBe("9 June 2024, 1:20 PM UTC");
  });

  it("moves to the previous day when the offset crosses midnight", () => {
    expect(formatInstant(utc("2024-06-09T02:00:00Z"), "UTC-5")).toBe("8 June 2024, 9:00 PM UTC-5");
  });

  it("gives ISO 8601 with the zone's own offset", () => {
    expect(toIsoInZone(start, "GMT+3")).toBe("2024-06-09T16:20:00+03:00");
    expect(toIsoInZone(start, "UTC-5")).toBe("2024-06-09T08:20:00-05:00");
    expect(toIsoInZone(start, "GMT+5:30")).toBe("2024-06-09T18:50:00+05:30");
    expect(toIsoInZone(start, "UTC")).toBe("2024-06-09T13:20:00+00:00");
  });

  it("follows a DST zone across its change (America/New_York, 10 March 2024)", () => {
    const beforeChange = utc("2024-03-10T06:30:00Z"); // 1:30 AM EST
    const afterChange = utc("2024-03-10T07:30:00Z"); // 3:30 AM EDT, one hour later
    expect(formatInstant(beforeChange, "America/New_York")).toBe("10 March 2024, 1:30 AM EST");
    expect(formatInstant(afterChange, "America/New_York")).toBe("10 March 2024, 3:30 AM EDT");
    expect(toIsoInZone(afterChange, "America/New_York")).toBe("2024-03-10T03:30:00-04:00");
    expect(formatSinceStart(afterChange, beforeChange)).toBe("+1h");
  });

  it("shows seconds in an edit field only when there are some", () => {
    expect(formatForInput(start, "GMT+3")).toBe("2024-06-09 16:20");
    expect(formatForInput(start + 5_000, "GMT+3")).toBe("2024-06-09 16:20:05");
  });
});

describe("reading typed times", () => {
  it("reads 12- and 24-hour times in the incident's zone on its date", () => {
    expect(parsed("4:20 PM", "GMT+3", "2024-06-09")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("16:20", "GMT+3", "2024-06-09")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("4:20pm", "GMT+3", "2024-06-09")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("7:05AM", "UTC-5", "2024-06-09")).toBe("2024-06-09T12:05:00.000Z");
    expect(parsed("6PM", "UTC", "2024-06-09")).toBe("2024-06-09T18:00:00.000Z");
    expect(parsed("12:15 AM", "UTC", "2024-06-09")).toBe("2024-06-09T00:15:00.000Z");
    expect(parsed("12:15 PM", "UTC", "2024-06-09")).toBe("2024-06-09T12:15:00.000Z");
    expect(parsed("midnight", "UTC", "2024-06-09")).toBe("2024-06-09T00:00:00.000Z");
    expect(parsed("16:20:30", "GMT+3", "2024-06-09")).toBe("2024-06-09T13:20:30.000Z");
  });

  it("reads a full local date-time, and our own display format back", () => {
    expect(parsed("2024-06-09 16:20", "GMT+3")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("2024-06-09T16:20", "GMT+3")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("9 June 2024, 4:20 PM GMT+3", "UTC")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("June 9, 2024 4:20 PM", "GMT+3")).toBe("2024-06-09T13:20:00.000Z");
  });

  it("takes an ISO instant's own offset over the incident's zone", () => {
    expect(parsed("2024-06-09T13:20:00Z", "GMT+3")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("2024-06-09T16:20:00+03:00", "UTC-5")).toBe("2024-06-09T13:20:00.000Z");
    expect(parsed("2024-06-09T08:20:00.000-05:00", "UTC")).toBe("2024-06-09T13:20:00.000Z");
  });

  it("reads local times in a DST zone with the offset in force that day", () => {
    expect(parsed("2024-01-15 09:00", "America/New_York")).toBe("2024-01-15T14:00:00.000Z");
    expect(parsed("2024-07-15 09:00", "America/New_York")).toBe("2024-07-15T13:00:00.000Z");
  });

  it("refuses a wall-clock time that the DST change skipped", () => {
    expect(rejection("2024-03-10 2:30 AM", "America/New_York")).toMatch(/does not exist.*clocks went forward/);
  });

  it("refuses impossible and unreadable times with a reason", () => {
    expect(rejection("00:30 AM", "UTC", "2024-06-09")).toMatch(/12-hour clock/);
    expect(rejection("25:00", "UTC", "2024-06-09")).toMatch(/not a time of day/);
    expect(rejection("16:61", "UTC", "2024-06-09")).toMatch(/not a time of day/);
    expect(rejection("yesterday-ish", "UTC", "2024-06-09")).toMatch(/Could not read/);
    expect(rejection("2024-02-30 10:00", "UTC")).toMatch(/not a date in the calendar/);
    expect(rejection("", "UTC", "2024-06-09")).toMatch(/Enter a time/);
    expect(rejection("2024-06-09", "UTC")).toBe("Add a time to the date, e.g. 2024-06-09 16:20");
  });

  it("asks for a date when there is no date to read a bare time on", () => {
    expect(rejection("4:20 PM", "GMT+3", null)).toMatch(/Add a date/);
  });

  it("accepts the parts of a time separately", () => {
    expect(parseTimeOfDay("noon")).toEqual({ ok: true, time: { hour: 12, minute: 0, second: 0 } });
    expect(parseTimeOfDay("13:00 PM").ok).toBe(false);
  });
});

describe("durations", () => {
  it("writes minutes, hours and days without seconds", () => {
    expect(formatDuration(0)).toBe("0m");
    expect(formatDuration(59_000)).toBe("0m");
    expect(formatDuration(50 * 60_000)).toBe("50m");
    expect(formatDuration(60 * 60_000)).toBe("1h");
    expect(formatDuration((6 * 60 + 50) * 60_000)).toBe("6h 50m");
    expect(formatDuration((2 * 1440 + 3 * 60) * 60_000)).toBe("2d 3h");
    expect(formatDuration((1440 + 1) * 60_000)).toBe("1d 1m");
  });

  it("signs the time since the start", () => {
    const start = utc("2024-06-09T13:20:00Z");
    expect(formatSinceStart(start, start)).toBe("+0m");
    expect(formatSinceStart(start + 50 * 60_000, start)).toBe("+50m");
    expect(formatSinceStart(start + 65 * 60_000, start)).toBe("+1h 5m");
    expect(formatSinceStart(start - 10 * 60_000, start)).toBe("-10m");
  });
});

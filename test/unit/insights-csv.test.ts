// The CSV pieces of the Insights exports: quoting, the formula guard and times with offsets.
import { describe, expect, it } from "vitest";

import { toIsoInZone } from "~/lib/time";
import { csvCell, guardFormula, isoInZone, toCsv } from "~/review/insights-csv";

describe("CSV cells", () => {
  it("quotes fields with a comma, quote or line break (RFC 4180), doubling quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('Checkout "502", then timeouts')).toBe('"Checkout ""502"", then timeouts"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(184.5)).toBe("184.5");
    expect(toCsv(["a", "b"], [[1, "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it("makes cells that a spreadsheet would run as a formula into text", () => {
    for (const text of ["=1+1", "+deployment", "-1 replica", "@ops", "\t=1", "\r=1"]) expect(guardFormula(text)).toBe(`'${text}`);
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(guardFormula("a=b")).toBe("a=b");
    // Numbers are written as numbers: a negative one would not be text (none of ours is negative).
    expect(csvCell(-5)).toBe("-5");
  });
});

describe("isoInZone", () => {
  it("writes the same text as toIsoInZone, across DST changes and for fixed offsets", () => {
    const zones = ["UTC", "GMT+3", "UTC-5", "GMT+5:30", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu"];
    // Every 7 minutes around the 2026 spring and autumn changes, and a spread over the year.
    const instants: number[] = [];
    for (const center of ["2026-03-08T07:00:00Z", "2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z", "2026-11-01T06:00:00Z", "2026-04-05T15:00:00Z", "2026-10-04T16:00:00Z"]) {
      for (let step = -30; step <= 30; step++) instants.push(Date.parse(center) + step * 7 * 60_000 + 13_000);
    }
    for (let day = 0; day < 365; day += 5) instants.push(Date.parse("2026-01-01T00:00:00Z") + day * 86_400_000 + 37_000_123);
    for (const zone of zones) for (const ms of instants) expect(isoInZone(ms, zone), `${zone} ${new Date(ms).toISOString()}`).toBe(toIsoInZone(ms, zone));
    expect(isoInZone(Date.parse("2026-02-09T13:20:00Z"), "GMT+3")).toBe("2026-02-09T16:20:00+03:00");
  });
});

// The Insights figures on hand-built incidents whose answers are worked out by hand.
import { describe, expect, it } from "vitest";

import {
  countedWording,
  customerImpact,
  impactMinutes,
  median,
  p90,
  percentileOfSorted,
  timeToDetect,
  timeToResolve,
  type IncidentTimes,
} from "~/review/metrics";

const MINUTE = 60_000;
const START = Date.parse("2026-03-02T10:00:00Z");

/** An incident started at START, detected / resolved the given minutes later (null: unknown). */
function incident(detectAfter: number | null, resolveAfter: number | null, impactPercent: number | null = null, startedAt: number | null = START): IncidentTimes {
  return {
    startedAt,
    detectedAt: detectAfter === null ? null : START + detectAfter * MINUTE,
    resolvedAt: resolveAfter === null ? null : START + resolveAfter * MINUTE,
    impactPercent,
  };
}

describe("median and p90 (linear interpolation between closest ranks)", () => {
  it("takes the middle value of an odd count", () => {
    expect(median([7, 1, 3])).toBe(3);
    expect(median([5])).toBe(5);
  });

  it("takes the mean of the two middle values of an even count", () => {
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([2, 9])).toBe(5.5);
  });

  it("interpolates p90 at rank (n − 1) × 0.9", () => {
    // [1..10]: rank 8.1 → 9 + 0.1 × (10 − 9)
    expect(p90([10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).toBeCloseTo(9.1, 10);
    // [10, 20, 30, 40, 50]: rank 3.6 → 40 + 0.6 × 10
    expect(p90([50, 10, 40, 20, 30])).toBeCloseTo(46, 10);
    // One value is its own p90; two values: 0.9 of the way between them
    expect(p90([42])).toBe(42);
    expect(p90([0, 100])).toBe(90);
  });

  it("sorts numbers as numbers, not as text", () => {
    expect(median([9, 10, 100])).toBe(10);
    expect(p90([2, 10, 1])).toBeCloseTo(8.4, 10);
  });

  it("has no value for no data (not zero)", () => {
    expect(median([])).toBeNull();
    expect(p90([])).toBeNull();
    expect(percentileOfSorted([], 0.5)).toBeNull();
  });
});

describe("time to detect", () => {
  it("gives exact median and p90 in ms over the incidents with both times, and counts the rest as left out by reason", () => {
    const summary = timeToDetect([
      incident(5, 60),
      incident(15, 90),
      incident(10, null),
      incident(null, 30), // no detection time
      incident(null, null), // no detection time
      { startedAt: null, detectedAt: START, resolvedAt: START + MINUTE, impactPercent: 10 }, // no start time
      { startedAt: START, detectedAt: START - 5 * MINUTE, resolvedAt: null, impactPercent: null }, // detected before start
    ]);
    expect(summary).toEqual({
      median: 10 * MINUTE,
      p90: 14 * MINUTE, // [5, 10, 15]: rank 1.8 → 10 + 0.8 × 5
      counted: 3,
      leftOut: 4,
      leftOutReasons: { noDetection: 2, noStart: 1, endBeforeStart: 1 },
    });
    expect(countedWording(summary)).toBe("3 counted, 4 left out (2 no detection time, 1 no start time, 1 end before start)");
  });

  it("never counts a missing detection time as zero", () => {
    const summary = timeToDetect([incident(20, 60), incident(null, 60), incident(null, 60)]);
    // With the two missing ones as zero the median would be 0.
    expect(summary.median).toBe(20 * MINUTE);
    expect(summary.p90).toBe(20 * MINUTE);
    expect(summary.counted).toBe(1);
    expect(summary.leftOut).toBe(2);
    expect(countedWording(summary)).toBe("1 counted, 2 left out (2 no detection time)");
  });

  it("counts a detection at the very start (0 minutes) as a real zero", () => {
    expect(timeToDetect([incident(0, 10)])).toMatchObject({ median: 0, counted: 1, leftOut: 0 });
  });

  it("has no median when nothing can be counted", () => {
    expect(timeToDetect([incident(null, 5)])).toEqual({ median: null, p90: null, counted: 0, leftOut: 1, leftOutReasons: { noDetection: 1 } });
    expect(timeToDetect([])).toEqual({ median: null, p90: null, counted: 0, leftOut: 0, leftOutReasons: {} });
    expect(countedWording(timeToDetect([]))).toBe("0 counted, none left out");
  });
});

describe("time to resolve", () => {
  it("gives the median of an even count and leaves out unresolved, unstarted and end-before-start incidents", () => {
    const summary = timeToResolve([
      incident(5, 30),
      incident(5, 60),
      incident(5, 90),
      incident(5, 410),
      incident(5, null), // not resolved
      incident(5, -10), // resolved before it started
      incident(null, 20, null, null), // no start time
    ]);
    expect(summary.median).toBe(75 * MINUTE); // (60 + 90) / 2
    expect(summary.p90).toBeCloseTo(314 * MINUTE, 6); // rank 2.7 → 90 + 0.7 × 320
    expect(summary.counted).toBe(4);
    expect(summary.leftOut).toBe(3);
    expect(summary.leftOutReasons).toEqual({ notResolved: 1, endBeforeStart: 1, noStart: 1 });
  });
});

describe("customer-impact minutes", () => {
  it("is the duration start → resolved in minutes × impact % / 100: 6 h 50 m at 45% is 184.5", () => {
    expect(impactMinutes(incident(5, 410, 45))).toEqual({ minutes: 184.5 });
    expect(impactMinutes(incident(5, 60, 100))).toEqual({ minutes: 60 });
  });

  it("counts a known 0% impact as zero, but leaves out an unknown impact or duration", () => {
    expect(impactMinutes(incident(5, 60, 0))).toEqual({ minutes: 0 });
    expect(impactMinutes(incident(5, 60, null))).toEqual({ reason: "noImpact" });
    expect(impactMinutes(incident(5, null, 50))).toEqual({ reason: "notResolved" });
    expect(impactMinutes(incident(5, 60, 50, null))).toEqual({ reason: "noStart" });
    expect(impactMinutes(incident(5, -1, 50))).toEqual({ reason: "endBeforeStart" });
  });

  it("totals the incidents it can count and says how many it left out and why", () => {
    const summary = customerImpact([
      incident(5, 410, 45), // 184.5
      incident(5, 60, 50), // 30
      incident(5, 120, 0), // 0
      incident(5, 60, null), // impact unknown
      incident(5, null, 80), // not resolved
    ]);
    expect(summary).toEqual({ minutes: 214.5, counted: 3, leftOut: 2, leftOutReasons: { noImpact: 1, notResolved: 1 } });
    expect(countedWording(summary)).toBe("3 counted, 2 left out (1 no resolution time, 1 impact unknown)");
  });
});

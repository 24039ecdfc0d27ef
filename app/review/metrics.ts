// The figures of the Insights page, from plain incident data: pure, no database.
//
// Honesty rule: an incident whose times do not give a duration is LEFT OUT of that
// figure and counted as left out, with the reason. It is never counted as zero,
// which would make detection look instant and outages look short.

/**
 * The p-th percentile (0 ≤ p ≤ 1) of values sorted ascending, by linear
 * interpolation between the closest ranks (the "R-7" / Excel PERCENTILE.INC /
 * NumPy default method): with n values, the rank is h = (n − 1)·p and the result
 * is x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]). So the median of an even count is
 * the mean of the two middle values, and p90 of [1..10] is 9.1. Null when empty.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = (sorted.length - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (rank - lower) * (sorted[upper] - sorted[lower]);
}

/** A typed array sorts numerically (an Array's default sort compares text: 10 before 9). */
function sortedCopy(values: readonly number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: readonly number[]): number | null {
  return percentileOfSorted(sortedCopy(values), 0.5);
}

export function p90(values: readonly number[]): number | null {
  return percentileOfSorted(sortedCopy(values), 0.9);
}

/** Why an incident is left out of a figure. */
export type LeftOutReason = "noStart" | "noDetection" | "notResolved" | "endBeforeStart" | "noImpact";

/** How each reason is written after "left out": "2 left out (1 no detection time, 1 no start time)". */
export const LEFT_OUT_LABELS: Record<LeftOutReason, string> = {
  noStart: "no start time",
  noDetection: "no detection time",
  notResolved: "no resolution time",
  endBeforeStart: "end before start",
  noImpact: "impact unknown",
};

export type LeftOutCounts = Partial<Record<LeftOutReason, number>>;

/** A duration figure: median and p90 in milliseconds over the incidents counted. */
export type DurationSummary = {
  median: number | null;
  p90: number | null;
  counted: number;
  leftOut: number;
  leftOutReasons: LeftOutCounts;
};

export type IncidentTimes = {
  startedAt: number | null;
  detectedAt?: number | null;
  resolvedAt?: number | null;
  impactPercent?: number | null;
};

/** end − start, or why there is none. */
export function durationBetween(start: number | null | undefined, end: number | null | undefined, missingEnd: LeftOutReason): { ms: number } | { reason: LeftOutReason } {
  if (start == null) return { reason: "noStart" };
  if (end == null) return { reason: missingEnd };
  if (end < start) return { reason: "endBeforeStart" };
  return { ms: end - start };
}

/** Time to detect: detectedAt − startedAt. */
export function detectDuration(incident: IncidentTimes) {
  return durationBetween(incident.startedAt, incident.detectedAt, "noDetection");
}

/** Time to resolve: resolvedAt − startedAt. */
export function resolveDuration(incident: IncidentTimes) {
  return durationBetween(incident.startedAt, incident.resolvedAt, "notResolved");
}

/** Collects values and left-out reasons, then summarises them. */
export class DurationCollector {
  private values: number[] = [];
  private reasons: LeftOutCounts = {};
  private left = 0;

  add(result: { ms: number } | { reason: LeftOutReason }) {
    if ("ms" in result) this.values.push(result.ms);
    else {
      this.left++;
      this.reasons[result.reason] = (this.reasons[result.reason] ?? 0) + 1;
    }
  }

  summary(): DurationSummary {
    const sorted = sortedCopy(this.values);
    return {
      median: percentileOfSorted(sorted, 0.5),
      p90: percentileOfSorted(sorted, 0.9),
      counted: sorted.length,
      leftOut: this.left,
      leftOutReasons: { ...this.reasons },
    };
  }
}

function summarizeDurations(incidents: readonly IncidentTimes[], measure: (incident: IncidentTimes) => { ms: number } | { reason: LeftOutReason }): DurationSummary {
  const collector = new DurationCollector();
  for (const incident of incidents) collector.add(measure(incident));
  return collector.summary();
}

/** Median and p90 time to detect; incidents without a start or detection time (or detected before the start) are left out. */
export function timeToDetect(incidents: readonly IncidentTimes[]): DurationSummary {
  return summarizeDurations(incidents, detectDuration);
}

/** Median and p90 time to resolve; incidents without a start or resolution time (or resolved before the start) are left out. */
export function timeToResolve(incidents: readonly IncidentTimes[]): DurationSummary {
  return summarizeDurations(incidents, resolveDuration);
}

/**
 * Customer-impact minutes of one incident: its duration (start → resolved) in
 * minutes × the share of users affected. 6 h 50 m at 45% is 410 × 45 / 100 = 184.5.
 * An impact of 0% is a known zero and counts; an unknown impact is left out.
 */
export function impactMinutes(incident: IncidentTimes): { minutes: number } | { reason: LeftOutReason } {
  const duration = resolveDuration(incident);
  if ("reason" in duration) return duration;
  if (incident.impactPercent == null) return { reason: "noImpact" };
  return { minutes: ((duration.ms / 60_000) * incident.impactPercent) / 100 };
}

export type ImpactSummary = { minutes: number; counted: number; leftOut: number; leftOutReasons: LeftOutCounts };

export class ImpactCollector {
  private total = 0;
  private counted = 0;
  private left = 0;
  private reasons: LeftOutCounts = {};

  add(result: { minutes: number } | { reason: LeftOutReason }) {
    if ("minutes" in result) {
      this.total += result.minutes;
      this.counted++;
    } else {
      this.left++;
      this.reasons[result.reason] = (this.reasons[result.reason] ?? 0) + 1;
    }
  }

  summary(): ImpactSummary {
    return { minutes: this.total, counted: this.counted, leftOut: this.left, leftOutReasons: { ...this.reasons } };
  }
}

/** Total customer-impact minutes over the incidents whose duration and impact are known. */
export function customerImpact(incidents: readonly IncidentTimes[]): ImpactSummary {
  const collector = new ImpactCollector();
  for (const incident of incidents) collector.add(impactMinutes(incident));
  return collector.summary();
}

const REASON_ORDER = Object.keys(LEFT_OUT_LABELS) as LeftOutReason[];

/** "2 no detection time, 1 no start time": the reasons, most frequent first (ties in a fixed order). */
export function describeLeftOut(reasons: LeftOutCounts): string {
  return (Object.entries(reasons) as [LeftOutReason, number][])
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || REASON_ORDER.indexOf(a[0]) - REASON_ORDER.indexOf(b[0]))
    .map(([reason, count]) => `${count} ${LEFT_OUT_LABELS[reason]}`)
    .join(", ");
}

/** "8 counted, 2 left out (1 no detection time, 1 end before start)", or "8 counted, none left out". */
export function countedWording(summary: { counted: number; leftOut: number; leftOutReasons: LeftOutCounts }): string {
  if (summary.leftOut === 0) return `${summary.counted} counted, none left out`;
  return `${summary.counted} counted, ${summary.leftOut} left out (${describeLeftOut(summary.leftOutReasons)})`;
}

// How long monitors saw a failure before a person detected it: one wording for the incident
// page and the Markdown postmortem.
import { formatDuration } from "./time";

/** Whole minutes from the first failed check to detection (negative: the monitors were later); null when either is unknown. */
export function monitorLeadMinutes(firstFailureAt: number | null, detectedAt: number | null): number | null {
  if (firstFailureAt === null || detectedAt === null) return null;
  return Math.round((detectedAt - firstFailureAt) / 60_000);
}

/** "4m before it was detected", "the same minute it was detected", or null without a detection time. */
export function monitorLeadPhrase(firstFailureAt: number | null, detectedAt: number | null): string | null {
  const minutes = monitorLeadMinutes(firstFailureAt, detectedAt);
  if (minutes === null) return null;
  if (minutes === 0) return "the same minute it was detected";
  const span = formatDuration(Math.abs(minutes) * 60_000);
  return minutes > 0 ? `${span} before it was detected` : `${span} after it was detected`;
}

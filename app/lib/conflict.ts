// Words for a refused save: someone else changed the record first.
import { formatInstant, type ZoneName } from "./time";

export function conflictMessage(changedBy: { name: string; at: number } | null, zone: ZoneName): string {
  // To the minute: "at 4:42 PM" is what a person takes in; the seconds are in History.
  const who = changedBy ? `changed by ${changedBy.name} at ${formatInstant(Math.floor(changedBy.at / 60_000) * 60_000, zone)}` : "changed by someone else";
  return `Not saved: this was ${who} after you opened it. Their version is shown; your text is kept below. Save again to replace theirs with yours.`;
}

/** The version a form was opened at, from its hidden field; null when the form did not send one. */
export function formVersion(values: Record<string, string>): number | null {
  const version = Number(values.version);
  return values.version && Number.isInteger(version) && version > 0 ? version : null;
}

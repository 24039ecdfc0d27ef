// Field-level differences between two versions of a record, for the History view.
// Pure: the records are the API's JSON shapes stored with each change.
import { diffWords } from "diff";

import { formatPercent } from "./impact";

import { formatCalendarDate, formatInstant, type ZoneName } from "./time";
import { ACTION_STATUS_LABELS, DETECTION_METHOD_LABELS, FIELD_LABELS, INCIDENT_STATUS_LABELS, type DetectionMethod } from "./vocabulary";

export type DiffPart = { text: string; kind: "same" | "added" | "removed" };
/** `parts` (for long text) interleave what stayed, what went and what came, word by word. */
export type FieldChange = { field: string; label: string; before: string; after: string; parts: DiffPart[] | null };

/** Bookkeeping that changes with every save and says nothing to a reader. */
const IGNORED = new Set(["id", "incidentId", "createdAt", "updatedAt", "version"]);

/** Long text gets a word diff; short values are shown whole, before and after. */
const WORD_DIFF_MIN_LENGTH = 40;

const STATUS_LABELS: Record<string, string> = { ...ACTION_STATUS_LABELS, ...INCIDENT_STATUS_LABELS };

/** A stored value as the rest of the app shows it: times in the incident's zone, labels for statuses. */
export function displayValue(field: string, value: unknown, zone: ZoneName = "UTC"): string {
  if (value === null || value === undefined || value === "") return "";
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "string" && field.endsWith("At") && !Number.isNaN(Date.parse(value))) return formatInstant(Date.parse(value), zone);
  if (field === "dueDate" && typeof value === "string") return formatCalendarDate(value);
  if (field === "status" && typeof value === "string") return STATUS_LABELS[value] ?? value;
  if (field === "impactPercent" && typeof value === "number") return formatPercent(value);
  if (field === "detectionMethod" && typeof value === "string") return DETECTION_METHOD_LABELS[value as DetectionMethod] ?? value;
  return String(value);
}

export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null, zone: ZoneName = "UTC"): FieldChange[] {
  const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter((field) => !IGNORED.has(field));
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const old = displayValue(field, before?.[field], zone);
    const now = displayValue(field, after?.[field], zone);
    if (old === now) continue;
    const long = old.length >= WORD_DIFF_MIN_LENGTH || now.length >= WORD_DIFF_MIN_LENGTH;
    const parts: DiffPart[] | null =
      long && old && now
        ? diffWords(old, now).map((part) => ({ text: part.value, kind: part.added ? "added" : part.removed ? "removed" : "same" }))
        : null;
    changes.push({ field, label: FIELD_LABELS[field] ?? field, before: old, after: now, parts });
  }
  return changes;
}

/** A few words naming the record: the action's title or the entry's text. */
export function recordLabel(record: Record<string, unknown> | null): string {
  const text = displayValue("text", record?.title ?? record?.text);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

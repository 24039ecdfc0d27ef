// Validation of every write, shared by forms, the JSON API and the CLI.
// Input arrives either as form strings or as JSON values; both are accepted.
import { z } from "zod";

import {
  localDate,
  normalizeTimeZone,
  parseCalendarDate,
  parseDateTimeInput,
  type ZoneName,
} from "./time";
import {
  ACTION_PRIORITIES,
  ACTION_STATUSES,
  ACTION_TYPES,
  DETECTION_METHODS,
  INCIDENT_FIELDS,
  INCIDENT_STATUSES,
  SEVERITIES,
  TIMELINE_KINDS,
  type IncidentField,
  type ActionPriority,
  type ActionStatus,
  type ActionType,
  type DetectionMethod,
  type IncidentStatus,
  type Severity,
  type TimelineKind,
} from "./vocabulary";

export type FieldErrors = Record<string, string>;
export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Long enough for any real root-cause analysis, short enough that a paste accident is caught. */
export const MAX_MARKDOWN_LENGTH = 100_000;
export const MAX_SERVICES = 30;

export const blankToNull = (value: unknown) =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "") ? null : value;

export function markdown(label: string, max = MAX_MARKDOWN_LENGTH) {
  return z.preprocess(
    (value) => (value === undefined || value === null ? "" : value),
    z
      .string({ error: `${label} must be text` })
      .max(max, {
        error: (issue) =>
          `${label} is too long (${(issue.input as string).length.toLocaleString("en-US")} characters; the limit is ${max.toLocaleString("en-US")})`,
      })
      .transform((text) => text.replace(/\r\n?/g, "\n").trimEnd()),
  );
}

export function requiredLine(label: string, max: number) {
  return z.preprocess(
    (value) => (value === undefined || value === null ? "" : value),
    z
      .string({ error: `${label} must be text` })
      .trim()
      .min(1, `${label} is required`)
      .max(max, `${label} must be at most ${max} characters`)
      .refine((text) => !/[\n\r]/.test(text), `${label} must be a single line`),
  );
}

export function optionalLine(label: string, max: number) {
  return z.preprocess(
    blankToNull,
    z
      .string({ error: `${label} must be text` })
      .trim()
      .max(max, `${label} must be at most ${max} characters`)
      .nullable(),
  );
}

/**
 * One of a fixed set. Left out or blank, it takes its default; an explicit null
 * is refused rather than silently reset (PATCH {"status": null} is a mistake).
 */
export function oneOf<T extends readonly [string, ...string[]]>(label: string, values: T, fallback?: T[number]) {
  const schema = z.enum(values, { error: `${label} must be one of ${values.join(", ")}` });
  const blank = (value: unknown) => value === undefined || (typeof value === "string" && value.trim() === "");
  return z.preprocess((value) => (blank(value) ? fallback : value), schema);
}

/** Accepts `["a", "b"]` from JSON or "a, b" (commas or new lines) from a form. */
const servicesSchema = z.preprocess(
  (value) => {
    if (value === undefined || value === null) return [];
    if (typeof value === "string") return value.split(/[,\n]/);
    return value;
  },
  z
    .array(z.string({ error: "Each service must be a name" }).trim().max(80, "A service name must be at most 80 characters"), {
      error: "Services must be a list of names",
    })
    .transform((names) => {
      const seen = new Set<string>();
      return names.filter((name) => {
        const key = name.toLowerCase();
        if (!name || seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    })
    .refine((names) => names.length <= MAX_SERVICES, `At most ${MAX_SERVICES} services`),
);

const impactSchema = z.preprocess(
  (value) => {
    const blank = blankToNull(value);
    // A form sends text: "45", "0.1", "12.5%". Nothing else ("0x10", "1e2") passes as a number.
    if (typeof blank === "string") {
      const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(blank);
      return match ? Number(match[1]) : blank;
    }
    return blank;
  },
  z
    .number({ error: "Impact must be a percentage between 0 and 100" })
    .min(0, "Impact must be between 0 and 100%")
    .max(100, "Impact must be between 0 and 100%")
    .nullable(),
);

const optionalTimeText = z.preprocess(
  blankToNull,
  z.union([z.string(), z.number()], { error: "Use an ISO 8601 time such as 2024-06-09T16:20:00+03:00" }).nullable(),
);

/** One of a fixed set, or nothing: blank or an explicit null clears it (unlike `oneOf`). */
export function oneOfOrNone<T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.preprocess(blankToNull, z.enum(values, { error: `${label} must be one of ${values.join(", ")}` }).nullable());
}

/** The longest cause-category name an admin may add. */
export const MAX_CATEGORY_LENGTH = 60;
/** A trigger is a few words ("deploy of booking-api 4.2"), not the story. */
export const MAX_TRIGGER_LENGTH = 200;

/**
 * The vocabularies of an incident that live in the database rather than in code:
 * the server reads them (models/categories.server.ts `incidentVocabulary()`) and
 * passes them in, so this module stays free of the database.
 */
export type IncidentVocabulary = { categories: readonly string[] };

/**
 * The vocabulary's spelling of a category named ignoring case and surrounding
 * space ("Configuration Change " → "configuration change"), or null when it is not one.
 * The one place that decides whether a name is a category.
 */
export function matchCategory(name: string, categories: readonly string[]): string | null {
  const key = name.trim().toLowerCase();
  return categories.find((category) => category.toLowerCase() === key) ?? null;
}

const incidentShape = z.object({
  title: requiredLine("Title", 200),
  severity: oneOf("Severity", SEVERITIES),
  status: oneOf("Status", INCIDENT_STATUSES, "investigating"),
  timeZone: z.preprocess(
    (value) => (value === undefined || value === "" ? "UTC" : value),
    z.string({ error: "Time zone must be an IANA name such as Europe/Berlin or an offset such as GMT+3" }),
  ),
  startedAt: optionalTimeText,
  detectedAt: optionalTimeText,
  mitigatedAt: optionalTimeText,
  resolvedAt: optionalTimeText,
  impactPercent: impactSchema,
  impactDescription: markdown("Impact description", 2_000),
  services: servicesSchema,
  // Checked against the vocabulary in validateIncident; here only its shape.
  category: optionalLine("Cause category", MAX_CATEGORY_LENGTH),
  trigger: optionalLine("Trigger", MAX_TRIGGER_LENGTH).refine((text) => text === null || !/[\n\r]/.test(text), "Trigger must be a single line"),
  detectionMethod: oneOfOrNone("Detection method", DETECTION_METHODS),
  summary: markdown("Summary"),
  rootCause: markdown("Root cause"),
  resolution: markdown("Resolution"),
  lessons: markdown("Lessons learned"),
  unplaced: markdown("Unplaced notes"),
});

// Checked both ways at compile time, so the schema and the vocabulary's field list cannot drift apart.
type SchemaField = keyof typeof incidentShape.shape;
incidentShape.shape satisfies Record<IncidentField, unknown>;
({}) as Record<IncidentField, unknown> satisfies Record<SchemaField, unknown>;
export { INCIDENT_FIELDS };
export const INCIDENT_TIME_FIELDS = ["startedAt", "detectedAt", "mitigatedAt", "resolvedAt"] as const;
type IncidentTimeField = (typeof INCIDENT_TIME_FIELDS)[number];

export type IncidentInput = {
  title: string;
  severity: Severity;
  status: IncidentStatus;
  timeZone: ZoneName;
  startedAt: number | null;
  detectedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
  impactPercent: number | null;
  impactDescription: string;
  services: string[];
  /** A name from the category vocabulary, spelled as the vocabulary spells it. */
  category: string | null;
  /** What set the incident off, in a few words. */
  trigger: string | null;
  detectionMethod: DetectionMethod | null;
  summary: string;
  rootCause: string;
  resolution: string;
  lessons: string;
  /** Text of an imported document that fits no section. */
  unplaced: string;
};

/** The first message for each field of a failed parse ("form" for the whole). */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "form";
    errors[field] ??= issue.message;
  }
  return errors;
}

const TIME_LABELS: Record<IncidentTimeField, string> = {
  startedAt: "Start",
  detectedAt: "Detection",
  mitigatedAt: "Mitigation",
  resolvedAt: "Resolution",
};

/**
 * Validates a whole incident. Times may be ISO instants with offsets, or local
 * times read in the incident's zone; a time without a date is read on the
 * start's date. The category must be one of `vocabulary.categories` (any case).
 */
export function validateIncident(input: Record<string, unknown>, vocabulary: IncidentVocabulary): Validated<IncidentInput> {
  const parsed = incidentShape.safeParse(input);
  const errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
  const raw = parsed.success ? parsed.data : null;

  // Checked whatever else failed, so every wrong field is named at once.
  const categoryText = blankToNull(input.category);
  let category: string | null = null;
  if (typeof categoryText === "string" && !errors.category) {
    category = matchCategory(categoryText, vocabulary.categories);
    if (category === null) errors.category = `Cause category must be one of ${vocabulary.categories.join(", ")}, or blank`;
  }

  const zoneText = input.timeZone === undefined || input.timeZone === "" ? "UTC" : input.timeZone;
  const timeZone = typeof zoneText === "string" ? normalizeTimeZone(zoneText) : null;
  if (!timeZone && typeof zoneText === "string") {
    errors.timeZone = `Unknown time zone "${zoneText}": use an IANA name such as Europe/Berlin or an offset such as GMT+3`;
  } else if (!timeZone) {
    errors.timeZone ??= "Time zone must be an IANA name such as Europe/Berlin or an offset such as GMT+3";
  }

  const times: Partial<Record<IncidentTimeField, number | null>> = {};
  if (timeZone) {
    let referenceDate: string | null = null;
    for (const field of INCIDENT_TIME_FIELDS) {
      const value = blankToNull(input[field]);
      if (value === null) {
        times[field] = null;
        continue;
      }
      if (typeof value !== "string") {
        errors[field] ??= `${TIME_LABELS[field]} time must be text such as 2024-06-09T16:20:00+03:00`;
        continue;
      }
      const result = parseDateTimeInput(value, timeZone, referenceDate);
      if (!result.ok) {
        errors[field] ??= result.error;
        continue;
      }
      times[field] = result.ms;
      if (field === "startedAt") referenceDate = localDate(result.ms, timeZone);
    }
    const { startedAt, mitigatedAt, resolvedAt } = times;
    for (const field of ["detectedAt", "mitigatedAt", "resolvedAt"] as const) {
      const value = times[field];
      if (startedAt != null && value != null && value < startedAt && !errors[field]) {
        errors[field] = `${TIME_LABELS[field]} cannot be before the start`;
      }
    }
    if (mitigatedAt != null && resolvedAt != null && resolvedAt < mitigatedAt && !errors.resolvedAt) {
      errors.resolvedAt = "Resolution cannot be before mitigation";
    }
  }

  if (!raw || Object.keys(errors).length > 0 || !timeZone) return { ok: false, errors };
  return {
    ok: true,
    data: {
      ...raw,
      category,
      timeZone,
      startedAt: times.startedAt ?? null,
      detectedAt: times.detectedAt ?? null,
      mitigatedAt: times.mitigatedAt ?? null,
      resolvedAt: times.resolvedAt ?? null,
    },
  };
}

// ---------------------------------------------------------------------------

const timelineShape = z.object({
  occurredAt: z.preprocess(
    (value) => blankToNull(value) ?? "",
    z.string({ error: "Time must be text such as 16:20 or 2024-06-09T16:20:00+03:00" }).min(1, "Enter a time"),
  ),
  text: z.preprocess(
    (value) => (value === undefined || value === null ? "" : value),
    z
      .string({ error: "Text must be text" })
      .max(20_000, "An entry must be at most 20,000 characters")
      .transform((text) => text.replace(/\r\n?/g, "\n").trim())
      .refine((text) => text.length > 0, "Describe what happened"),
  ),
  kind: oneOf("Kind", TIMELINE_KINDS, "note"),
  author: optionalLine("Author", 100),
});

export const TIMELINE_FIELDS = Object.keys(timelineShape.shape);

export type TimelineInput = { occurredAt: number; text: string; kind: TimelineKind; author: string | null };

/** Validates a timeline entry; a bare time is read in the incident's zone on `referenceDate`. */
export function validateTimelineEntry(
  input: Record<string, unknown>,
  context: { timeZone: ZoneName; referenceDate: string | null },
): Validated<TimelineInput> {
  const parsed = timelineShape.safeParse(input);
  const errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
  let occurredAt: number | null = null;
  if (typeof input.occurredAt === "string" && input.occurredAt.trim() && !errors.occurredAt) {
    const result = parseDateTimeInput(input.occurredAt, context.timeZone, context.referenceDate);
    if (result.ok) occurredAt = result.ms;
    else errors.occurredAt = result.error;
  }
  if (!parsed.success || occurredAt === null) return { ok: false, errors };
  return { ok: true, data: { ...parsed.data, occurredAt } };
}

// ---------------------------------------------------------------------------

const actionShape = z.object({
  title: requiredLine("Title", 300),
  details: markdown("Details", 20_000),
  type: oneOf("Type", ACTION_TYPES, "prevent"),
  owner: optionalLine("Owner", 100),
  dueDate: z.preprocess(
    blankToNull,
    z
      .string({ error: "Due date must be a date such as 2024-06-30" })
      .trim()
      .refine((text) => parseCalendarDate(text).ok, "Use a date such as 2024-06-30")
      .nullable(),
  ),
  priority: oneOf("Priority", ACTION_PRIORITIES, "P2"),
  status: oneOf("Status", ACTION_STATUSES, "open"),
  trackerUrl: z.preprocess(
    blankToNull,
    z
      .string({ error: "Tracker URL must be text" })
      .trim()
      .max(2_000, "Tracker URL is too long")
      .refine((text) => {
        try {
          const url = new URL(text);
          return url.protocol === "https:" || url.protocol === "http:";
        } catch {
          return false;
        }
      }, "Use a full http(s) address such as https://tracker.example.com/OPS-42")
      .nullable(),
  ),
});

export const ACTION_FIELDS = Object.keys(actionShape.shape);

export type ActionInput = {
  title: string;
  details: string;
  type: ActionType;
  owner: string | null;
  dueDate: string | null;
  priority: ActionPriority;
  status: ActionStatus;
  trackerUrl: string | null;
};

export function validateAction(input: Record<string, unknown>): Validated<ActionInput> {
  const parsed = actionShape.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}

/** Fields a JSON body names that the record does not have: a typo should not pass silently. */
export function unknownFields(body: Record<string, unknown>, allowed: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) errors[key] = `Unknown field "${key}"`;
  }
  return errors;
}

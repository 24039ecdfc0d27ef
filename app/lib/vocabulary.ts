// The fixed vocabularies of the data model, shared by schema, validation and views.

export const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SEVERITY_LABELS: Record<Severity, string> = {
  SEV1: "SEV1 · critical",
  SEV2: "SEV2 · major",
  SEV3: "SEV3 · minor",
  SEV4: "SEV4 · low",
};

export const INCIDENT_STATUSES = [
  "investigating",
  "identified",
  "monitoring",
  "resolved",
  "in_review",
  "closed",
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  investigating: "Investigating",
  identified: "Identified",
  monitoring: "Monitoring",
  resolved: "Resolved",
  in_review: "Postmortem in review",
  closed: "Closed",
};
/** Statuses of an incident that is still being fought. */
export const OPEN_INCIDENT_STATUSES: readonly IncidentStatus[] = [
  "investigating",
  "identified",
  "monitoring",
];

export const TIMELINE_KINDS = [
  "detection",
  "escalation",
  "action",
  "communication",
  "resolution",
  "note",
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const ACTION_TYPES = ["prevent", "mitigate", "detect", "process"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const ACTION_PRIORITIES = ["P1", "P2", "P3"] as const;
export type ActionPriority = (typeof ACTION_PRIORITIES)[number];

export const ACTION_STATUSES = ["open", "in_progress", "done", "wont_do"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  wont_do: "Won't do",
};
/** Statuses of an action that still needs work (and so can be overdue). */
export const PENDING_ACTION_STATUSES: readonly ActionStatus[] = ["open", "in_progress"];

/** The incident's writable fields, in form order (validation.ts checks its schema against this list). */
export const INCIDENT_FIELDS = [
  "title", "severity", "status", "timeZone", "startedAt", "detectedAt", "mitigatedAt", "resolvedAt",
  "impactPercent", "impactDescription", "services", "category", "trigger", "detectionMethod",
  "summary", "rootCause", "resolution", "lessons", "unplaced",
] as const;
export type IncidentField = (typeof INCIDENT_FIELDS)[number];

/** How each field of an incident, timeline entry or action is named to people (forms, conflicts, History). */
export const FIELD_LABELS: Record<string, string> = {
  title: "Title", severity: "Severity", status: "Status", timeZone: "Time zone", startedAt: "Started", detectedAt: "Detected",
  mitigatedAt: "Mitigated", resolvedAt: "Resolved", impactPercent: "Users affected (%)", impactDescription: "Impact description",
  services: "Affected services", category: "Cause category", trigger: "Trigger", detectionMethod: "Detection method",
  summary: "Summary", rootCause: "Root cause", resolution: "Resolution", lessons: "Lessons learned", unplaced: "Unplaced notes",
  occurredAt: "Time", text: "Text", kind: "Kind", author: "Author", details: "Details", type: "Type", owner: "Owner",
  dueDate: "Due date", priority: "Priority", trackerUrl: "Tracker URL", completedAt: "Completed",
};

/** Cause categories every install starts with; admins may add more (stored in `categories`). */
export const DEFAULT_CATEGORIES = [
  "configuration change",
  "deployment",
  "capacity",
  "dependency",
  "hardware",
  "network",
  "security",
  "data",
  "unknown",
] as const;

/** How the incident came to a person's attention. */
export const DETECTION_METHODS = ["monitor", "customer_report", "staff", "other"] as const;
export type DetectionMethod = (typeof DETECTION_METHODS)[number];
export const DETECTION_METHOD_LABELS: Record<DetectionMethod, string> = {
  monitor: "Monitor or alert",
  customer_report: "Customer report",
  staff: "Staff noticed",
  other: "Other",
};

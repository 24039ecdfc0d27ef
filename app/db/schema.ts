import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

import {
  API_TOKEN_SCOPES,
  ROLES,
} from "~/lib/roles";
import {
  HEALTH_STATES,
  MONITOR_MODES,
  MONITOR_TYPES,
  ROLLUP_RESOLUTIONS,
  STATE_CHANGE_SOURCES,
} from "~/lib/health-vocabulary";
import {
  ACTION_PRIORITIES,
  ACTION_STATUSES,
  ACTION_TYPES,
  DETECTION_METHODS,
  INCIDENT_STATUSES,
  SEVERITIES,
  TIMELINE_KINDS,
} from "~/lib/vocabulary";

// Instants are stored as integer milliseconds since the Unix epoch (UTC); the
// zone to show them in lives beside them on the incident (see docs/decisions/002).

export const incidents = sqliteTable(
  "incidents",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    title: text("title").notNull(),
    severity: text("severity", { enum: SEVERITIES }).notNull(),
    status: text("status", { enum: INCIDENT_STATUSES }).notNull(),
    startedAt: integer("started_at"),
    detectedAt: integer("detected_at"),
    mitigatedAt: integer("mitigated_at"),
    resolvedAt: integer("resolved_at"),
    timeZone: text("time_zone").notNull().default("UTC"),
    impactPercent: real("impact_percent"),
    impactDescription: text("impact_description").notNull().default(""),
    summary: text("summary").notNull().default(""),
    rootCause: text("root_cause").notNull().default(""),
    resolution: text("resolution").notNull().default(""),
    lessons: text("lessons").notNull().default(""),
    /** Text of an imported document that fits no section, kept word for word (Markdown). */
    unplaced: text("unplaced").notNull().default(""),
    /** Cause category: a name from `categories` (the default list plus what admins add). */
    category: text("category"),
    /** What set it off, in a few words ("deploy of booking-api 4.2", "certificate expiry"). */
    trigger: text("trigger"),
    detectionMethod: text("detection_method", { enum: DETECTION_METHODS }),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Bumped by every edit of the incident's own fields; a save based on an older one is refused. */
    version: integer("version").notNull().default(1),
    /** Soft delete: an admin can restore the incident. */
    deletedAt: integer("deleted_at"),
  },
  (table) => [
    index("incidents_started_at_idx").on(table.startedAt),
    index("incidents_status_idx").on(table.status),
    index("incidents_category_idx").on(table.category),
  ],
);

export const services = sqliteTable(
  "services",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Part of the example data loaded on first start (shown with an "example" badge). */
    example: integer("example", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at"),
    version: integer("version").notNull().default(1),
  },
  (table) => [uniqueIndex("services_name_idx").on(sql`${table.name} collate nocase`)],
);

export const incidentServices = sqliteTable(
  "incident_services",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "restrict" }),
    position: integer("position").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.incidentId, table.serviceId] }),
    index("incident_services_service_idx").on(table.serviceId),
  ],
);

export const timelineEntries = sqliteTable(
  "timeline_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    occurredAt: integer("occurred_at").notNull(),
    text: text("text").notNull(),
    kind: text("kind", { enum: TIMELINE_KINDS }).notNull(),
    author: text("author"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    version: integer("version").notNull().default(1),
    deletedAt: integer("deleted_at"),
    /** Set when the entry was copied from a monitor's state change (shown as "from the monitor"). */
    stateChangeId: integer("state_change_id"),
  },
  (table) => [index("timeline_incident_time_idx").on(table.incidentId, table.occurredAt, table.id)],
);

export const correctiveActions = sqliteTable(
  "corrective_actions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    details: text("details").notNull().default(""),
    type: text("type", { enum: ACTION_TYPES }).notNull(),
    owner: text("owner"),
    // A calendar date ("YYYY-MM-DD"), not an instant: a due date has no time of day.
    dueDate: text("due_date"),
    priority: text("priority", { enum: ACTION_PRIORITIES }).notNull(),
    status: text("status", { enum: ACTION_STATUSES }).notNull(),
    trackerUrl: text("tracker_url"),
    completedAt: integer("completed_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    version: integer("version").notNull().default(1),
    deletedAt: integer("deleted_at"),
  },
  (table) => [
    index("actions_incident_idx").on(table.incidentId),
    index("actions_status_due_idx").on(table.status, table.dueDate),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    /** scrypt, with its parameters and salt: see app/auth/password.server.ts */
    passwordHash: text("password_hash").notNull(),
    deactivatedAt: integer("deactivated_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [uniqueIndex("users_email_idx").on(sql`${table.email} collate nocase`)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 of the random id in the cookie: a copy of the database cannot be used to log in. */
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    revokedAt: integer("revoked_at"),
    userAgent: text("user_agent"),
    address: text("address"),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** SHA-256 of the token; the token itself is shown once, when it is created. */
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, so people can tell their tokens apart. */
    prefix: text("prefix").notNull(),
    scope: text("scope", { enum: API_TOKEN_SCOPES }).notNull(),
    createdBy: integer("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (table) => [uniqueIndex("api_tokens_hash_idx").on(table.tokenHash)],
);

export const loginFailures = sqliteTable(
  "login_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    address: text("address").notNull(),
    at: integer("at").notNull(),
  },
  (table) => [index("login_failures_key_idx").on(table.email, table.address, table.at)],
);

/** Every change to an incident, timeline entry or action: who, when, before and after. */
export const history = sqliteTable(
  "history",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    incidentId: integer("incident_id").notNull(),
    entityType: text("entity_type", { enum: ["incident", "timeline_entry", "action"] }).notNull(),
    entityId: integer("entity_id").notNull(),
    change: text("change", { enum: ["create", "update", "delete", "restore"] }).notNull(),
    userId: integer("user_id"),
    /** Who, as shown: the user's name, or "token <name>" for API tokens. Kept if the user goes. */
    actor: text("actor").notNull(),
    /** JSON of the record before and after, in the API's shape. */
    before: text("before"),
    after: text("after"),
    at: integer("at").notNull(),
  },
  (table) => [
    index("history_incident_idx").on(table.incidentId, table.at),
    index("history_entity_idx").on(table.entityType, table.entityId, table.at),
  ],
);

/** The cause-category vocabulary: the defaults (builtIn) and any an admin added. */
export const categories = sqliteTable(
  "categories",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    builtIn: integer("built_in", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("categories_name_idx").on(sql`${table.name} collate nocase`)],
);

/** Small key/value store for installation state (e.g. whether the example was loaded). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

// Health history (docs/decisions/007): monitors, raw check results kept for a
// retention period, rollups per minute/hour/day that uptime and charts read,
// and a permanent log of state changes.

export const monitors = sqliteTable(
  "monitors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: text("type", { enum: MONITOR_TYPES }).notNull(),
    mode: text("mode", { enum: MONITOR_MODES }).notNull().default("active"),
    intervalSeconds: integer("interval_seconds").notNull().default(60),
    /** Failed checks in a row before the monitor is down; one success brings it back up. */
    retries: integer("retries").notNull().default(2),
    timeoutMs: integer("timeout_ms").notNull().default(10_000),
    /** A successful check slower than this counts as degraded. */
    degradedMs: integer("degraded_ms"),
    url: text("url"),
    method: text("method"),
    /** Accepted HTTP status codes: "200-299", "200-299,301,404". */
    acceptedStatus: text("accepted_status"),
    bodyContains: text("body_contains"),
    jsonPath: text("json_path"),
    jsonExpected: text("json_expected"),
    host: text("host"),
    port: integer("port"),
    /** SHA-256 of the push token; the token is shown when it is made. */
    pushTokenHash: text("push_token_hash"),
    pushTokenPrefix: text("push_token_prefix"),
    graceSeconds: integer("grace_seconds"),
    /** Alert monitors: the alert name (alertname label) this monitor follows. */
    alertName: text("alert_name"),
    state: text("state", { enum: HEALTH_STATES }),
    stateSince: integer("state_since"),
    failures: integer("failures").notNull().default(0),
    /** When the current run of failed checks began (null while checks pass). */
    failingSince: integer("failing_since"),
    lastCheckAt: integer("last_check_at"),
    lastLatencyMs: integer("last_latency_ms"),
    lastMessage: text("last_message"),
    example: integer("example", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    version: integer("version").notNull().default(1),
  },
  (table) => [
    index("monitors_service_idx").on(table.serviceId),
    uniqueIndex("monitors_push_token_idx").on(table.pushTokenHash),
  ],
);

/** Every check, kept for the retention period (HEALTH_RAW_DAYS, default 7). */
export const checkResults = sqliteTable(
  "check_results",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    monitorId: integer("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
    /** Whether this check itself passed (a failed check during retries leaves the state as it was). */
    ok: integer("ok", { mode: "boolean" }).notNull(),
    /** The monitor's state after this check: what rollups and uptime count. */
    state: text("state", { enum: HEALTH_STATES }).notNull(),
    latencyMs: integer("latency_ms"),
    message: text("message"),
  },
  (table) => [index("check_results_monitor_at_idx").on(table.monitorId, table.at)],
);

/** Counts per state and latency sum/min/max per monitor and bucket: mergeable, upserted. */
export const healthRollups = sqliteTable(
  "health_rollups",
  {
    monitorId: integer("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    resolution: text("resolution", { enum: ROLLUP_RESOLUTIONS }).notNull(),
    /** Start of the bucket (UTC ms): minutes, hours and UTC days. */
    bucket: integer("bucket").notNull(),
    up: integer("up").notNull().default(0),
    degraded: integer("degraded").notNull().default(0),
    down: integer("down").notNull().default(0),
    maintenance: integer("maintenance").notNull().default(0),
    latencyCount: integer("latency_count").notNull().default(0),
    latencySum: integer("latency_sum").notNull().default(0),
    latencyMin: integer("latency_min"),
    latencyMax: integer("latency_max"),
  },
  (table) => [primaryKey({ columns: [table.monitorId, table.resolution, table.bucket] })],
);

/** Every change of a monitor's state, kept for ever: the health history incidents link to. */
export const stateChanges = sqliteTable(
  "state_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    monitorId: integer("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    at: integer("at").notNull(),
    fromState: text("from_state", { enum: HEALTH_STATES }),
    toState: text("to_state", { enum: HEALTH_STATES }).notNull(),
    /** For a change to down: when the first failed check of the run happened. */
    failingSince: integer("failing_since"),
    source: text("source", { enum: STATE_CHANGE_SOURCES }).notNull(),
    message: text("message").notNull().default(""),
    /** The draft incident opened from this change (auto-draft), if any. */
    draftIncidentId: integer("draft_incident_id"),
  },
  (table) => [
    index("state_changes_service_at_idx").on(table.serviceId, table.at),
    index("state_changes_monitor_at_idx").on(table.monitorId, table.at),
  ],
);

/** Alerts received from Alertmanager or Grafana; (fingerprint, startsAt) makes deliveries idempotent. */
export const alertEvents = sqliteTable(
  "alert_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    monitorId: integer("monitor_id")
      .notNull()
      .references(() => monitors.id, { onDelete: "cascade" }),
    source: text("source", { enum: ["alertmanager", "grafana"] }).notNull(),
    fingerprint: text("fingerprint").notNull(),
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at"),
    status: text("status", { enum: ["firing", "resolved"] }).notNull(),
    labels: text("labels").notNull(),
    annotations: text("annotations").notNull(),
    generatorUrl: text("generator_url"),
    receivedAt: integer("received_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    uniqueIndex("alert_events_fingerprint_idx").on(table.fingerprint, table.startsAt),
    index("alert_events_monitor_idx").on(table.monitorId, table.status),
  ],
);

/** The health window of a resolved incident, saved with it so it outlives raw-data retention. */
export const incidentHealth = sqliteTable(
  "incident_health",
  {
    incidentId: integer("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id, { onDelete: "cascade" }),
    windowFrom: integer("window_from").notNull(),
    windowTo: integer("window_to").notNull(),
    capturedAt: integer("captured_at").notNull(),
    /** JSON: the HealthWindow as computed when it was saved. */
    data: text("data").notNull(),
  },
  (table) => [primaryKey({ columns: [table.incidentId, table.serviceId] })],
);

export type IncidentRow = typeof incidents.$inferSelect;
export type TimelineEntryRow = typeof timelineEntries.$inferSelect;
export type ActionRow = typeof correctiveActions.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type HistoryRow = typeof history.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;
export type MonitorRow = typeof monitors.$inferSelect;
export type StateChangeRow = typeof stateChanges.$inferSelect;

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
  ACTION_PRIORITIES,
  ACTION_STATUSES,
  ACTION_TYPES,
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
  ],
);

export const services = sqliteTable(
  "services",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
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

/** Small key/value store for installation state (e.g. whether the example was loaded). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export type IncidentRow = typeof incidents.$inferSelect;
export type TimelineEntryRow = typeof timelineEntries.$inferSelect;
export type ActionRow = typeof correctiveActions.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type HistoryRow = typeof history.$inferSelect;

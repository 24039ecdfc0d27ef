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
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
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
  },
  (table) => [
    index("actions_incident_idx").on(table.incidentId),
    index("actions_status_due_idx").on(table.status, table.dueDate),
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

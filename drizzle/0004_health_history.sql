CREATE TABLE `alert_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`monitor_id` integer NOT NULL,
	`source` text NOT NULL,
	`fingerprint` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`status` text NOT NULL,
	`labels` text NOT NULL,
	`annotations` text NOT NULL,
	`generator_url` text,
	`received_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_events_fingerprint_idx` ON `alert_events` (`fingerprint`,`starts_at`);--> statement-breakpoint
CREATE INDEX `alert_events_monitor_idx` ON `alert_events` (`monitor_id`,`status`);--> statement-breakpoint
CREATE TABLE `check_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`monitor_id` integer NOT NULL,
	`at` integer NOT NULL,
	`ok` integer NOT NULL,
	`state` text NOT NULL,
	`latency_ms` integer,
	`message` text,
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `check_results_monitor_at_idx` ON `check_results` (`monitor_id`,`at`);--> statement-breakpoint
CREATE TABLE `health_rollups` (
	`monitor_id` integer NOT NULL,
	`resolution` text NOT NULL,
	`bucket` integer NOT NULL,
	`up` integer DEFAULT 0 NOT NULL,
	`degraded` integer DEFAULT 0 NOT NULL,
	`down` integer DEFAULT 0 NOT NULL,
	`maintenance` integer DEFAULT 0 NOT NULL,
	`latency_count` integer DEFAULT 0 NOT NULL,
	`latency_sum` integer DEFAULT 0 NOT NULL,
	`latency_min` integer,
	`latency_max` integer,
	PRIMARY KEY(`monitor_id`, `resolution`, `bucket`),
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `incident_health` (
	`incident_id` integer NOT NULL,
	`service_id` integer NOT NULL,
	`window_from` integer NOT NULL,
	`window_to` integer NOT NULL,
	`captured_at` integer NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`incident_id`, `service_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `monitors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service_id` integer NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`mode` text DEFAULT 'active' NOT NULL,
	`interval_seconds` integer DEFAULT 60 NOT NULL,
	`retries` integer DEFAULT 2 NOT NULL,
	`timeout_ms` integer DEFAULT 10000 NOT NULL,
	`degraded_ms` integer,
	`url` text,
	`method` text,
	`accepted_status` text,
	`body_contains` text,
	`json_path` text,
	`json_expected` text,
	`host` text,
	`port` integer,
	`push_token_hash` text,
	`push_token_prefix` text,
	`grace_seconds` integer,
	`alert_name` text,
	`state` text,
	`state_since` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`failing_since` integer,
	`last_check_at` integer,
	`last_latency_ms` integer,
	`last_message` text,
	`example` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `monitors_service_idx` ON `monitors` (`service_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `monitors_push_token_idx` ON `monitors` (`push_token_hash`);--> statement-breakpoint
CREATE TABLE `state_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`monitor_id` integer NOT NULL,
	`service_id` integer NOT NULL,
	`at` integer NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`failing_since` integer,
	`source` text NOT NULL,
	`message` text DEFAULT '' NOT NULL,
	`draft_incident_id` integer,
	FOREIGN KEY (`monitor_id`) REFERENCES `monitors`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `state_changes_service_at_idx` ON `state_changes` (`service_id`,`at`);--> statement-breakpoint
CREATE INDEX `state_changes_monitor_at_idx` ON `state_changes` (`monitor_id`,`at`);--> statement-breakpoint
ALTER TABLE `services` ADD `description` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `services` ADD `example` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `services` ADD `updated_at` integer;--> statement-breakpoint
ALTER TABLE `services` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `timeline_entries` ADD `state_change_id` integer;
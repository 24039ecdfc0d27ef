CREATE TABLE `corrective_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`title` text NOT NULL,
	`details` text DEFAULT '' NOT NULL,
	`type` text NOT NULL,
	`owner` text,
	`due_date` text,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`tracker_url` text,
	`completed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `actions_incident_idx` ON `corrective_actions` (`incident_id`);--> statement-breakpoint
CREATE INDEX `actions_status_due_idx` ON `corrective_actions` (`status`,`due_date`);--> statement-breakpoint
CREATE TABLE `incident_services` (
	`incident_id` integer NOT NULL,
	`service_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `service_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `incident_services_service_idx` ON `incident_services` (`service_id`);--> statement-breakpoint
CREATE TABLE `incidents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`severity` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer,
	`detected_at` integer,
	`mitigated_at` integer,
	`resolved_at` integer,
	`time_zone` text DEFAULT 'UTC' NOT NULL,
	`impact_percent` real,
	`impact_description` text DEFAULT '' NOT NULL,
	`summary` text DEFAULT '' NOT NULL,
	`root_cause` text DEFAULT '' NOT NULL,
	`resolution` text DEFAULT '' NOT NULL,
	`lessons` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `incidents_started_at_idx` ON `incidents` (`started_at`);--> statement-breakpoint
CREATE INDEX `incidents_status_idx` ON `incidents` (`status`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `services_name_idx` ON `services` ("name" collate nocase);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `timeline_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`occurred_at` integer NOT NULL,
	`text` text NOT NULL,
	`kind` text NOT NULL,
	`author` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `timeline_incident_time_idx` ON `timeline_entries` (`incident_id`,`occurred_at`,`id`);
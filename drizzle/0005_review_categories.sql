CREATE TABLE `categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`built_in` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_name_idx` ON `categories` ("name" collate nocase);--> statement-breakpoint
ALTER TABLE `incidents` ADD `category` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `trigger` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `detection_method` text;--> statement-breakpoint
CREATE INDEX `incidents_category_idx` ON `incidents` (`category`);--> statement-breakpoint
-- The default cause categories (app/lib/vocabulary.ts DEFAULT_CATEGORIES); admins add more.
INSERT INTO `categories` (`name`, `built_in`, `created_at`) VALUES
  ('configuration change', 1, 0), ('deployment', 1, 0), ('capacity', 1, 0), ('dependency', 1, 0), ('hardware', 1, 0),
  ('network', 1, 0), ('security', 1, 0), ('data', 1, 0), ('unknown', 1, 0);

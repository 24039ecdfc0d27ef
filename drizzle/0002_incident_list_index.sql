-- Custom migration: drizzle-kit cannot express this expression index.
-- The incident list's order (newest first; unknown starts by when recorded), live incidents only.
CREATE INDEX `incidents_list_order_idx` ON `incidents` (coalesce(`started_at`, `created_at`) DESC, `id` DESC) WHERE `deleted_at` IS NULL;

-- Custom migration: full-text search (SQLite FTS5), kept in step with every write by triggers,
-- so edits, deletes, restores and imports reach the index in their own transaction.
-- Rowids are derived from the source row, so a trigger finds its index rows without a scan:
--   incident sections  incident_id * 16 + section number (0 title … 6 trigger)
--   timeline entries   2^40 + entry id
--   corrective actions 2^41 + action id
-- Deleted rows (deleted_at set) leave the index; restoring them puts them back. A search also
-- joins incidents, so a soft-deleted incident's entries and actions never show.
CREATE VIRTUAL TABLE `search_index` USING fts5(
  `title`, `body`, `incident_id` UNINDEXED, `section` UNINDEXED, `ref_id` UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `search_incidents_insert` AFTER INSERT ON `incidents` WHEN new.`deleted_at` IS NULL BEGIN
  INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`) VALUES
    (new.`id` * 16 + 0, new.`title`, '', new.`id`, 'title', new.`id`),
    (new.`id` * 16 + 1, '', new.`summary`, new.`id`, 'summary', new.`id`),
    (new.`id` * 16 + 2, '', new.`root_cause`, new.`id`, 'root_cause', new.`id`),
    (new.`id` * 16 + 3, '', new.`resolution`, new.`id`, 'resolution', new.`id`),
    (new.`id` * 16 + 4, '', new.`lessons`, new.`id`, 'lessons', new.`id`),
    (new.`id` * 16 + 5, '', new.`impact_description` || char(10) || new.`unplaced`, new.`id`, 'impact', new.`id`),
    (new.`id` * 16 + 6, '', coalesce(new.`trigger`, ''), new.`id`, 'trigger', new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_incidents_update`
  AFTER UPDATE OF `title`, `summary`, `root_cause`, `resolution`, `lessons`, `impact_description`, `unplaced`, `trigger`, `deleted_at` ON `incidents` BEGIN
  DELETE FROM `search_index` WHERE `rowid` BETWEEN old.`id` * 16 AND old.`id` * 16 + 15;
  INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
    SELECT new.`id` * 16 + 0, new.`title`, '', new.`id`, 'title', new.`id` WHERE new.`deleted_at` IS NULL
    UNION ALL SELECT new.`id` * 16 + 1, '', new.`summary`, new.`id`, 'summary', new.`id` WHERE new.`deleted_at` IS NULL
    UNION ALL SELECT new.`id` * 16 + 2, '', new.`root_cause`, new.`id`, 'root_cause', new.`id` WHERE new.`deleted_at` IS NULL
    UNION ALL SELECT new.`id` * 16 + 3, '', new.`resolution`, new.`id`, 'resolution', new.`id` WHERE new.`deleted_at` IS NULL
    UNION ALL SELECT new.`id` * 16 + 4, '', new.`lessons`, new.`id`, 'lessons', new.`id` WHERE new.`deleted_at` IS NULL
    UNION ALL SELECT new.`id` * 16 + 5, '', new.`impact_description` || char(10) || new.`unplaced`, new.`id`, 'impact', new.`id` WHERE new.`deleted_at` IS NULL
    UNION ALL SELECT new.`id` * 16 + 6, '', coalesce(new.`trigger`, ''), new.`id`, 'trigger', new.`id` WHERE new.`deleted_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `search_incidents_delete` AFTER DELETE ON `incidents` BEGIN
  DELETE FROM `search_index` WHERE `rowid` BETWEEN old.`id` * 16 AND old.`id` * 16 + 15;
END;
--> statement-breakpoint
CREATE TRIGGER `search_timeline_insert` AFTER INSERT ON `timeline_entries` WHEN new.`deleted_at` IS NULL BEGIN
  INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
    VALUES (1099511627776 + new.`id`, '', new.`text`, new.`incident_id`, 'timeline', new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_timeline_update` AFTER UPDATE OF `text`, `incident_id`, `deleted_at` ON `timeline_entries` BEGIN
  DELETE FROM `search_index` WHERE `rowid` = 1099511627776 + old.`id`;
  INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
    SELECT 1099511627776 + new.`id`, '', new.`text`, new.`incident_id`, 'timeline', new.`id` WHERE new.`deleted_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `search_timeline_delete` AFTER DELETE ON `timeline_entries` BEGIN
  DELETE FROM `search_index` WHERE `rowid` = 1099511627776 + old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_actions_insert` AFTER INSERT ON `corrective_actions` WHEN new.`deleted_at` IS NULL BEGIN
  INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
    VALUES (2199023255552 + new.`id`, '', new.`title` || char(10) || new.`details`, new.`incident_id`, 'action', new.`id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_actions_update` AFTER UPDATE OF `title`, `details`, `incident_id`, `deleted_at` ON `corrective_actions` BEGIN
  DELETE FROM `search_index` WHERE `rowid` = 2199023255552 + old.`id`;
  INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
    SELECT 2199023255552 + new.`id`, '', new.`title` || char(10) || new.`details`, new.`incident_id`, 'action', new.`id` WHERE new.`deleted_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `search_actions_delete` AFTER DELETE ON `corrective_actions` BEGIN
  DELETE FROM `search_index` WHERE `rowid` = 2199023255552 + old.`id`;
END;
--> statement-breakpoint
-- What the database already holds.
INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
  SELECT `id` * 16 + 0, `title`, '', `id`, 'title', `id` FROM `incidents` WHERE `deleted_at` IS NULL
  UNION ALL SELECT `id` * 16 + 1, '', `summary`, `id`, 'summary', `id` FROM `incidents` WHERE `deleted_at` IS NULL
  UNION ALL SELECT `id` * 16 + 2, '', `root_cause`, `id`, 'root_cause', `id` FROM `incidents` WHERE `deleted_at` IS NULL
  UNION ALL SELECT `id` * 16 + 3, '', `resolution`, `id`, 'resolution', `id` FROM `incidents` WHERE `deleted_at` IS NULL
  UNION ALL SELECT `id` * 16 + 4, '', `lessons`, `id`, 'lessons', `id` FROM `incidents` WHERE `deleted_at` IS NULL
  UNION ALL SELECT `id` * 16 + 5, '', `impact_description` || char(10) || `unplaced`, `id`, 'impact', `id` FROM `incidents` WHERE `deleted_at` IS NULL
  UNION ALL SELECT `id` * 16 + 6, '', coalesce(`trigger`, ''), `id`, 'trigger', `id` FROM `incidents` WHERE `deleted_at` IS NULL;
--> statement-breakpoint
INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
  SELECT 1099511627776 + `id`, '', `text`, `incident_id`, 'timeline', `id` FROM `timeline_entries` WHERE `deleted_at` IS NULL;
--> statement-breakpoint
INSERT INTO `search_index` (`rowid`, `title`, `body`, `incident_id`, `section`, `ref_id`)
  SELECT 2199023255552 + `id`, '', `title` || char(10) || `details`, `incident_id`, 'action', `id` FROM `corrective_actions` WHERE `deleted_at` IS NULL;

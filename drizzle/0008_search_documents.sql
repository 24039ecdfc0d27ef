-- Custom migration: every live incident's searchable text as ONE FTS5 document (rowid = incident
-- id), so a query's words may be in different sections of a postmortem and `-word` leaves out an
-- incident that mentions the word anywhere (search.server.ts matches here, then ranks the sections
-- of drizzle/0006). Contentless (content=''): only which incidents match is ever read from it;
-- snippets and bm25 come from search_index. contentless_delete=1 lets a trigger replace a
-- document without reading it back.
--
-- A document is the text of search_index's rows for the incident (title, summary, root cause,
-- resolution, lessons, impact + unplaced, trigger, each live timeline entry, each live action's
-- title + details), joined with U+E000 between sections: a token (private use) that no typed
-- query can contain (the parser drops it), so a phrase never runs from one section into the next.
CREATE VIRTUAL TABLE `search_documents` USING fts5(
  `body`, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
-- The document of each live incident; triggers read it for one incident id (a primary-key lookup
-- and the incident_id indexes of timeline_entries and corrective_actions).
CREATE VIEW `search_document_text` AS
  SELECT i.`id` AS `incident_id`,
    coalesce(i.`title`, '') || char(32, 57344, 32) || coalesce(i.`summary`, '') || char(32, 57344, 32)
      || coalesce(i.`root_cause`, '') || char(32, 57344, 32) || coalesce(i.`resolution`, '') || char(32, 57344, 32)
      || coalesce(i.`lessons`, '') || char(32, 57344, 32)
      || coalesce(i.`impact_description`, '') || char(10) || coalesce(i.`unplaced`, '') || char(32, 57344, 32)
      || coalesce(i.`trigger`, '')
      || coalesce((SELECT char(32, 57344, 32) || group_concat(t.`text`, char(32, 57344, 32))
                   FROM `timeline_entries` t WHERE t.`incident_id` = i.`id` AND t.`deleted_at` IS NULL), '')
      || coalesce((SELECT char(32, 57344, 32) || group_concat(coalesce(a.`title`, '') || char(10) || coalesce(a.`details`, ''), char(32, 57344, 32))
                   FROM `corrective_actions` a WHERE a.`incident_id` = i.`id` AND a.`deleted_at` IS NULL), '') AS `body`
  FROM `incidents` i WHERE i.`deleted_at` IS NULL;
--> statement-breakpoint
CREATE TRIGGER `search_documents_incident_insert` AFTER INSERT ON `incidents` WHEN new.`deleted_at` IS NULL BEGIN
  DELETE FROM `search_documents` WHERE `rowid` = new.`id`;
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` = new.`id`;
END;
--> statement-breakpoint
-- Saving a form rewrites every column; only a change to the text (or to deleted_at) costs a rebuild.
CREATE TRIGGER `search_documents_incident_update`
  AFTER UPDATE OF `title`, `summary`, `root_cause`, `resolution`, `lessons`, `impact_description`, `unplaced`, `trigger`, `deleted_at` ON `incidents`
  WHEN old.`title` IS NOT new.`title` OR old.`summary` IS NOT new.`summary` OR old.`root_cause` IS NOT new.`root_cause`
    OR old.`resolution` IS NOT new.`resolution` OR old.`lessons` IS NOT new.`lessons` OR old.`impact_description` IS NOT new.`impact_description`
    OR old.`unplaced` IS NOT new.`unplaced` OR old.`trigger` IS NOT new.`trigger` OR (old.`deleted_at` IS NULL) <> (new.`deleted_at` IS NULL)
BEGIN
  DELETE FROM `search_documents` WHERE `rowid` = old.`id`;
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_incident_delete` AFTER DELETE ON `incidents` BEGIN
  DELETE FROM `search_documents` WHERE `rowid` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_timeline_insert` AFTER INSERT ON `timeline_entries` WHEN new.`deleted_at` IS NULL BEGIN
  DELETE FROM `search_documents` WHERE `rowid` = new.`incident_id`;
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` = new.`incident_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_timeline_update` AFTER UPDATE OF `text`, `incident_id`, `deleted_at` ON `timeline_entries`
  WHEN old.`text` IS NOT new.`text` OR old.`incident_id` IS NOT new.`incident_id` OR (old.`deleted_at` IS NULL) <> (new.`deleted_at` IS NULL)
BEGIN
  DELETE FROM `search_documents` WHERE `rowid` IN (old.`incident_id`, new.`incident_id`);
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` IN (old.`incident_id`, new.`incident_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_timeline_delete` AFTER DELETE ON `timeline_entries` WHEN old.`deleted_at` IS NULL BEGIN
  DELETE FROM `search_documents` WHERE `rowid` = old.`incident_id`;
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` = old.`incident_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_actions_insert` AFTER INSERT ON `corrective_actions` WHEN new.`deleted_at` IS NULL BEGIN
  DELETE FROM `search_documents` WHERE `rowid` = new.`incident_id`;
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` = new.`incident_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_actions_update` AFTER UPDATE OF `title`, `details`, `incident_id`, `deleted_at` ON `corrective_actions`
  WHEN old.`title` IS NOT new.`title` OR old.`details` IS NOT new.`details` OR old.`incident_id` IS NOT new.`incident_id`
    OR (old.`deleted_at` IS NULL) <> (new.`deleted_at` IS NULL)
BEGIN
  DELETE FROM `search_documents` WHERE `rowid` IN (old.`incident_id`, new.`incident_id`);
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` IN (old.`incident_id`, new.`incident_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_documents_actions_delete` AFTER DELETE ON `corrective_actions` WHEN old.`deleted_at` IS NULL BEGIN
  DELETE FROM `search_documents` WHERE `rowid` = old.`incident_id`;
  INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text` WHERE `incident_id` = old.`incident_id`;
END;
--> statement-breakpoint
-- What the database already holds.
INSERT INTO `search_documents` (`rowid`, `body`) SELECT `incident_id`, `body` FROM `search_document_text`;

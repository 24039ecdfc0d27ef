-- Custom migration: incident titles in a small FTS5 table of their own (rowid = incident id),
-- so a very common word can still put every incident with it in the title first, however old
-- (the main index ranks only the newest matches of such a word; see decision 011).
CREATE VIRTUAL TABLE `search_titles` USING fts5(`title`, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `search_titles_insert` AFTER INSERT ON `incidents` WHEN new.`deleted_at` IS NULL BEGIN
  INSERT INTO `search_titles` (`rowid`, `title`) VALUES (new.`id`, new.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `search_titles_update` AFTER UPDATE OF `title`, `deleted_at` ON `incidents` BEGIN
  DELETE FROM `search_titles` WHERE `rowid` = old.`id`;
  INSERT INTO `search_titles` (`rowid`, `title`) SELECT new.`id`, new.`title` WHERE new.`deleted_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `search_titles_delete` AFTER DELETE ON `incidents` BEGIN
  DELETE FROM `search_titles` WHERE `rowid` = old.`id`;
END;
--> statement-breakpoint
INSERT INTO `search_titles` (`rowid`, `title`) SELECT `id`, `title` FROM `incidents` WHERE `deleted_at` IS NULL;

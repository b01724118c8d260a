-- 042_content_type.sql — posts written in Markdown (issue 12, "Formatted posts").
--
-- statuses.content_type says how text is written: 0 text/plain (every older row), 1
-- text/markdown (app/render.h, enum pl_content_type). text stays the source as written, for
-- /statuses/:id/source and editing; content is the HTML made from it. plain_text is what a
-- reader of a Markdown post sees (no markup, no link targets), NULL for plain text, whose
-- source is that text already: search and filters read COALESCE(plain_text, text), so that
-- `wo**rd**` is found by "word" and `[label](https://…/secret)` is not found by "secret".
-- scheduled_statuses.content_type: as asked, or -1 for the author's default when published
-- (as its visibility and sensitive); accounts.default_content_type: the person's default.
ALTER TABLE statuses ADD COLUMN content_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE statuses ADD COLUMN plain_text TEXT;
ALTER TABLE scheduled_statuses ADD COLUMN content_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN default_content_type INTEGER NOT NULL DEFAULT 0;

-- The full-text index reads the text as seen. Every row indexed so far has plain_text NULL, so
-- COALESCE gives the values it was indexed with and FTS5's 'delete' stays exact.
DROP TRIGGER statuses_fts_insert;
DROP TRIGGER statuses_fts_delete;
DROP TRIGGER statuses_fts_update;

CREATE TRIGGER statuses_fts_insert AFTER INSERT ON statuses
WHEN new.reblog_of_id IS NULL BEGIN
    INSERT INTO statuses_fts (rowid, text, spoiler_text)
    VALUES (new.id, COALESCE(new.plain_text, new.text), new.spoiler_text);
END;

CREATE TRIGGER statuses_fts_delete AFTER DELETE ON statuses
WHEN old.reblog_of_id IS NULL BEGIN
    INSERT INTO statuses_fts (statuses_fts, rowid, text, spoiler_text)
    VALUES ('delete', old.id, COALESCE(old.plain_text, old.text), old.spoiler_text);
END;

CREATE TRIGGER statuses_fts_update AFTER UPDATE OF text, plain_text, spoiler_text ON statuses
WHEN old.reblog_of_id IS NULL BEGIN
    INSERT INTO statuses_fts (statuses_fts, rowid, text, spoiler_text)
    VALUES ('delete', old.id, COALESCE(old.plain_text, old.text), old.spoiler_text);
    INSERT INTO statuses_fts (rowid, text, spoiler_text)
    VALUES (new.id, COALESCE(new.plain_text, new.text), new.spoiler_text);
END;

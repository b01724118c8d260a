-- 015_search.sql — full-text search of statuses (SQLite: FTS5).
-- statuses_fts indexes the text and the content warning of every status that is not a boost
-- (a boost has no text of its own). It is contentless (content = ''): it keeps only the
-- index, keyed by the status id (rowid = statuses.id), so a search walks the index newest
-- first (ORDER BY rowid DESC) and stops after a page, and the text stays in statuses alone.
-- Triggers keep it in step with every insert, edit and delete of a status, whoever makes
-- them (the server, bench-data, the demo); FTS5's 'delete' command needs the old values,
-- which a trigger has.
-- PostgreSQL has its own 009 (a GIN index on the same text); `partyline migrate` does not
-- copy this table, the target builds its index itself (see store/copy.c).
-- Tokens: Unicode letters and digits, case and diacritics folded ("Müller" finds "muller").
CREATE VIRTUAL TABLE statuses_fts USING fts5(
    text, spoiler_text,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER statuses_fts_insert AFTER INSERT ON statuses
WHEN new.reblog_of_id IS NULL BEGIN
    INSERT INTO statuses_fts (rowid, text, spoiler_text)
    VALUES (new.id, new.text, new.spoiler_text);
END;

CREATE TRIGGER statuses_fts_delete AFTER DELETE ON statuses
WHEN old.reblog_of_id IS NULL BEGIN
    INSERT INTO statuses_fts (statuses_fts, rowid, text, spoiler_text)
    VALUES ('delete', old.id, old.text, old.spoiler_text);
END;

CREATE TRIGGER statuses_fts_update AFTER UPDATE OF text, spoiler_text ON statuses
WHEN old.reblog_of_id IS NULL BEGIN
    INSERT INTO statuses_fts (statuses_fts, rowid, text, spoiler_text)
    VALUES ('delete', old.id, old.text, old.spoiler_text);
    INSERT INTO statuses_fts (rowid, text, spoiler_text)
    VALUES (new.id, new.text, new.spoiler_text);
END;

-- the statuses that exist already
INSERT INTO statuses_fts (rowid, text, spoiler_text)
SELECT id, text, spoiler_text FROM statuses WHERE reblog_of_id IS NULL;

-- 042_content_type.sql — posts written in Markdown (issue 12, "Formatted posts"); the columns
-- are explained in the SQLite twin. The search vector is made again from the text as seen.
ALTER TABLE statuses ADD COLUMN content_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE statuses ADD COLUMN plain_text TEXT;
ALTER TABLE scheduled_statuses ADD COLUMN content_type INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN default_content_type INTEGER NOT NULL DEFAULT 0;

DROP INDEX statuses_search;
ALTER TABLE statuses DROP COLUMN search_vector;
ALTER TABLE statuses ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('partyline_search',
                                     spoiler_text || ' ' || COALESCE(plain_text, text))) STORED;
CREATE INDEX statuses_search ON statuses USING GIN (search_vector) WHERE reblog_of_id IS NULL;

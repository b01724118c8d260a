-- 018_search_accents.sql — search folds accents on PostgreSQL too, as FTS5's unicode61 does on
-- SQLite: `muller` finds `Müller`, `jose` finds `José`. A text search configuration of our
-- own: 'simple' (case folded, no stemming, no stop words) with the unaccent dictionary in
-- front of it for words. unaccent is a trusted extension shipped with PostgreSQL (contrib),
-- so the database's owner may create it. to_tsvector with a named configuration stays
-- immutable, as a generated column needs; the column and its index are made again with it.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION partyline_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION partyline_search
    ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
    WITH unaccent, simple;
DROP INDEX statuses_search;
ALTER TABLE statuses DROP COLUMN search_vector;
ALTER TABLE statuses ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('partyline_search', spoiler_text || ' ' || text)) STORED;
CREATE INDEX statuses_search ON statuses USING GIN (search_vector) WHERE reblog_of_id IS NULL;

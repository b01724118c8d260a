-- 015_search.sql — full-text search of statuses (PostgreSQL: tsvector and a GIN index).
-- search_vector is a stored generated column, so PostgreSQL keeps it (and the index) in step
-- with every insert, edit and delete, and adding it fills it for the statuses that exist
-- already. Stored rather than an index on an expression because a search also reads it row
-- by row: the newest-first walk over the primary key (store/search.c) checks each recent row
-- against the query, and recomputing to_tsvector there would cost ~3 µs a row. 'simple'
-- folds case and neither stems nor drops stop words, like FTS5's unicode61 (which also
-- folds diacritics; this does not). Boosts have no text of their own and are not indexed.
-- `partyline migrate` copies SQLite's columns only; this one is computed on the way in.
ALTER TABLE statuses ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', spoiler_text || ' ' || text)) STORED;
CREATE INDEX statuses_search ON statuses USING GIN (search_vector) WHERE reblog_of_id IS NULL;

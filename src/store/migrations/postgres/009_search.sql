-- 009_search.sql — full-text search of statuses (PostgreSQL: a GIN index over tsvector).
-- The index is on an expression of the row, so PostgreSQL keeps it in step with every
-- insert, edit and delete, and building it indexes the statuses that exist already. Queries
-- must repeat the expression and the WHERE exactly (store/search.c) for the planner to use
-- it. 'simple' folds case and neither stems nor drops stop words, like FTS5's unicode61
-- (which also folds diacritics; this does not). Boosts have no text of their own.
CREATE INDEX statuses_search ON statuses
    USING GIN (to_tsvector('simple', spoiler_text || ' ' || text))
    WHERE reblog_of_id IS NULL;

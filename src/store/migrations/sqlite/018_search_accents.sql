-- 018_search_accents.sql — on PostgreSQL, search learns to fold accents (see its twin). SQLite's
-- FTS5 index (015, tokenizer unicode61) folds them already, so nothing changes here; the file
-- keeps both engines' migrations in step, one number each.
SELECT 1;

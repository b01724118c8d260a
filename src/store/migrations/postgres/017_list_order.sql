-- 017_list_order.sql — the owner's order of their lists (PUT /api/v1/partyline/lists/order),
-- so a person's feeds read in the same order on every device. Lists made before this keep 0
-- and read oldest first among themselves (ORDER BY position, id); a new list is put last.
ALTER TABLE lists ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- 032_account_tiers.sql — account search reads the most followed names first (issue 10, item
-- 29). The same column, index and rule as SQLite's 032, which says why; here the tier is one
-- SQL function (the store writes the same expression inline, store/search.c TIER_SQL) and the
-- trigger one PL/pgSQL function.
CREATE FUNCTION account_tier(followers BIGINT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN followers < 1 THEN 0 ELSE length(CAST(followers AS TEXT)) * 3
        + CASE WHEN substr(CAST(followers AS TEXT), 1, 1) >= '5' THEN 2
               WHEN substr(CAST(followers AS TEXT), 1, 1) >= '2' THEN 1 ELSE 0 END END
$$;
ALTER TABLE account_names ADD COLUMN tier INTEGER NOT NULL DEFAULT 0;
UPDATE account_names n SET tier = account_tier(a.followers_count)
FROM accounts a WHERE a.id = n.account_id;
CREATE INDEX account_names_tier ON account_names (tier, name, account_id);

CREATE FUNCTION account_names_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account_names SET tier = account_tier(NEW.followers_count)
    WHERE account_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER account_names_follow AFTER UPDATE OF followers_count ON accounts FOR EACH ROW
    WHEN (account_tier(OLD.followers_count) <> account_tier(NEW.followers_count))
    EXECUTE FUNCTION account_names_follow();

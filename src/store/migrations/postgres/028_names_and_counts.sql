-- 028_names_and_counts.sql — account search by an index of names, and the instance's counts
-- as running totals (issue 10, item 29). The same tables as SQLite's 028, which says why;
-- here the triggers are one PL/pgSQL function. Names are lowered in ASCII only (COLLATE "C"),
-- as the store does and as SQLite's lower() does, so both engines find the same accounts.
CREATE TABLE account_names (
    name TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    PRIMARY KEY (name, account_id)
);
CREATE INDEX account_names_account ON account_names (account_id, name);
-- A prefix that many names start with is searched the other way round: the accounts most
-- followed first, each tested against the prefix, until a page is full. This index is that
-- order. Not partial (WHERE is_disabled = 0 ...): without statistics PostgreSQL takes such a
-- predicate for a rare one and the index for a tiny table, and reads it whole for anything.
CREATE INDEX accounts_by_followers ON accounts (followers_count DESC, id);

INSERT INTO account_names (name, account_id) SELECT username_lower, id FROM accounts;
WITH RECURSIVE w(account_id, rest) AS (
    SELECT id, lower(display_name COLLATE "C") FROM accounts WHERE display_name <> ''
    UNION ALL
    SELECT account_id, substr(rest, strpos(rest, ' ') + 1) FROM w WHERE strpos(rest, ' ') > 0
)
INSERT INTO account_names (name, account_id)
SELECT rest, account_id FROM w WHERE rest <> '' ON CONFLICT DO NOTHING;

DROP INDEX accounts_stats; -- no longer read (see SQLite's 028)
CREATE TABLE instance_stats (
    shard INTEGER PRIMARY KEY,
    users BIGINT NOT NULL,
    statuses BIGINT NOT NULL
);
INSERT INTO instance_stats (shard, users, statuses)
SELECT k.shard,
       (SELECT count(*) FROM accounts a
        WHERE a.id % 16 = k.shard AND a.is_group = 0 AND a.is_disabled = 0),
       (SELECT COALESCE(sum(a.statuses_count), 0) FROM accounts a
        WHERE a.id % 16 = k.shard AND a.is_group = 0)
FROM generate_series(0, 15) AS k(shard);

CREATE FUNCTION instance_stats_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    du BIGINT := 0;
    ds BIGINT := 0;
    k BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.is_group = 0 THEN
        du := du - CASE WHEN OLD.is_disabled = 0 THEN 1 ELSE 0 END;
        ds := ds - OLD.statuses_count;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.is_group = 0 THEN
        du := du + CASE WHEN NEW.is_disabled = 0 THEN 1 ELSE 0 END;
        ds := ds + NEW.statuses_count;
    END IF;
    IF du <> 0 OR ds <> 0 THEN
        k := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END % 16;
        UPDATE instance_stats SET users = users + du, statuses = statuses + ds WHERE shard = k;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER instance_stats_follow AFTER INSERT OR DELETE OR UPDATE OF is_group, is_disabled,
    statuses_count ON accounts FOR EACH ROW EXECUTE FUNCTION instance_stats_follow();

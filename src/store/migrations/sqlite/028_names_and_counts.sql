-- 028_names_and_counts.sql — account search by an index of names, and the instance's counts
-- as running totals (issue 10, item 29: neither may cost more as the company grows).
--
-- account_names: what an account search matches, one row per name: the username (lower
-- case), and the display name in ASCII lower case from its start and from after each space
-- ("Ann van Berg" gives "ann van berg", "van berg" and "berg"). A search for a prefix is then
-- one range of the primary key (name >= prefix AND name < prefix || U+10FFFF) instead of a
-- LIKE over every account; it finds exactly what `username LIKE 'p%'`, `display LIKE 'p%'`
-- and `display LIKE '% p%'` found (store/search.c). The store writes an account's rows with
-- the account (store_account_names_set), in the same transaction. The second index finds an
-- account's rows: to replace them, and to test one account against a prefix.
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
    SELECT id, lower(display_name) FROM accounts WHERE display_name <> ''
    UNION ALL
    SELECT account_id, substr(rest, instr(rest, ' ') + 1) FROM w WHERE instr(rest, ' ') > 0
)
INSERT INTO account_names (name, account_id)
SELECT rest, account_id FROM w WHERE rest <> '' ON CONFLICT DO NOTHING;

-- instance_stats: the people (not channels, not disabled) and the sum of their statuses_count
-- that /api/v1/instance, /api/v2/instance, NodeInfo, /about and the everyone channel show,
-- kept by triggers on accounts in the transaction of every change (a sign-up, a post, a
-- delete, a disable), whoever makes it. Reading them is 16 rows whatever the company's size.
-- Sixteen rows, not one: an account's changes go to the row of its id modulo 16, so writers
-- of different accounts (several nodes on one PostgreSQL) do not queue on one row's lock.
-- The index 021 made for counting the accounts is no longer read (and, with no statistics,
-- PostgreSQL took its is_disabled = 0 for a rare value and read it for account searches).
DROP INDEX accounts_stats;
CREATE TABLE instance_stats (
    shard INTEGER PRIMARY KEY,
    users BIGINT NOT NULL,
    statuses BIGINT NOT NULL
);
WITH RECURSIVE k(shard) AS (SELECT 0 UNION ALL SELECT shard + 1 FROM k WHERE shard < 15)
INSERT INTO instance_stats (shard, users, statuses)
SELECT k.shard,
       (SELECT count(*) FROM accounts a
        WHERE a.id % 16 = k.shard AND a.is_group = 0 AND a.is_disabled = 0),
       (SELECT COALESCE(sum(a.statuses_count), 0) FROM accounts a
        WHERE a.id % 16 = k.shard AND a.is_group = 0)
FROM k;

CREATE TRIGGER instance_stats_insert AFTER INSERT ON accounts
WHEN new.is_group = 0 BEGIN
    UPDATE instance_stats SET users = users + (new.is_disabled = 0),
        statuses = statuses + new.statuses_count
    WHERE shard = new.id % 16;
END;

CREATE TRIGGER instance_stats_delete AFTER DELETE ON accounts
WHEN old.is_group = 0 BEGIN
    UPDATE instance_stats SET users = users - (old.is_disabled = 0),
        statuses = statuses - old.statuses_count
    WHERE shard = old.id % 16;
END;

CREATE TRIGGER instance_stats_update AFTER UPDATE OF is_group, is_disabled, statuses_count ON accounts
WHEN old.is_group IS NOT new.is_group OR old.is_disabled IS NOT new.is_disabled
    OR old.statuses_count IS NOT new.statuses_count BEGIN
    UPDATE instance_stats
    SET users = users - (old.is_group = 0 AND old.is_disabled = 0)
                      + (new.is_group = 0 AND new.is_disabled = 0),
        statuses = statuses - (CASE WHEN old.is_group = 0 THEN old.statuses_count ELSE 0 END)
                            + (CASE WHEN new.is_group = 0 THEN new.statuses_count ELSE 0 END)
    WHERE shard = new.id % 16;
END;

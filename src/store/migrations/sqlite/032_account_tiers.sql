-- 032_account_tiers.sql — account search reads the most followed names first (issue 10, item
-- 29: v2/search for `user12` grew 7× from 10k to 100k people, sorting every one of the 1,111
-- accounts whose names start with it to show the 20 most followed).
--
-- account_names.tier: the account's followers on a coarse log scale, three steps for each
-- power of ten (1, 2, 5, 10, 20, 50, …): 0 for none, else 3 × (digits) + 0, 1 or 2 as the
-- first digit is 1, 2–4 or 5–9. A higher tier always means more followers, so a search reads
-- the names with the prefix tier by tier from the top (account_names_tier: one range each)
-- and stops at the first tier that fills the page; only the accounts of the tiers read are
-- then sorted (store/search.c). Every name of an account has its tier; the trigger moves
-- them when the followers cross a step (rarely: a step is a factor of 2 to 2.5), whoever
-- changes the count. store_account_names_set writes the tier with the names.
ALTER TABLE account_names ADD COLUMN tier INTEGER NOT NULL DEFAULT 0;
UPDATE account_names SET tier = (
    SELECT CASE WHEN a.followers_count < 1 THEN 0 ELSE length(CAST(a.followers_count AS TEXT)) * 3
        + CASE WHEN substr(CAST(a.followers_count AS TEXT), 1, 1) >= '5' THEN 2
               WHEN substr(CAST(a.followers_count AS TEXT), 1, 1) >= '2' THEN 1 ELSE 0 END END
    FROM accounts a WHERE a.id = account_names.account_id);
CREATE INDEX account_names_tier ON account_names (tier, name, account_id);

CREATE TRIGGER account_names_follow AFTER UPDATE OF followers_count ON accounts
WHEN (CASE WHEN old.followers_count < 1 THEN 0 ELSE length(CAST(old.followers_count AS TEXT)) * 3
        + CASE WHEN substr(CAST(old.followers_count AS TEXT), 1, 1) >= '5' THEN 2
               WHEN substr(CAST(old.followers_count AS TEXT), 1, 1) >= '2' THEN 1 ELSE 0 END END)
  <> (CASE WHEN new.followers_count < 1 THEN 0 ELSE length(CAST(new.followers_count AS TEXT)) * 3
        + CASE WHEN substr(CAST(new.followers_count AS TEXT), 1, 1) >= '5' THEN 2
               WHEN substr(CAST(new.followers_count AS TEXT), 1, 1) >= '2' THEN 1 ELSE 0 END END)
BEGIN
    UPDATE account_names SET tier =
        CASE WHEN new.followers_count < 1 THEN 0 ELSE length(CAST(new.followers_count AS TEXT)) * 3
        + CASE WHEN substr(CAST(new.followers_count AS TEXT), 1, 1) >= '5' THEN 2
               WHEN substr(CAST(new.followers_count AS TEXT), 1, 1) >= '2' THEN 1 ELSE 0 END END
    WHERE account_id = new.id;
END;

-- 065_follows_hiding_boosts.sql — the follows that hide the followed account's boosts
-- (show_reblogs = 0, rare), for the home feed's merge (issue 17): a home page asked the
-- company's big accounts and channels among the viewer's every follow, reading each follow's
-- row for its show_reblogs (~300 b-tree probes, a third of a page's work at 10k people). The
-- company's big accounts and channels are now kept by each event loop (app/cache.c) and met
-- with the viewer's follows in memory; what is left to read per viewer is this index's few
-- entries, not the follows' rows.
CREATE INDEX follows_hiding_boosts ON follows (account_id, target_id) WHERE show_reblogs = 0;

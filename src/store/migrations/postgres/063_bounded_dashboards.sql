-- 063_bounded_dashboards.sql — the two dashboards' reads that still grew with the company at
-- 100k people (issue 16's census; BENCHMARKS.md "At 100k/10M"), bounded by what they show.

-- Open tickets counted by state, priority and team (team '' for none), kept by the store's
-- ticket insert and update in the writer's transaction (store/tickets.c): the dashboard's
-- open part reads these few rows, not every open ticket. A row at zero stays.
CREATE TABLE ticket_open_counts (
    state INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    team TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (state, priority, team)
);
INSERT INTO ticket_open_counts (state, priority, team, count)
SELECT state, priority, COALESCE(team, ''), count(*) FROM tickets WHERE state < 3
GROUP BY state, priority, COALESCE(team, '');

-- The breaching count, per priority, from open tickets' opening times alone: past the
-- resolution target (the first index), or unanswered past the response target (the second).
-- Both read only index entries, one per breaching ticket, never the tickets' rows.
CREATE INDEX tickets_open_due ON tickets (priority, created_at) WHERE state < 3;
CREATE INDEX tickets_open_unanswered ON tickets (priority, created_at)
    WHERE state < 3 AND first_response_at IS NULL;

-- A watch's kept tops of each UTC day (day = at / 86400000, as watch_authors'), kept by the
-- writes that move them (store/watches.c, top_offer): the day's 50 authors with the most
-- matches (WATCH_DAY_AUTHORS; the smaller id first among equals), and its 40 most engaged posts
-- (WATCH_DAY_POSTS: replies + boosts + favourites, at least one; the newer first among equals),
-- offered as a match is kept and as the post's engagement changes (a post with none is in no
-- top: most posts have none when matched, and the dashboard fills with the newest). A
-- dashboard's top authors and posts read a period's days from these rows, at most 50 and 40 a
-- day, not its matches.
CREATE TABLE watch_author_tops (
    watch_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    author_id BIGINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (watch_id, day, author_id)
);
INSERT INTO watch_author_tops (watch_id, day, author_id, count)
SELECT watch_id, day, author_id, count FROM (
    SELECT watch_id, day, author_id, count,
           row_number() OVER (PARTITION BY watch_id, day ORDER BY count DESC, author_id) AS r
    FROM watch_authors) t
WHERE r <= 50;

CREATE TABLE watch_post_tops (
    watch_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    status_id BIGINT NOT NULL,
    score BIGINT NOT NULL,
    PRIMARY KEY (watch_id, day, status_id)
);
-- a deleted post leaves its watches' tops (store_status_delete)
CREATE INDEX watch_post_tops_status ON watch_post_tops (status_id);
INSERT INTO watch_post_tops (watch_id, day, status_id, score)
SELECT watch_id, day, status_id, score FROM (
    SELECT m.watch_id, m.at / 86400000 AS day, m.status_id,
           st.replies_count + st.reblogs_count + st.favourites_count AS score,
           row_number() OVER (PARTITION BY m.watch_id, m.at / 86400000
                              ORDER BY st.replies_count + st.reblogs_count + st.favourites_count
                                       DESC, m.status_id DESC) AS r
    FROM watch_matches m JOIN statuses st ON st.id = m.status_id
    WHERE st.replies_count + st.reblogs_count + st.favourites_count > 0) t
WHERE r <= 40;

-- 057_influence.sql — influence (issue 15; docs/influence.md, the method; docs/ARCHITECTURE.md
-- "Influence"). A computation is a run: it writes its rows under its id in short
-- transactions, then becomes the current run in one; readers read the current run's rows.

-- Who has a score: whoever has signed in at least once (the first token given to them).
ALTER TABLE accounts ADD COLUMN signed_in_at BIGINT;
UPDATE accounts SET signed_in_at = (SELECT min(t.created_at) FROM tokens t
                                    WHERE t.account_id = accounts.id);
-- Whether others may see one's score (the owner always does).
ALTER TABLE accounts ADD COLUMN influence_shown INTEGER NOT NULL DEFAULT 0;
-- Who pinned a post in a channel (a pin is a signal from that moderator; NULL before 057).
ALTER TABLE channel_pins ADD COLUMN pinned_by BIGINT;

-- Administrators' marks: a channel or a hashtag is work (1) or social (2), with a topic.
CREATE TABLE influence_topics (
    id BIGINT PRIMARY KEY,
    channel_id BIGINT UNIQUE,
    tag TEXT UNIQUE,
    class INTEGER NOT NULL,
    topic TEXT NOT NULL,
    set_by BIGINT,
    set_at BIGINT NOT NULL
);

-- Each computation. state: 0 being written, 1 the current one, 2 an earlier one kept as the
-- baseline of the next day's history. at: the moment computed for (ms); day: its UTC day.
CREATE TABLE influence_runs (
    id BIGINT PRIMARY KEY,
    day INTEGER NOT NULL,
    at BIGINT NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    method_version INTEGER NOT NULL,
    window_days INTEGER NOT NULL,
    half_life_days INTEGER NOT NULL,
    median_raw BIGINT NOT NULL DEFAULT 0,
    p95_raw BIGINT NOT NULL DEFAULT 0,
    beta_milli INTEGER NOT NULL DEFAULT 0,
    people INTEGER NOT NULL DEFAULT 0,
    scored INTEGER NOT NULL DEFAULT 0,
    signals BIGINT NOT NULL DEFAULT 0,
    took_ms INTEGER NOT NULL DEFAULT 0,
    finished_at BIGINT
);
CREATE INDEX influence_runs_state ON influence_runs (state, day);

-- A person's result in a run: raw and score, the standing their engagement carries, the
-- breakdown (parts: one "<dim> <raw> <key>" line per item, dim p place, t topic, s signal,
-- e engager) and each post's contribution (posts: "<post id>:<raw>" separated by spaces),
-- from which the next day tells what deleted posts took away.
CREATE TABLE influence_scores (
    run_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    raw BIGINT NOT NULL,
    score INTEGER NOT NULL,
    standing_milli INTEGER NOT NULL,
    parts TEXT NOT NULL DEFAULT '',
    posts TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, account_id)
);

-- One row per person per day: the day's raw and score and the change from the last earlier
-- day in parts (new + older + deleted + method = raw - that day's raw, exactly).
CREATE TABLE influence_daily (
    account_id BIGINT NOT NULL,
    day INTEGER NOT NULL,
    run_id BIGINT NOT NULL,
    raw BIGINT NOT NULL,
    score INTEGER NOT NULL,
    prev_day INTEGER,
    new_raw BIGINT NOT NULL DEFAULT 0,
    older_raw BIGINT NOT NULL DEFAULT 0,
    deleted_raw BIGINT NOT NULL DEFAULT 0,
    method_raw BIGINT NOT NULL DEFAULT 0,
    method_version INTEGER NOT NULL,
    PRIMARY KEY (account_id, day)
);
CREATE INDEX influence_daily_day ON influence_daily (day);

-- Who knows about a topic ("#tag" or an administrator's topic name, lower case): a person's
-- raw from public signals on their posts about it, and their three most engaged such posts.
CREATE TABLE influence_expertise (
    run_id BIGINT NOT NULL,
    topic TEXT NOT NULL,
    account_id BIGINT NOT NULL,
    raw BIGINT NOT NULL,
    posts TEXT NOT NULL,
    PRIMARY KEY (run_id, topic, account_id)
);
CREATE INDEX influence_expertise_rank ON influence_expertise (run_id, topic, raw);

-- One computation at a time across nodes, and the daily one once a day.
CREATE TABLE influence_lease (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    holder TEXT NOT NULL DEFAULT '',
    until_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO influence_lease (one) VALUES (1);

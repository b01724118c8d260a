-- 031_announcements.sql — company announcements by administrators (Mastodon's announcements:
-- docs.joinmastodon.org/methods/announcements), who reads them, and emoji reactions to them.
--
-- An announcement is listed while it runs: from starts_at (NULL: from when it was posted) until
-- ends_at (NULL: until deleted). published_at is when it was, or will be, first listed. Times
-- are milliseconds; created_by is the administrator who posted it through the API, NULL when it
-- was posted from the command line (`partyline admin announce`).
CREATE TABLE announcements (
    id BIGINT PRIMARY KEY,
    text TEXT NOT NULL,
    starts_at BIGINT,
    ends_at BIGINT,
    all_day INTEGER NOT NULL DEFAULT 0,
    published_at BIGINT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Who dismissed (read) which announcement: the Announcement's `read`.
CREATE TABLE announcement_dismissals (
    announcement_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, account_id)
);

-- One row per person and emoji (a Unicode emoji; custom emoji come with pictures).
CREATE TABLE announcement_reactions (
    announcement_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (announcement_id, account_id, name)
);

-- The emoji an announcement's reactions have used, each numbered once for good, so that a live
-- event (which carries numbers only: db.h) can name the emoji whose count changed.
CREATE TABLE announcement_emoji (
    announcement_id BIGINT NOT NULL,
    slot INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (announcement_id, slot),
    UNIQUE (announcement_id, name)
);

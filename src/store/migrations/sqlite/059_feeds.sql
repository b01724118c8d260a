-- 059_feeds.sql — listening's outside sources (issue 16): the RSS and Atom feeds the company
-- subscribes to, and the items fetched from them, each kept once (src/feeds fetches, parses
-- and says when to fetch next; docs/ARCHITECTURE.md "Feeds").

-- A feed. state: 'new' (never fetched), 'ok' (the last fetch worked), 'failing' (it did not:
-- last_error says why, failures how many times in a row). etag and last_modified: the
-- validators of the last good answer, sent back on the next fetch. next_fetch_at: when it is
-- due (ms), from feeds_next_fetch's politeness.
CREATE TABLE feed_sources (
    id BIGINT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    interval_s INTEGER NOT NULL,
    etag TEXT,
    last_modified TEXT,
    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'ok', 'failing')),
    last_error TEXT NOT NULL DEFAULT '',
    failures INTEGER NOT NULL DEFAULT 0,
    next_fetch_at BIGINT NOT NULL,
    last_fetch_at BIGINT,
    last_success_at BIGINT,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX feed_sources_due ON feed_sources (next_fetch_at);

-- An item of a feed, kept once: item_key is feeds_item.key (guid, id, link or a hash),
-- unique within its source. published_at: the item's own date (NULL when it has none);
-- fetched_at: when it was first seen. id grows with fetched_at (a partyline id).
CREATE TABLE feed_items (
    id BIGINT PRIMARY KEY,
    source_id BIGINT NOT NULL,
    item_key TEXT NOT NULL,
    link TEXT,
    title TEXT,
    author TEXT,
    published_at BIGINT,
    text TEXT NOT NULL DEFAULT '',
    fetched_at BIGINT NOT NULL,
    UNIQUE (source_id, item_key)
);
CREATE INDEX feed_items_source ON feed_items (source_id, id);

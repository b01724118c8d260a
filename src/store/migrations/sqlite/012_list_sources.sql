-- 012_list_sources.sql — a list's sources besides its people (our extension): channels and
-- hashtags whose posts its timeline merges on read, like its members' posts.
-- kind: 1 channel (value: the channel's id in decimal), 2 hashtag (value: the tag, lower case),
-- 3 keyword (value: words or a phrase, found through the full-text index).
CREATE TABLE list_sources (
    list_id BIGINT NOT NULL,
    kind INTEGER NOT NULL,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (list_id, kind, value)
);

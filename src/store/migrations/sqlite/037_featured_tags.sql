-- 037_featured_tags.sql — hashtags people feature on their profile (GET/POST/DELETE
-- /api/v1/featured_tags; docs/api.md, "Featured hashtags").
--
-- tag is the normalized name (as status_tags keeps it), name the spelling the person chose
-- (Mastodon's display name of a featured tag). A person features at most max_featured_tags, so
-- their list is one range of the unique key. The counts a FeaturedTag shows are not kept here:
-- they are counted when asked, from the person's public and unlisted posts.
CREATE TABLE featured_tags (
    id BIGINT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    tag TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (account_id, tag)
);

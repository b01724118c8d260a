-- 040_channels_everyone.sql — the everyone channel found by an index of its own.
--
-- "The channels I am in" (GET /api/v1/partyline/channels?member=true) is the everyone channel
-- and the person's follows that are channels. Without an index on is_everyone the first part
-- walked the company's channels to find the one row; this partial index holds that row only.
CREATE INDEX channels_everyone ON channels (account_id) WHERE is_everyone = 1;

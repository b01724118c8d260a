-- 024_channel_roles_follow.sql — membership of a channel is the follow of its account, and a
-- role counts only beside it. Before, leaving through Mastodon's unfollow (or a block) kept the
-- role row: drop every such row now, so that the one-owner rule counts real owners and a person
-- who comes back does not get an old role back. The everyone channel has no follows (everyone
-- is in it): its roles stay.
DELETE FROM channel_roles
WHERE NOT EXISTS (SELECT 1 FROM follows f
                  WHERE f.account_id = channel_roles.account_id
                    AND f.target_id = channel_roles.channel_id)
  AND NOT EXISTS (SELECT 1 FROM channels c
                  WHERE c.account_id = channel_roles.channel_id AND c.is_everyone = 1);

/*
 * channel_reads.c — read markers of channels (table channel_reads).
 *
 * A channel's unread count is "its posts after my marker": app/channel_reads.c reads them with
 * store_statuses_by_channel (a range of the statuses_channel (channel_id, id) index from the
 * marker, stopped after a fixed number of rows), so what it costs depends on that cap, never
 * on how busy the channel or how big the company is.
 */
#include "store/channel_reads.h"
#include "store/query.h"

int store_channel_read_start(db *d, int64_t account_id, int64_t channel_id, int64_t *last_read_id)
{
    *last_read_id = 0;
    PREPARE(s, d,
            "SELECT COALESCE((SELECT last_read_id FROM channel_reads "
            "WHERE account_id = ? AND channel_id = ?), "
            "(SELECT id FROM follows WHERE account_id = ? AND target_id = ?), 0)");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, channel_id);
    db_bind_i64(s, 3, account_id);
    db_bind_i64(s, 4, channel_id);
    int rc = step_one(s);
    if (rc) return rc;
    *last_read_id = db_col_i64(s, 0);
    db_reset(s);
    return PL_OK;
}

int store_channel_read_set(db *d, int64_t account_id, int64_t channel_id, int64_t last_read_id,
                           int64_t now)
{
    PREPARE(s, d,
            "INSERT INTO channel_reads (account_id, channel_id, last_read_id, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, channel_id) DO UPDATE SET "
            "last_read_id = excluded.last_read_id, updated_at = excluded.updated_at "
            "WHERE excluded.last_read_id > channel_reads.last_read_id");
    db_bind_i64(s, 1, account_id);
    db_bind_i64(s, 2, channel_id);
    db_bind_i64(s, 3, last_read_id);
    db_bind_i64(s, 4, now);
    return db_step_done(s);
}

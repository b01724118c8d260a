-- 062_ticket_days.sql — the ticket dashboard's figures per day (issue 16, tickets;
-- docs/ARCHITECTURE.md "Tickets", store/tickets.c): kept as tickets are written, in the same
-- transaction, so that a period's figures read at most days × (1 + 2 × bins) rows, however
-- many tickets the company opens.

-- The bins of a duration (ms), logarithmic: bin 0 is under a minute, bin k ≥ 1 holds
-- [lower_ms of k, lower_ms of k + 1), each 12.2 % wider than the one before (lower_ms × 1.122,
-- in integers, so that both databases make the same edges), up to the first edge past a year
-- (365 days), whose bin holds everything longer: 117 bins. The edges are data, read by the
-- writes (a duration's bin: the last edge at or below it) and by the dashboard (the edges of
-- the bin a median falls in).
CREATE TABLE ticket_time_bins (
    bin INTEGER PRIMARY KEY,
    lower_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX ticket_time_bins_lower ON ticket_time_bins (lower_ms);
INSERT INTO ticket_time_bins (bin, lower_ms) VALUES (0, 0);
WITH RECURSIVE e (bin, lower_ms) AS (
    SELECT 1, CAST(60000 AS BIGINT)
    UNION ALL
    SELECT bin + 1, lower_ms * 1122 / 1000 FROM e WHERE lower_ms < 31536000000
)
INSERT INTO ticket_time_bins (bin, lower_ms) SELECT bin, lower_ms FROM e;

-- Per UTC day of a ticket's opening (day = created_at / 86400000), n tickets: kind 0 opened
-- (bin 0), kind 1 those answered by the bin of their time to first response, kind 2 those
-- resolved by the bin of their time to resolution — each ticket as its row is now (the latest
-- resolution of one reopened and resolved again; none while reopened), which is what the
-- dashboard read from the tickets before. Rows and not a packed column: a change is one
-- increment (n = n ± 1) in both databases, without reading a day's histogram first
-- (two nodes may change tickets of the same day at once), and a bin never used takes no row
-- (one emptied keeps its row at 0).
CREATE TABLE ticket_days (
    day BIGINT NOT NULL,
    kind INTEGER NOT NULL,
    bin INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (day, kind, bin)
) WITHOUT ROWID;
INSERT INTO ticket_days (day, kind, bin, n)
SELECT created_at / 86400000, 0, 0, COUNT(*) FROM tickets GROUP BY created_at / 86400000;
INSERT INTO ticket_days (day, kind, bin, n)
SELECT x.day, 1, x.bin, COUNT(*) FROM (
    SELECT t.created_at / 86400000 AS day,
           COALESCE((SELECT b.bin FROM ticket_time_bins b
                     WHERE b.lower_ms <= t.first_response_at - t.created_at
                     ORDER BY b.lower_ms DESC LIMIT 1), 0) AS bin
    FROM tickets t WHERE t.first_response_at IS NOT NULL
) x GROUP BY x.day, x.bin;
INSERT INTO ticket_days (day, kind, bin, n)
SELECT x.day, 2, x.bin, COUNT(*) FROM (
    SELECT t.created_at / 86400000 AS day,
           COALESCE((SELECT b.bin FROM ticket_time_bins b
                     WHERE b.lower_ms <= t.resolved_at - t.created_at
                     ORDER BY b.lower_ms DESC LIMIT 1), 0) AS bin
    FROM tickets t WHERE t.resolved_at IS NOT NULL
) x GROUP BY x.day, x.bin;

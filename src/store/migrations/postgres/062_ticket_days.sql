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

-- Per UTC day of a ticket's opening (day = created_at / 86400000) and kind, a histogram: kind 0
-- the tickets opened (all in bin 0), kind 1 those answered by the bin of their time to first
-- response, kind 2 those resolved by the bin of their time to resolution — each ticket as its
-- row is now (the latest resolution of one reopened and resolved again; none while reopened),
-- which is what the dashboard read from the tickets before. hist is the bins that hold any,
-- as text "bin:count" pairs separated by spaces ("0:12", "14:3 15:1 40:2"; store/tickets.c
-- writes them ascending). Packed and not a row per bin: a period reads three rows a day
-- whatever the company's size (a row per bin would be up to 1 + 2 × 117 a day, as many as the
-- tickets themselves for a company of a few thousand people); a change locks its day's row
-- (an upsert that returns it) and writes it back, so two nodes count one after the other.
CREATE TABLE ticket_days (
    day BIGINT NOT NULL,
    kind INTEGER NOT NULL,
    hist TEXT NOT NULL,
    PRIMARY KEY (day, kind)
);
INSERT INTO ticket_days (day, kind, hist)
SELECT created_at / 86400000, 0, '0:' || COUNT(*) FROM tickets GROUP BY created_at / 86400000;
INSERT INTO ticket_days (day, kind, hist)
SELECT x.day, 1, string_agg(x.bin || ':' || x.n, ' ' ORDER BY x.bin) FROM (
    SELECT y.day, y.bin, COUNT(*) AS n FROM (
        SELECT t.created_at / 86400000 AS day,
               COALESCE((SELECT b.bin FROM ticket_time_bins b
                         WHERE b.lower_ms <= t.first_response_at - t.created_at
                         ORDER BY b.lower_ms DESC LIMIT 1), 0) AS bin
        FROM tickets t WHERE t.first_response_at IS NOT NULL
    ) y GROUP BY y.day, y.bin
) x GROUP BY x.day;
INSERT INTO ticket_days (day, kind, hist)
SELECT x.day, 2, string_agg(x.bin || ':' || x.n, ' ' ORDER BY x.bin) FROM (
    SELECT y.day, y.bin, COUNT(*) AS n FROM (
        SELECT t.created_at / 86400000 AS day,
               COALESCE((SELECT b.bin FROM ticket_time_bins b
                         WHERE b.lower_ms <= t.resolved_at - t.created_at
                         ORDER BY b.lower_ms DESC LIMIT 1), 0) AS bin
        FROM tickets t WHERE t.resolved_at IS NOT NULL
    ) y GROUP BY y.day, y.bin
) x GROUP BY x.day;

#!/usr/bin/env bash
# bench/offboard.sh DATA TOKENS [PEOPLE] — what off-boarding with --wipe costs and whether the
# server keeps answering meanwhile, on a COPY of a bench company (it deletes: never the cached
# dataset). DATA is a `partyline bench-data --data` folder, TOKENS its --tokens file; make one
# where people have ~10k posts each, e.g. `bench-data --users 50 --posts 500000`.
#
# A server (rate limits off) serves the copy; after a 3 s warm-up of home, PEOPLE [3] people
# are off-boarded with --wipe one after another, the one with the most posts first. Each is a
# pair, interleaved: home alone for BENCH_SECONDS [8] s ("without"), then `partyline admin
# offboard --wipe` started and home measured for the same time beside it ("with"; the wipe
# goes on to its end if it needs longer, unmeasured). The wipe is the command line's, on its
# own connection: the same batches and transactions as the server's background thread.
# Prints, per person: posts before, the wipe's wall time and posts/s, and home's rps, p50 and
# p99 without and with. Env: BIN [build/partyline], BENCH_CONNECTIONS [16], BENCH_THREADS [2],
# BENCH_SECONDS [8].
set -euo pipefail
DATA=${1:?usage: bench/offboard.sh DATA TOKENS [PEOPLE]}
TOKENS=$(realpath "${2:?usage: bench/offboard.sh DATA TOKENS [PEOPLE]}")
PEOPLE=${3:-3}
BIN=$(realpath "${BIN:-build/partyline}")
cd "$(dirname "$0")/.."
NAME=offboard
. bench/serve-copy.sh

SECS=3 home warmup > /dev/null
for k in $(seq 1 "$PEOPLE"); do
    read -r who posts < <(sqlite3 -separator ' ' "$WORK/partyline.db" \
        "SELECT a.username, count(*) FROM statuses s JOIN accounts a ON a.id = s.account_id
         WHERE a.is_disabled = 0 AND a.is_group = 0 GROUP BY a.id ORDER BY count(*) DESC LIMIT 1")
    home "without $who"
    t0=$(date +%s.%N)
    "$BIN" admin offboard --data "$WORK" --username "$who" --wipe > "$WORK/wipe.out" 2>&1 &
    wipe=$!
    home "with $who"
    wait "$wipe" || { cat "$WORK/wipe.out" >&2; exit 1; }
    t1=$(date +%s.%N)
    secs=$(echo "$t1 - $t0" | bc)
    printf 'wipe %s posts=%s seconds=%.1f posts_per_s=%.0f\n' "$who" "$posts" "$secs" \
        "$(echo "$posts / $secs" | bc -l)"
    grep '^wiped' "$WORK/wipe.out" >&2
done

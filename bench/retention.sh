#!/usr/bin/env bash
# bench/retention.sh DATA TOKENS [STEPS] [DAYS_FROM] [DAYS_TO] — what a retention run costs
# and whether the server keeps answering meanwhile, on a COPY of a bench company (it deletes:
# never the cached dataset). DATA is a `partyline bench-data --data` folder, TOKENS its
# --tokens file. bench-data spreads its posts over the last 180 days, so a company policy of
# 162 days deletes about 10% of them.
#
# A server (retention_interval_minutes = 0, rate limits off) serves the copy; after a 3 s
# warm-up of home, the company policy is moved from DAYS_FROM [180] to DAYS_TO [162] days in
# STEPS [9] steps. Each step is a pair, interleaved: home alone for BENCH_SECONDS [8] s
# ("without"), then `partyline admin retention run` started and home measured for the same
# time beside it ("with"; the run goes on to its end if it needs longer, unmeasured). The run
# is the command line's, on its own connection: the same batches and transactions as the
# server's background thread, which also takes the write lock from outside the writer.
# Prints, per step: the run's output (posts, batches, longest transaction), its wall time
# and posts/s, and home's rps, p50 and p99 without and with; then the medians.
# Env: BIN [build/partyline], BENCH_CONNECTIONS [16], BENCH_THREADS [2], BENCH_SECONDS [8].
set -euo pipefail
DATA=${1:?usage: bench/retention.sh DATA TOKENS [STEPS] [DAYS_FROM] [DAYS_TO]}
TOKENS=$(realpath "${2:?usage: bench/retention.sh DATA TOKENS}")
STEPS=${3:-9}
FROM=${4:-180}
TO=${5:-162}
BIN=$(realpath "${BIN:-build/partyline}")
cd "$(dirname "$0")/.."
NAME=retention
. bench/serve-copy.sh
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

SECS=3 home warmup > /dev/null
posts_before=$(sqlite3 "$WORK/partyline.db" "SELECT count(*) FROM statuses")
say "$posts_before posts; company policy from $FROM to $TO days in $STEPS steps, ${SECS}s windows"
: > "$WORK/pairs"
for k in $(seq 1 "$STEPS"); do
    days=$((FROM - (FROM - TO) * k / STEPS))
    "$BIN" admin retention set --scope company --days "$days" --data "$WORK" > /dev/null 2>&1
    without=$(home without)
    t0=$(date +%s.%N)
    "$BIN" admin retention run --data "$WORK" > "$WORK/run.out" 2>> "$WORK/run.err" &
    runner=$!
    with=$(home with)
    still=$(kill -0 "$runner" 2>/dev/null && echo running || echo ended)
    wait "$runner"
    t1=$(date +%s.%N)
    out=$(cat "$WORK/run.out")
    posts=$(sed -n 's/^deleted \([0-9]*\) posts.*/\1/p' <<< "$out")
    longest=$(sed -n 's/.*longest transaction \([0-9]*\) ms.*/\1/p' <<< "$out")
    wall=$(echo "$t1 - $t0" | bc -l)
    bad=$(($(field errors <<< "$without") + $(field non2xx <<< "$without") + $(field errors <<< "$with") + $(field non2xx <<< "$with")))
    [ "$bad" = 0 ] || say "step $k: $bad errors or non-2xx answers"
    printf '%s\t%s\t%.1f\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$days" "$posts" "$wall" \
        "$(echo "$posts / $wall" | bc -l)" "$longest" \
        "$(field rps <<< "$without")" "$(field p50_us <<< "$without")" "$(field p99_us <<< "$without")" \
        "$(field rps <<< "$with")" "$(field p50_us <<< "$with")" "$(field p99_us <<< "$with")" \
        | tee -a "$WORK/pairs"
    say "step $k: $days days: $out (the run $still when the window ended)"
done
posts_after=$(sqlite3 "$WORK/partyline.db" "SELECT count(*) FROM statuses")
say "$posts_after posts left ($((posts_before - posts_after)) deleted)"
med() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "# days posts wall_s posts_per_s longest_txn_ms | without: rps p50_us p99_us | with: rps p50_us p99_us"
printf 'median posts/s %s, longest txn max %s ms; home p99 without %s us, with %s us; p50 %s / %s us\n' \
    "$(cut -f4 "$WORK/pairs" | med)" "$(cut -f5 "$WORK/pairs" | sort -g | tail -1)" \
    "$(cut -f8 "$WORK/pairs" | med)" "$(cut -f11 "$WORK/pairs" | med)" \
    "$(cut -f7 "$WORK/pairs" | med)" "$(cut -f10 "$WORK/pairs" | med)"

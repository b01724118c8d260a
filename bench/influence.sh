#!/usr/bin/env bash
# bench/influence.sh [BINARY] — what influence's daily computation costs (issue 15,
# "Performance"; docs/influence.md) and how fast one reads one's own score.
#
# For each company of INFLUENCE_SIZES (people:posts:engagements, default the issue's 10k/1M/5M
# and a 30k/3M/15M one to show how it grows), builds it with `partyline bench-data
# --engagements` or reuses the one cached in build/bench-data/influence-… (keyed, as
# bench/run.sh's, by size, settings and the generator's and schema's sources), then on a COPY:
#
#   1. starts `partyline serve` on it (rate limits off; bench/serve-copy.sh);
#   2. runs `partyline admin influence recompute --data COPY` beside it under /usr/bin/time -v:
#      its wall time, CPU and peak memory (maximum resident set), and the longest write
#      transaction from the summary line it prints (any "longest … N ms");
#   3. times with wrk (bench/get.lua, the token turning over every person) GET /health (the
#      house's baseline) and GET /api/v1/partyline/influence/me, each first one request at a
#      time (p50/p99, as bench/census.sh) and then on BENCH_CONNECTIONS connections (req/s,
#      and the ratio to /health's req/s, as bench/run.sh's home).
#
# Prints one block per company and a Markdown table to paste into BENCHMARKS.md ("Influence").
# Env: BIN (or the first argument) [build/partyline]; INFLUENCE_SIZES; BENCH_SECONDS [8];
# BENCH_CONNECTIONS [16]; BENCH_THREADS [2]; INFLUENCE_RUNS [1] recomputes per company (each
# on the same copy: the second is the day's recompute "again", replacing its snapshot);
# PARTYLINE_FANOUT_THRESHOLD, PARTYLINE_TIMELINE_KEEP reach the generator and the server.
set -euo pipefail
BIN=$(realpath "${1:-${BIN:-build/partyline}}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZES=${INFLUENCE_SIZES:-"10000:1000000:5000000 30000:3000000:15000000"}
RUNS=${INFLUENCE_RUNS:-1}
THRESHOLD=${PARTYLINE_FANOUT_THRESHOLD:-2000}
KEEP=${PARTYLINE_TIMELINE_KEEP:-800}
ME_PATH=/api/v1/partyline/influence/me
CONNS=${BENCH_CONNECTIONS:-16} # (serve-copy.sh reads the same)

for tool in wrk curl sqlite3 /usr/bin/time python3 bc; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make setup)" >&2; exit 1; }
done
say() { printf 'bench: %s\n' "$*" >&2; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
ms() { printf "%.2f" "$(echo "scale=3; $1 / 1000" | bc)"; }

SRC_SUM=$(cat src/cli/benchdata.c src/store/bench.c src/store/migrations/sqlite/*.sql \
          2>/dev/null | cksum | cut -d' ' -f1)
BASE=build/bench-data
mkdir -p "$BASE"

# dataset U P E: the cached company's folder (built if missing)
dataset() {
    local key="influence-u$1-p$2-e$3-f$THRESHOLD-k$KEEP"
    local cache=$BASE/$key-$SRC_SUM
    if [ ! -f "$cache/ready" ]; then
        rm -rf "$BASE/$key"-* # stale versions of this size
        mkdir -p "$cache"
        say "building $1 people, $2 posts, $3 engagements into $cache"
        /usr/bin/time -v -o "$cache/build.time" "$BIN" bench-data --data "$cache/db" \
            --users "$1" --posts "$2" --engagements "$3" --tokens "$cache/tokens" \
            > "$cache/build.log" 2> "$cache/build.err" || { cat "$cache/build.err" >&2; exit 1; }
        grep -q 'done:' "$cache/build.log" || { say "bench-data failed"; exit 1; }
        date -u '+%Y-%m-%d %H:%M UTC' > "$cache/built_at"
        touch "$cache/ready"
    fi
    echo "$cache"
}

# time_field FILE NAME: a line of /usr/bin/time -v's output
time_field() { sed -n "s/^[[:space:]]*$2: //p" "$1"; }
# seconds of an "h:mm:ss" or "m:ss.ss" elapsed time
secs() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' <<< "$1"; }

TABLE=$(mktemp)
trap 'rm -f "$TABLE"' EXIT
for size in $SIZES; do
    IFS=: read -r U P E <<< "$size"
    CACHE=$(dataset "$U" "$P" "$E")
    build_s=$(sed -n 's/.*total \([0-9.]*\) s.*/\1/p' "$CACHE/build.log" | tail -1)
    build_cpu=$(echo "$(time_field "$CACHE/build.time" 'User time (seconds)') + $(time_field "$CACHE/build.time" 'System time (seconds)')" | bc)
    counts=$(grep 'drew [0-9]* engagements' "$CACHE/build.log" | sed 's/.*drew //')
    # one company at a time: its server, its copy, removed on the way out
    (
        DATA=$CACHE/db
        TOKENS=$(realpath "$CACHE/tokens")
        NAME=influence
        # no daily computation of the server's own: the one timed is ours
        export PARTYLINE_INFLUENCE_DAILY=false
        . bench/serve-copy.sh
        say "$U people: serving a copy on $URL"
        for run in $(seq 1 "$RUNS"); do
            /usr/bin/time -v -o "$WORK/recompute.time" \
                "$BIN" admin influence recompute --data "$WORK" > "$WORK/recompute.out" 2>&1 || {
                say "the recompute failed:"; cat "$WORK/recompute.out" >&2; exit 1; }
            cat "$WORK/recompute.out" >&2
            wall=$(secs "$(time_field "$WORK/recompute.time" 'Elapsed (wall clock) time (h:mm:ss or m:ss)')")
            cpu=$(echo "$(time_field "$WORK/recompute.time" 'User time (seconds)') + $(time_field "$WORK/recompute.time" 'System time (seconds)')" | bc)
            peak_kb=$(time_field "$WORK/recompute.time" 'Maximum resident set size (kbytes)')
            longest=$(grep -io 'longest[^0-9]*[0-9.]* *ms' "$WORK/recompute.out" | grep -o '[0-9.]*' | tail -1)
            summary=$(tail -1 "$WORK/recompute.out")
            say "recompute $run: wall ${wall}s, cpu ${cpu}s, peak $((peak_kb / 1024)) MB, longest transaction ${longest:-?} ms"
        done
        scored=$(sqlite3 "$WORK/partyline.db" "SELECT people || ' people, ' || scored || ' with raw > 0, ' || signals || ' signals, median raw ' || median_raw || ', p95 ' || p95_raw FROM influence_runs WHERE state = 1" 2>/dev/null || true)
        # the reads: one at a time, then on CONNS connections; /health measured the same way
        SECS=3 home warmup > /dev/null
        status=$(curl -sS -o "$WORK/me.json" -w '%{http_code}' \
                 -H "Authorization: Bearer $(head -1 "$TOKENS")" "$URL$ME_PATH")
        one() { # PATH CONNS: wrk's RESULT line
            BENCH_PATH="$1" BENCH_TOKENS="$TOKENS" wrk -t"$([ "$2" = 1 ] && echo 1 || echo "$THREADS")" \
                -c"$2" -d"${SECS}s" --timeout 10s -s bench/get.lua "$URL" 2>&1 | grep '^RESULT'
        }
        h1=$(one /health 1)
        say "/health, one at a time: $h1"
        reads="| not served (HTTP $status) | $(ms "$(field p50_us <<< "$h1")") / $(ms "$(field p99_us <<< "$h1")") ms | — | — |"
        if [ "$status" = 200 ]; then
            say "GET $ME_PATH as user0: $(head -c 300 "$WORK/me.json")"
            m1=$(one "$ME_PATH" 1)
            hc=$(one /health "$CONNS")
            mc=$(one "$ME_PATH" "$CONNS")
            for r in "$m1" "$hc" "$mc"; do say "$r"; done
            bad=$(($(field errors <<< "$m1") + $(field non2xx <<< "$m1") + $(field errors <<< "$mc") + $(field non2xx <<< "$mc")))
            ratio=$(echo "scale=3; $(field rps <<< "$mc") / $(field rps <<< "$hc")" | bc)
            reads=$(printf '| %s / %s ms | %s / %s ms | %.0f req/s = %s × /health (%.0f), p99 %s ms | %s |' \
                "$(ms "$(field p50_us <<< "$m1")")" "$(ms "$(field p99_us <<< "$m1")")" \
                "$(ms "$(field p50_us <<< "$h1")")" "$(ms "$(field p99_us <<< "$h1")")" \
                "$(field rps <<< "$mc")" "$ratio" "$(field rps <<< "$hc")" \
                "$(ms "$(field p99_us <<< "$mc")")" "$bad")
        else
            say "GET $ME_PATH answers HTTP $status (not on this branch yet): the reads are not measured"
        fi
        printf '| %s people, %s posts, %s engagements | %ss (CPU %ss) | %ss | %ss | %s MB | %s ms %s\n' \
            "$U" "$P" "$E" "$build_s" "$build_cpu" "$wall" "$cpu" "$((peak_kb / 1024))" \
            "${longest:-?}" "$reads" >> "$TABLE"
        say "$U people: $counts"
        say "$U people: current run: $scored"
        say "$U people: the recompute's last line: $summary"
    )
done
echo
echo "Machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; revision $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with uncommitted changes)'); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| company | build (bench-data) | recompute wall | recompute CPU | recompute peak memory | longest write transaction | GET influence/me p50 / p99, one at a time | GET /health p50 / p99, one at a time | GET influence/me, $CONNS connections | errors + non-2xx |"
echo "|---|---|---|---|---|---|---|---|---|---|"
cat "$TABLE"

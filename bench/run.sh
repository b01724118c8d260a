#!/usr/bin/env bash
# bench/run.sh BINARY — the partyline benchmark (`make bench`).
#
# Builds (or reuses) a synthetic company with `partyline bench-data`, copies it, starts
# `partyline serve` on a free loopback port with rate limits off, drives it with wrk
# (bench/get.lua, bench/post.lua), checks that new posts reach home feeds, and replaces the
# "## Latest run" section of BENCHMARKS.md with the figures and the goals they meet or miss.
#
# Environment (defaults in brackets):
#   BENCH_USERS [10000]  BENCH_POSTS [1000000]   size of the company; the dataset is cached
#                                                 in build/bench-data/ keyed by size, settings
#                                                 and generator/schema sources
#   BENCH_DURATION [10]  seconds per measured wrk run
#   BENCH_CONNECTIONS [64]  BENCH_THREADS [2]     wrk settings for the read runs
#   BENCH_POST_CONNECTIONS [8]  BENCH_POST_DELAY_MS [800]  the modest posting rate (~10 posts/s)
#   BENCH_OUT [BENCHMARKS.md]
#   PARTYLINE_FANOUT_THRESHOLD, PARTYLINE_TIMELINE_KEEP reach the generator and the server.
set -euo pipefail

BIN=$(realpath "${1:?usage: bench/run.sh BINARY}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

USERS=${BENCH_USERS:-10000}
POSTS=${BENCH_POSTS:-1000000}
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-2}
POST_CONNS=${BENCH_POST_CONNECTIONS:-8}
POST_DELAY=${BENCH_POST_DELAY_MS:-800}
OUT=${BENCH_OUT:-BENCHMARKS.md}
THRESHOLD=${PARTYLINE_FANOUT_THRESHOLD:-2000}
KEEP=${PARTYLINE_TIMELINE_KEEP:-800}

for tool in wrk curl sqlite3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make setup)" >&2; exit 1; }
done

say() { printf 'bench: %s\n' "$*" >&2; }

# ------------------------------------------------------------------ the dataset (cached)

SRC_SUM=$(cat src/cli/benchdata.c src/store/bench.c src/store/migrations/sqlite/*.sql \
          2>/dev/null | cksum | cut -d' ' -f1)
KEY="u${USERS}-p${POSTS}-f${THRESHOLD}-k${KEEP}"
BASE=build/bench-data
CACHE=$BASE/$KEY-$SRC_SUM
mkdir -p "$BASE"
if [ ! -f "$CACHE/ready" ]; then
    rm -rf "$BASE/$KEY"-* # stale versions of this size
    mkdir -p "$CACHE"
    say "building the dataset ($USERS people, $POSTS posts) into $CACHE"
    "$BIN" bench-data --data "$CACHE/db" --users "$USERS" --posts "$POSTS" \
        --tokens "$CACHE/tokens" 2>&1 | tee "$CACHE/build.log" >&2
    sed -n 's/.*total \([0-9.]*\) s.*/\1/p' "$CACHE/build.log" | tail -1 > "$CACHE/build_seconds"
    [ -s "$CACHE/build_seconds" ] || { say "bench-data failed"; exit 1; }
    date -u '+%Y-%m-%d %H:%M UTC' > "$CACHE/built_at"
    touch "$CACHE/ready"
    BUILD_NOTE="built for this run"
else
    BUILD_NOTE="cached, built $(cat "$CACHE/built_at")"
fi
BUILD_SECONDS=$(cat "$CACHE/build_seconds")
TOKENS=$ROOT/$CACHE/tokens

WORK=$BASE/work
RESULTS=$BASE/results
rm -rf "$WORK" "$RESULTS"
mkdir -p "$RESULTS"
cp -r "$CACHE/db" "$WORK"
DB=$WORK/partyline.db
# flush the copy now: otherwise the server's first checkpoint (an fsync) pays for writing
# back the whole copied file, and that stall lands on the first POST measured
sync "$DB"

# Who is who: token line k+1 belongs to user k.
q() { sqlite3 "$DB" "$1"; }
user_token() { sed -n "$(($1 + 1))p" "$TOKENS"; }
BIG_N=$(q "SELECT count(*) FROM accounts WHERE is_big = 1")
USER0_FOLLOWERS=$(q "SELECT followers_count FROM accounts WHERE username = 'user0'")
USER0_BIG=$(q "SELECT is_big FROM accounts WHERE username = 'user0'")
ORDINARY_SQL="SELECT CAST(substr(username, 5) AS INTEGER) FROM accounts
              WHERE is_big = 0 AND username <> 'user0'"
q "$ORDINARY_SQL ORDER BY random() LIMIT 1000" | while read -r k; do user_token "$k"; done \
    > "$RESULTS/tokens_ordinary"
q "$ORDINARY_SQL ORDER BY followers_count DESC LIMIT 50" | while read -r k; do user_token "$k"; done \
    > "$RESULTS/tokens_heavy"
HEAVY_MIN=$(q "SELECT min(f) FROM (SELECT followers_count f FROM accounts WHERE is_big = 0
               AND username <> 'user0' ORDER BY f DESC LIMIT 50)")
HEAVY_MAX=$(q "SELECT max(followers_count) FROM accounts WHERE is_big = 0 AND username <> 'user0'")
ORDINARY_MEDIAN=$(q "SELECT followers_count FROM accounts WHERE is_big = 0 ORDER BY followers_count
                     LIMIT 1 OFFSET (SELECT count(*) / 2 FROM accounts WHERE is_big = 0)")
user_token 0 > "$RESULTS/tokens_user0"

# ------------------------------------------------------------------ the server

free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
    return 1
}
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
PARTYLINE_RATE_LIMIT_TOKEN=0 PARTYLINE_RATE_LIMIT_IP=0 \
    "$BIN" serve --data "$WORK" --listen "127.0.0.1:$PORT" 2> "$RESULTS/server.log" &
SERVER=$!
stop_server() {
    if kill -0 "$SERVER" 2>/dev/null; then
        kill -TERM "$SERVER"
        wait "$SERVER" 2>/dev/null || true
    fi
}
trap stop_server EXIT
for _ in $(seq 1 100); do
    curl -fs "$URL/health" >/dev/null 2>&1 && break
    kill -0 "$SERVER" 2>/dev/null || { say "the server did not start:"; cat "$RESULTS/server.log" >&2; exit 1; }
    sleep 0.1
done
say "server pid $SERVER on $URL; $BIG_N big accounts; user0 has $USER0_FOLLOWERS followers"

# ------------------------------------------------------------------ measurements

# run NAME SECONDS CONNECTIONS SCRIPT [ENV=VALUE ...]: wrk's output in $RESULTS/NAME.txt
run() {
    local name=$1 secs=$2 conns=$3 script=$4
    shift 4
    say "wrk $name: ${secs}s, $conns connections"
    env "$@" wrk -t"$THREADS" -c"$conns" -d"${secs}s" --timeout 10s -s "bench/$script" "$URL" \
        > "$RESULTS/$name.txt" 2>&1
    if ! kill -0 "$SERVER" 2>/dev/null; then
        say "the server died during the $name run; its log ends with:"
        tail -20 "$RESULTS/server.log" >&2
        exit 1
    fi
    grep -q '^RESULT' "$RESULTS/$name.txt" || { cat "$RESULTS/$name.txt" >&2; exit 1; }
}
# get NAME KEY: a number from NAME's RESULT line
get() { sed -n "s/^RESULT.* $2=\([0-9.]*\).*/\1/p" "$RESULTS/$1.txt"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

HOME_PATH='/api/v1/timelines/home?limit=20'
run health "$DURATION" "$CONNS" get.lua BENCH_PATH=/health
run home_warmup 3 "$CONNS" get.lua BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS"
run home "$DURATION" "$CONNS" get.lua BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS"
for who in user0 ordinary heavy; do
    run "post_$who" "$DURATION" "$POST_CONNS" post.lua BENCH_TOKENS="$ROOT/$RESULTS/tokens_$who" \
        BENCH_DELAY_MS="$POST_DELAY"
done

# ------------------------------------------------------------------ visibility checks

post_as() { # TOKEN TEXT -> prints the new status id
    curl -fs -H "Authorization: Bearer $1" --data-urlencode "status=$2" \
        --data "visibility=public" "$URL/api/v1/statuses" |
        grep -o '"id":"[0-9]*"' | head -1 | tr -dc 0-9
}
in_home() { # TOKEN ID -> success if ID is on the first page of TOKEN's home feed
    curl -fs -H "Authorization: Bearer $1" "$URL$HOME_PATH" | grep -q "\"id\":\"$2\""
}
now_ms() { date +%s%3N; }

FOLLOWER=$(q "SELECT CAST(substr(a.username, 5) AS INTEGER) FROM follows f
              JOIN accounts a ON a.id = f.account_id
              WHERE f.target_id = (SELECT id FROM accounts WHERE username = 'user0')
              ORDER BY random() LIMIT 1")
ID=$(post_as "$(user_token 0)" "Visibility check from user0 at $(date -u +%T)")
if [ -n "$ID" ] && in_home "$(user_token "$FOLLOWER")" "$ID"; then
    CHECK_USER0="visible at once in user$FOLLOWER's home feed"
    CHECK_USER0_OK=met
else
    CHECK_USER0="NOT visible in user$FOLLOWER's home feed right after posting (id ${ID:-none})"
    CHECK_USER0_OK=missed
fi

AUTHOR=$(q "SELECT CAST(substr(username, 5) AS INTEGER) FROM accounts WHERE is_big = 0
            AND username <> 'user0' AND followers_count >= 20 ORDER BY random() LIMIT 1")
mapfile -t READERS < <(q "SELECT CAST(substr(a.username, 5) AS INTEGER) FROM follows f
    JOIN accounts a ON a.id = f.account_id
    WHERE f.target_id = (SELECT id FROM accounts WHERE username = 'user$AUTHOR')
    ORDER BY random() LIMIT 5")
T0=$(now_ms)
ID=$(post_as "$(user_token "$AUTHOR")" "Visibility check from user$AUTHOR at $(date -u +%T)")
WORST=0
SEEN=0
for r in "${READERS[@]}"; do
    while :; do
        if [ -n "$ID" ] && in_home "$(user_token "$r")" "$ID"; then
            SEEN=$((SEEN + 1))
            break
        fi
        [ $(($(now_ms) - T0)) -gt 1000 ] && break
        sleep 0.05
    done
done
WORST=$(($(now_ms) - T0))
if [ "$SEEN" -eq "${#READERS[@]}" ] && [ "$WORST" -le 1000 ]; then
    CHECK_ORD="in all ${#READERS[@]} polled followers' home feeds of user$AUTHOR within ${WORST} ms"
    CHECK_ORD_OK=met
else
    CHECK_ORD="in $SEEN of ${#READERS[@]} polled followers' home feeds of user$AUTHOR after ${WORST} ms"
    CHECK_ORD_OK=missed
fi

# ------------------------------------------------------------------ memory, then stop

status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER/status"; }
RSS_KB=$(status_kb VmRSS)
HWM_KB=$(status_kb VmHWM)
ANON_KB=$(status_kb RssAnon)
FILE_KB=$(status_kb RssFile)
stop_server
trap - EXIT

# ------------------------------------------------------------------ the report

verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
    ok = (op == "<" ? v < g : v >= g); print ok ? "met" : "missed" }'; }

H_RPS=$(get health rps)
B_RPS=$(get home rps)
RATIO=$(awk -v b="$B_RPS" -v h="$H_RPS" 'BEGIN { printf "%.3f", b / h }')
B_P50=$(ms "$(get home p50_us)")
B_P99=$(ms "$(get home p99_us)")
P99_0=$(ms "$(get post_user0 p99_us)")
P99_O=$(ms "$(get post_ordinary p99_us)")
P99_H=$(ms "$(get post_heavy p99_us)")
RSS_MB=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
HWM_MB=$(mb "$HWM_KB")
errors() { echo $(($(get "$1" errors) + $(get "$1" non2xx))); }

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
RAM_GB=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || REV="$REV (with uncommitted changes)"

SECTION=$(mktemp)
cat > "$SECTION" <<EOF
## Latest run

- Command: \`BENCH_USERS=$USERS BENCH_POSTS=$POSTS bench/run.sh ${1}\` (wrk: $THREADS threads,
  ${DURATION} s per run; fan-out threshold $THRESHOLD, feeds keep $KEEP)
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), revision $REV
- Machine: $(nproc) cores, $CPU, $RAM_GB GiB RAM; wrk runs on the same machine
- Dataset: $USERS people, $POSTS posts, $(q "SELECT count(*) FROM follows") follows;
  user0 has $USER0_FOLLOWERS followers; $BIG_N big accounts (merged on read); build
  ${BUILD_SECONDS} s ($BUILD_NOTE)

| figure | result | goal | |
|---|---|---|---|
| GET /health throughput, $CONNS connections | $H_RPS req/s (p99 $(ms "$(get health p99_us)") ms) | baseline | |
| GET home (limit 20) throughput, $CONNS connections | $B_RPS req/s = **$RATIO × /health** | ≥ 0.5 × /health | $(verdict "$RATIO" ">=" 0.5) |
| GET home latency p50 / p99 | $B_P50 ms / **$B_P99 ms** | p99 < 10 ms | $(verdict "$B_P99" "<" 10) |
| POST status p50 / p99, user0 ($USER0_FOLLOWERS followers, big=$USER0_BIG) | $(ms "$(get post_user0 p50_us)") ms / **$P99_0 ms** | p99 < 5 ms | $(verdict "$P99_0" "<" 5) |
| POST status p50 / p99, $(wc -l < "$RESULTS/tokens_ordinary") random ordinary people (median $ORDINARY_MEDIAN followers) | $(ms "$(get post_ordinary p50_us)") ms / **$P99_O ms** | p99 < 5 ms | $(verdict "$P99_O" "<" 5) |
| POST status p50 / p99, the $(wc -l < "$RESULTS/tokens_heavy") most-followed ordinary people ($HEAVY_MIN–$HEAVY_MAX followers, fanned out) | $(ms "$(get post_heavy p50_us)") ms / **$P99_H ms** | p99 < 5 ms | $(verdict "$P99_H" "<" 5) |
| server memory after the runs, page cache aside (RssAnon) | **$(mb "$ANON_KB") MB** private | < 64 MB | $(verdict "$(mb "$ANON_KB")" "<" 64) |
| server VmRSS, with the memory-mapped database | $RSS_MB MB (peak $HWM_MB MB; mapped file pages $(mb "$FILE_KB") MB are the OS page cache, shared and reclaimable) | — | |
| dataset build time | $BUILD_SECONDS s | about a minute | $(verdict "$BUILD_SECONDS" "<" 90) |
| user0's new post in a follower's home feed | $CHECK_USER0 | at once | $CHECK_USER0_OK |
| an ordinary author's new post in followers' home feeds | $CHECK_ORD | within 1 s | $CHECK_ORD_OK |

Requests and errors (connection errors + non-2xx): /health $(get health requests) / $(errors health),
home $(get home requests) / $(errors home), POST user0 $(get post_user0 requests) / $(errors post_user0),
ordinary $(get post_ordinary requests) / $(errors post_ordinary),
most-followed $(get post_heavy requests) / $(errors post_heavy).
POSTs ran at most one per ${POST_DELAY} ms per connection on $POST_CONNS connections.
Raw wrk output and the server log: build/bench-data/results/.
EOF

HEADER='# Benchmarks

`make bench` runs `bench/run.sh`: it builds a synthetic company with `partyline bench-data`
(by default 10,000 people and 1,000,000 posts; ~150 follows per person with power-law
popularity, user0 followed by nearly everyone; cached in build/bench-data/), copies it,
starts `partyline serve` on a loopback port with rate limits off, and measures with wrk on
the same machine — so wrk takes CPU from the server, and /health, measured the same way, is
the baseline the timeline is compared with. `bench/get.lua` rotates the bearer token over
every person, so each request reads a different home feed; `bench/post.lua` posts at a
modest rate (a pause between posts on each connection), separately as user0 (merged on read),
as random ordinary people, and as the most-followed people below the fan-out threshold (the
largest fan-outs on write). Finally it checks that new posts appear in followers'"'"' home feeds
and reads the server'"'"'s resident memory. Smaller runs: `BENCH_USERS=2000 BENCH_POSTS=100000
make bench`.
'
NEW=$(mktemp)
if [ -f "$OUT" ] && grep -q '^## Latest run' "$OUT"; then
    # keep what is before the section and any section after it
    awk '/^## Latest run/ { exit } { print }' "$OUT" > "$NEW"
    cat "$SECTION" >> "$NEW"
    awk 'f && /^## / { p = 1 } /^## Latest run/ { f = 1 } p { print }' "$OUT" |
        { read -r first || exit 0; printf '\n%s\n' "$first"; cat; } >> "$NEW"
elif [ -f "$OUT" ] && [ -s "$OUT" ]; then
    { cat "$OUT"; echo; cat "$SECTION"; } > "$NEW"
else
    { printf '%s\n' "$HEADER"; cat "$SECTION"; } > "$NEW"
fi
mv "$NEW" "$OUT"
rm -f "$SECTION"
say "results in $OUT"
sed -n '/^## Latest run/,$p' "$OUT"

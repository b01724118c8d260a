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
#   BENCH_PG [1]         0 skips the PostgreSQL part. Otherwise, after the SQLite runs, a
#                        throw-away PostgreSQL 15 (scripts/pg-test-cluster) is loaded with the
#                        same dataset by `partyline migrate` (the loaded cluster is cached next
#                        to the dataset), the same runs are made against `partyline serve` on
#                        it, then home is measured on two nodes against one.
#   BENCH_PG_DURABLE [1] 1 runs the measured cluster with fsync, synchronous_commit and
#                        full_page_writes on (production settings); 0 keeps the test
#                        cluster's fsync off. The load itself always runs with fsync off.
#   BENCH_PG_SHARED_BUFFERS [1GB]  PostgreSQL's shared_buffers for the measured cluster
#   BENCH_PG_WARMUP [10]  seconds of home-feed warm-up per PostgreSQL node (caches of the
#                        node and of PostgreSQL), instead of 3 for SQLite
#   BENCH_CENSUS [1]     0 skips the census (bench/census.sh): every read endpoint timed one
#                        request at a time (p50/p99) and on 64 connections, and the writes
#                        that undo things, on SQLite and (with BENCH_PG) PostgreSQL; CENSUS_*
#                        settings (see bench/census.sh) reach it
#   BENCH_SERVICE [0]    1 builds the company with `bench-data --service` (a service team,
#                        tickets, 1,000 watches and the matcher's matches: issue 16), so the
#                        census also times tickets and listening; at 1M posts the matcher
#                        adds ~10 minutes to the build (BENCHMARKS.md, "Census: tickets and
#                        listening")
#   PARTYLINE_FANOUT_THRESHOLD, PARTYLINE_TIMELINE_KEEP reach the generator and the server.
set -euo pipefail
BENCH_PG=${BENCH_PG:-1}
BENCH_CENSUS=${BENCH_CENSUS:-1}
PG_DURABLE_RUN=${BENCH_PG_DURABLE:-1}
PG_SHARED_BUFFERS=${BENCH_PG_SHARED_BUFFERS:-1GB}
PG_WARMUP=${BENCH_PG_WARMUP:-10}

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

for tool in wrk curl sqlite3 $([ "$BENCH_PG" = 0 ] || echo psql); do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make setup)" >&2; exit 1; }
done

say() { printf 'bench: %s\n' "$*" >&2; }

# ------------------------------------------------------------------ the dataset (cached)

BENCH_SERVICE=${BENCH_SERVICE:-0}
SERVICE_FLAG=() SERVICE_SRC="" SERVICE_KEY=""
if [ "$BENCH_SERVICE" = 1 ]; then # (a company without is cached under the same key as before)
    SERVICE_FLAG=(--service) SERVICE_SRC=src/cli/benchservice.c SERVICE_KEY=-service
fi
SRC_SUM=$(cat src/cli/benchdata.c $SERVICE_SRC src/store/bench.c src/store/migrations/sqlite/*.sql \
          2>/dev/null | cksum | cut -d' ' -f1)
KEY="u${USERS}-p${POSTS}${SERVICE_KEY}-f${THRESHOLD}-k${KEEP}"
BASE=build/bench-data
CACHE=$BASE/$KEY-$SRC_SUM
mkdir -p "$BASE"
if [ ! -f "$CACHE/ready" ]; then
    rm -rf "$BASE/$KEY"-* # stale versions of this size
    mkdir -p "$CACHE"
    say "building the dataset ($USERS people, $POSTS posts) into $CACHE"
    "$BIN" bench-data --data "$CACHE/db" --users "$USERS" --posts "$POSTS" \
        --tokens "$CACHE/tokens" "${SERVICE_FLAG[@]}" 2>&1 | tee "$CACHE/build.log" >&2
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
SERVERS=()      # pids of the servers started here
PG_DIR=""       # the running PostgreSQL cluster, if any
cleanup() {
    local pid
    for pid in "${SERVERS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            wait "$pid" 2>/dev/null || true
        fi
    done
    SERVERS=()
    if [ -n "$PG_DIR" ]; then scripts/pg-test-cluster stop "$PG_DIR" || true; PG_DIR=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server LOG PORT [ENV=VALUE ...]: starts `partyline serve` and waits for /health;
# its pid in $SERVER (and in SERVERS)
start_server() {
    local log=$1 port=$2
    shift 2
    env PARTYLINE_RATE_LIMIT_TOKEN=0 PARTYLINE_RATE_LIMIT_IP=0 "$@" \
        "$BIN" serve --data "$WORK" --listen "127.0.0.1:$port" 2> "$log" &
    SERVER=$!
    SERVERS+=("$SERVER")
    for _ in $(seq 1 300); do
        curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
        kill -0 "$SERVER" 2>/dev/null || { say "the server did not start:"; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    say "the server on port $port did not answer /health in 30 s"; exit 1
}
# stop_servers: stops every server started so far
stop_servers() {
    local pid
    for pid in "${SERVERS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    SERVERS=()
}
# check_servers NAME: fails loudly if a server died during the run NAME
check_servers() {
    local pid
    for pid in "${SERVERS[@]}"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "a server (pid $pid) died during the $1 run; the logs end with:"
            tail -20 "$RESULTS"/server*.log >&2
            exit 1
        fi
    done
}

PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_server "$RESULTS/server.log" "$PORT"
say "server pid $SERVER on $URL; $BIG_N big accounts; user0 has $USER0_FOLLOWERS followers"

# ------------------------------------------------------------------ measurements

# wrk_to URL THREADS NAME SECONDS CONNECTIONS SCRIPT [ENV=VALUE ...]: one wrk process
wrk_to() {
    local url=$1 threads=$2 name=$3 secs=$4 conns=$5 script=$6
    shift 6
    env "$@" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s "bench/$script" "$url" \
        > "$RESULTS/$name.txt" 2>&1 || true
}
# run NAME SECONDS CONNECTIONS SCRIPT [ENV=VALUE ...]: wrk's output in $RESULTS/NAME.txt
run() {
    local name=$1 secs=$2 conns=$3 script=$4
    shift 4
    say "wrk $name: ${secs}s, $conns connections"
    wrk_to "$URL" "$THREADS" "$name" "$secs" "$conns" "$script" "$@"
    check_servers "$name"
    grep -q '^RESULT' "$RESULTS/$name.txt" || { cat "$RESULTS/$name.txt" >&2; exit 1; }
}
# get NAME KEY: a number from NAME's RESULT line
get() { sed -n "s/^RESULT.* $2=\([0-9.]*\).*/\1/p" "$RESULTS/$1.txt"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

HOME_PATH='/api/v1/timelines/home?limit=20'
# a word of one of bench-data's 24 post bodies: in about 1 post in 24
SEARCH_WORD=certificate
SEARCH_PATH="/api/v2/search?q=$SEARCH_WORD&type=statuses&limit=20"
# the top feed of each person's home, 24-hour window (docs/api.md "Top"): ranks up to
# top_max_candidates entries per request, so it is measured on its own
TOP_PATH='/api/v1/partyline/timelines/top?feed=home&window=24h&limit=20'
# cpu_ticks PID...: user + system CPU time of these processes (all threads), in clock ticks
cpu_ticks() {
    local t=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
# pg_pids: the postmaster and its children (backends, checkpointer, ...)
pg_pids() {
    local pm
    pm=$(head -1 "$PG_DIR/data/postmaster.pid")
    echo "$pm" $(ps -o pid= --ppid "$pm")
}
# the_runs PREFIX: home (after a warm-up) and the three POST runs, named PREFIX...
the_runs() {
    local p=$1
    run "${p}home_warmup" "$([ -z "$p" ] && echo 3 || echo "$PG_WARMUP")" "$CONNS" get.lua BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS"
    [ -z "$p" ] || pg_sql "SELECT pg_stat_statements_reset()" >/dev/null
    local s0 g0=0 s1 g1=0
    s0=$(cpu_ticks "$SERVER")
    [ -z "$p" ] || g0=$(cpu_ticks $(pg_pids))
    run "${p}home" "$DURATION" "$CONNS" get.lua BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS"
    s1=$(cpu_ticks "$SERVER")
    [ -z "$p" ] || g1=$(cpu_ticks $(pg_pids))
    # CPU microseconds per home request: the server's, PostgreSQL's
    awk -v s=$((s1 - s0)) -v g=$((g1 - g0)) -v r="$(get "${p}home" requests)" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%.0f %.0f\n", s * 1e6 / hz / r, g * 1e6 / hz / r }' > "$RESULTS/${p}home_cpu"
    [ -z "$p" ] || pg_sql "SELECT coalesce(sum(calls), 0) || ' ' ||
                                  round(coalesce(sum(total_exec_time), 0)::numeric * 1000)
                           FROM pg_stat_statements
                           WHERE query NOT LIKE '%pg_stat_statements%'" > "$RESULTS/pg_home_queries"
    [ -z "$p" ] || pg_sql "SELECT calls, round(total_exec_time::numeric, 1) AS ms,
                                  regexp_replace(left(query, 160), '\s+', ' ', 'g')
                           FROM pg_stat_statements ORDER BY calls DESC LIMIT 25" \
                       > "$RESULTS/pg_home_statements"
    run "${p}search" "$DURATION" "$CONNS" get.lua BENCH_PATH="$SEARCH_PATH" BENCH_TOKENS="$TOKENS"
    run "${p}top" "$DURATION" "$CONNS" get.lua BENCH_PATH="$TOP_PATH" BENCH_TOKENS="$TOKENS"
    for who in user0 ordinary heavy; do
        run "${p}post_$who" "$DURATION" "$POST_CONNS" post.lua \
            BENCH_TOKENS="$ROOT/$RESULTS/tokens_$who" BENCH_DELAY_MS="$POST_DELAY"
    done
}
run health "$DURATION" "$CONNS" get.lua BENCH_PATH=/health
# The fair limit of a page (issue 17): the same server sending about as many bytes with no
# work — the web client's stylesheet, the first one `/` links to, from memory, uncompressed
# (wrk asks for no encoding), with the same bearer tokens as the home run.
STYLE_PATH=$(curl -fs "$URL/" | grep -o '<link rel="stylesheet" href="[^"]*"' | head -1 |
    sed 's/.*href="//; s/"$//')
[ -n "$STYLE_PATH" ] || { say "no stylesheet linked from /"; exit 1; }
STYLE_BYTES=$(curl -fs "$URL$STYLE_PATH" | wc -c)
HOME_BYTES=$(curl -fs -H "Authorization: Bearer $(head -1 "$TOKENS")" "$URL$HOME_PATH" | wc -c)
run style "$DURATION" "$CONNS" get.lua BENCH_PATH="$STYLE_PATH" BENCH_TOKENS="$TOKENS"
the_runs ""

# Posting to channels: the same ten people post to a channel of the ten of them, then to the
# everyone channel (every account a member). Members' feeds merge channels on read, so the
# second should cost what the first does.
head -10 "$RESULTS/tokens_ordinary" > "$RESULTS/tokens_ten"
CH_SMALL=$(curl -fs -H "Authorization: Bearer $(head -1 "$RESULTS/tokens_ten")" \
    --data "name=bench$$&private=false" "$URL/api/v1/partyline/channels" |
    grep -o '"id":"[0-9]*"' | head -1 | tr -dc 0-9)
for t in $(tail -n +2 "$RESULTS/tokens_ten"); do
    curl -fs -X POST -H "Authorization: Bearer $t" "$URL/api/v1/partyline/channels/$CH_SMALL/join" >/dev/null
done
CH_ALL=$(curl -fs -H "Authorization: Bearer $(head -1 "$RESULTS/tokens_ten")" \
    "$URL/api/v1/partyline/channels?member=true&limit=80" | tr '{' '\n' |
    grep '"everyone":true' -B1 | grep -o '"id":"[0-9]*"' | head -1 | tr -dc 0-9)
[ -n "$CH_SMALL" ] && [ -n "$CH_ALL" ] || { say "could not set up the channel runs"; exit 1; }
CH_ALL_MEMBERS=$(q "SELECT count(*) FROM accounts WHERE is_group = 0")
for ch in small all; do
    id=$([ "$ch" = small ] && echo "$CH_SMALL" || echo "$CH_ALL")
    run "post_channel_$ch" "$DURATION" "$POST_CONNS" post.lua \
        BENCH_TOKENS="$ROOT/$RESULTS/tokens_ten" BENCH_DELAY_MS="$POST_DELAY" BENCH_EXTRA="&channel_id=$id"
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

# visibility_checks: sets CHECK_USER0(_OK) and CHECK_ORD(_OK) against $URL
visibility_checks() {
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
}
visibility_checks

# ------------------------------------------------------------------ memory, then stop

status_kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SERVER/status"; }
RSS_KB=$(status_kb VmRSS)
HWM_KB=$(status_kb VmHWM)
ANON_KB=$(status_kb RssAnon)
FILE_KB=$(status_kb RssFile)
# the census last: its writes delete, unfollow, block and disable
if [ "$BENCH_CENSUS" != 0 ]; then
    say "census on SQLite"
    CENSUS_BIN="$BIN" CENSUS_DATA="$WORK" \
        bench/census.sh "$URL" "$ROOT/$CACHE/db/partyline.db" "$TOKENS" "$RESULTS/census_sqlite.tsv"
    check_servers census
fi
stop_servers
S_CHECK_USER0=$CHECK_USER0 S_CHECK_USER0_OK=$CHECK_USER0_OK
S_CHECK_ORD=$CHECK_ORD S_CHECK_ORD_OK=$CHECK_ORD_OK

# ------------------------------------------------------------------ PostgreSQL

pg_sql() { psql -X -q -At -d "$PG_URL" -c "$1"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
PG_NOTE="skipped (BENCH_PG=0)"
if [ "$BENCH_PG" != 0 ]; then
    PG_SUM=$(cat src/store/migrations/postgres/*.sql src/store/copy.c scripts/pg-test-cluster \
             2>/dev/null | cksum | cut -d' ' -f1)
    PG_CACHE=$CACHE/pg-$PG_SUM
    PG_DIR=$ROOT/$BASE/pg
    scripts/pg-test-cluster stop "$PG_DIR"
    PG_OPTS="-c shared_preload_libraries=pg_stat_statements"
    if [ ! -f "$PG_CACHE.ready" ]; then
        rm -rf "$CACHE"/pg-*
        say "loading the dataset into PostgreSQL (partyline migrate; fsync off for the load)"
        PG_URL=$(PG_OPTIONS="$PG_OPTS" scripts/pg-test-cluster start "$PG_DIR")
        rm -rf "$BASE/pg-src"
        cp -r "$CACHE/db" "$BASE/pg-src"
        T0=$(date +%s%N)
        "$BIN" migrate --from "$BASE/pg-src" --to "$PG_URL" > "$RESULTS/migrate.log" 2>&1 ||
            { cat "$RESULTS/migrate.log" >&2; say "partyline migrate failed"; exit 1; }
        awk -v n="$(( $(date +%s%N) - T0 ))" 'BEGIN { printf "%.1f\n", n / 1e9 }' > "$PG_CACHE.load_seconds"
        rm -rf "$BASE/pg-src"
        pg_sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
        pg_sql "VACUUM ANALYZE"
        scripts/pg-test-cluster save "$PG_DIR" "$ROOT/$PG_CACHE"
        PG_DIR=""
        touch "$PG_CACHE.ready"
        LOAD_NOTE="loaded for this run"
    else
        LOAD_NOTE="cached cluster, copied"
    fi
    LOAD_SECONDS=$(cat "$PG_CACHE.load_seconds")
    say "PostgreSQL load: $LOAD_SECONDS s ($LOAD_NOTE)"
    PG_DIR=$ROOT/$BASE/pg
    PG_URL=$(PG_TEMPLATE="$ROOT/$PG_CACHE" PG_DURABLE="$PG_DURABLE_RUN" \
             PG_OPTIONS="$PG_OPTS -c shared_buffers=$PG_SHARED_BUFFERS" \
             scripts/pg-test-cluster start "$PG_DIR")
    PG_SETTINGS=$(pg_sql "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
                          FROM pg_settings WHERE name IN
                          ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')")
    pg_sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
    say "PostgreSQL at $PG_URL ($PG_SETTINGS)"

    PORT=$(free_port)
    URL=http://127.0.0.1:$PORT
    start_server "$RESULTS/server_pg1.log" "$PORT" PARTYLINE_DATABASE="$PG_URL" PARTYLINE_NODE_ID=1
    NODE1=$SERVER
    the_runs pg_
    visibility_checks
    P_CHECK_USER0=$CHECK_USER0 P_CHECK_USER0_OK=$CHECK_USER0_OK
    P_CHECK_ORD=$CHECK_ORD P_CHECK_ORD_OK=$CHECK_ORD_OK
    P_ANON_KB=$(awk '$1 == "RssAnon:" { print $2 }' "/proc/$NODE1/status")

    # two nodes against one, home feed, same total connections
    PORT2=$(free_port)
    URL2=http://127.0.0.1:$PORT2
    start_server "$RESULTS/server_pg2.log" "$PORT2" PARTYLINE_DATABASE="$PG_URL" PARTYLINE_NODE_ID=2
    HALF_T=$(( THREADS > 1 ? THREADS / 2 : 1 ))
    HALF_C=$(( CONNS / 2 ))
    say "two nodes: warm-up of node 2, then one node with $CONNS connections against two with $HALF_C each"
    wrk_to "$URL2" "$THREADS" pg2_warmup "$PG_WARMUP" "$CONNS" get.lua BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS"
    run pg_home_1node "$DURATION" "$CONNS" get.lua BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS"
    wrk_to "$URL" "$HALF_T" pg_home_2nodes_a "$DURATION" "$HALF_C" get.lua \
        BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS" &
    WA=$!
    wrk_to "$URL2" "$HALF_T" pg_home_2nodes_b "$DURATION" "$HALF_C" get.lua \
        BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS" &
    WB=$!
    wait "$WA" "$WB"
    check_servers pg_home_2nodes
    for f in pg_home_2nodes_a pg_home_2nodes_b; do
        grep -q '^RESULT' "$RESULTS/$f.txt" || { cat "$RESULTS/$f.txt" >&2; exit 1; }
    done
    if [ "$BENCH_CENSUS" != 0 ]; then
        say "census on PostgreSQL (node 1)"
        bench/census.sh "$URL" "$ROOT/$CACHE/db/partyline.db" "$TOKENS" "$RESULTS/census_pg.tsv"
        check_servers census
    fi
    stop_servers
    scripts/pg-test-cluster stop "$PG_DIR"
    PG_DIR=""
fi
trap - EXIT

# ------------------------------------------------------------------ the report

verdict() { awk -v v="$1" -v op="$2" -v g="$3" 'BEGIN {
    ok = (op == "<" ? v < g : v >= g); print ok ? "met" : "missed" }'; }

H_RPS=$(get health rps)
S_RPS=$(get style rps)
B_RPS=$(get home rps)
RATIO=$(awk -v b="$B_RPS" -v h="$S_RPS" 'BEGIN { printf "%.3f", b / h }')
H_RATIO=$(awk -v b="$B_RPS" -v h="$H_RPS" 'BEGIN { printf "%.3f", b / h }')
B_P50=$(ms "$(get home p50_us)")
B_P99=$(ms "$(get home p99_us)")
P99_0=$(ms "$(get post_user0 p99_us)")
P99_O=$(ms "$(get post_ordinary p99_us)")
P99_H=$(ms "$(get post_heavy p99_us)")
RSS_MB=$(awk -v k="$RSS_KB" 'BEGIN { printf "%.1f", k / 1024 }')
HWM_MB=$(mb "$HWM_KB")
errors() { echo $(($(get "$1" errors) + $(get "$1" non2xx))); }

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
RAM_GB=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
REV=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain 2>/dev/null)" ] || REV="$REV (with uncommitted changes)"

# PostgreSQL figures (or dashes when skipped)
if [ "$BENCH_PG" != 0 ]; then
    PB_RPS=$(get pg_home rps)
    P_RATIO=$(awk -v b="$PB_RPS" -v h="$S_RPS" 'BEGIN { printf "%.3f", b / h }')
    PB_P99=$(ms "$(get pg_home p99_us)")
    PP99_0=$(ms "$(get pg_post_user0 p99_us)")
    PP99_O=$(ms "$(get pg_post_ordinary p99_us)")
    PP99_H=$(ms "$(get pg_post_heavy p99_us)")
    ONE_RPS=$(get pg_home_1node rps)
    TWO_RPS=$(awk -v a="$(get pg_home_2nodes_a rps)" -v b="$(get pg_home_2nodes_b rps)" \
              'BEGIN { printf "%.1f", a + b }')
    TWO_RATIO=$(awk -v a="$TWO_RPS" -v b="$ONE_RPS" 'BEGIN { printf "%.2f", a / b }')
    TWO_P99="$(ms "$(get pg_home_2nodes_a p99_us)") / $(ms "$(get pg_home_2nodes_b p99_us)")"
    PG_VS=$(awk -v p="$PB_RPS" -v s="$B_RPS" 'BEGIN { printf "%.2f", p / s }')
    read -r PG_CALLS PG_EXEC_US < "$RESULTS/pg_home_queries"
    QPR=$(awk -v q="$PG_CALLS" -v r="$(get pg_home requests)" 'BEGIN { printf "%.1f", q / r }')
    EXEC_PR=$(awk -v q="$PG_EXEC_US" -v r="$(get pg_home requests)" 'BEGIN { printf "%.0f", q / r }')
    pv() { echo " / $(verdict "$@")"; }
    c_home="$PB_RPS req/s = **$P_RATIO × the stylesheet** (**${PG_VS} × SQLite**)"
    c_lat="$(ms "$(get pg_home p50_us)") ms / **$PB_P99 ms**"
    c_top="$(ms "$(get pg_top p50_us)") ms / **$(ms "$(get pg_top p99_us)") ms** ($(get pg_top rps) req/s)"
    c_p0="$(ms "$(get pg_post_user0 p50_us)") ms / **$PP99_0 ms**"
    c_po="$(ms "$(get pg_post_ordinary p50_us)") ms / **$PP99_O ms**"
    c_ph="$(ms "$(get pg_post_heavy p50_us)") ms / **$PP99_H ms**"
    PS_P99=$(ms "$(get pg_search p99_us)")
    c_search="$(ms "$(get pg_search p50_us)") ms / **$PS_P99 ms** ($(get pg_search rps) req/s)"
    v_search=$(pv "$PS_P99" "<" 5)
    c_mem="**$(mb "$P_ANON_KB") MB** private (one node)"
    c_u0="$P_CHECK_USER0"; c_ord="$P_CHECK_ORD"
    v_home=$(pv "$PG_VS" ">=" 0.5); v_lat=$(pv "$PB_P99" "<" 10); v_p0=$(pv "$PP99_0" "<" 5)
    v_po=$(pv "$PP99_O" "<" 5); v_ph=$(pv "$PP99_H" "<" 5); v_mem=$(pv "$(mb "$P_ANON_KB")" "<" 64)
    v_u0=" / $P_CHECK_USER0_OK"; v_ord=" / $P_CHECK_ORD_OK"
    if [ "$PG_DURABLE_RUN" = 1 ]; then DUR="durable: fsync, synchronous_commit and full_page_writes on"
    else DUR="NOT durable: fsync, synchronous_commit and full_page_writes off (BENCH_PG_DURABLE=0)"; fi
    PG_LINE="- PostgreSQL: $("${PG_BIN:-/usr/lib/postgresql/15/bin}/postgres" --version | sed 's/.*) //'),
  a throw-away cluster from \`scripts/pg-test-cluster\` on the same machine, $DUR
  ($PG_SETTINGS); loaded by \`partyline migrate\` in $LOAD_SECONDS s ($LOAD_NOTE; the load
  itself runs with fsync off); nodes reach it over TCP on loopback; each PostgreSQL node
  warmed up for $PG_WARMUP s. Home feed on PostgreSQL:
  **$QPR SQL statements per request** (each a round trip, BEGIN and COMMIT included),
  executing for $EXEC_PR µs in all inside PostgreSQL (pg_stat_statements over the home run;
  top statements in build/bench-data/results/pg_home_statements)."
    read -r P_CPU_S P_CPU_G < "$RESULTS/pg_home_cpu"
    c_cpu="$P_CPU_S µs partyline + **$P_CPU_G µs postgres** = $((P_CPU_S + P_CPU_G)) µs"
    TWO_ROW="
| GET home on PostgreSQL, two nodes (node_id 1 and 2) against one, $CONNS connections in all | — | one node $ONE_RPS req/s; two nodes $TWO_RPS req/s (two wrk at once, $HALF_C connections each; p99 $TWO_P99 ms) = **$TWO_RATIO × one node** | — | |"
else
    c_search="—"; v_search=""
    c_cpu="—"; c_home="—"; c_lat="—"; c_top="—"; c_p0="—"; c_po="—"; c_ph="—"; c_mem="—"; c_u0="—"; c_ord="—"
    v_home=""; v_lat=""; v_p0=""; v_po=""; v_ph=""; v_mem=""; v_u0=""; v_ord=""
    PG_LINE="- PostgreSQL: skipped (BENCH_PG=0)"
    TWO_ROW=""
fi

SECTION=$(mktemp)
cat > "$SECTION" <<EOF
## Latest run

- Command: \`BENCH_USERS=$USERS BENCH_POSTS=$POSTS BENCH_PG=$BENCH_PG bench/run.sh ${1}\` (wrk: $THREADS threads,
  ${DURATION} s per run; fan-out threshold $THRESHOLD, feeds keep $KEEP)
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), revision $REV
- Machine: $(nproc) cores, $CPU, $RAM_GB GiB RAM; wrk (and PostgreSQL) run on the same machine
- Dataset: $USERS people, $POSTS posts, $(q "SELECT count(*) FROM follows") follows;
  user0 has $USER0_FOLLOWERS followers; $BIG_N big accounts (merged on read); build
  ${BUILD_SECONDS} s ($BUILD_NOTE)
$PG_LINE

Same dataset, same wrk runs, one after the other: first SQLite (the file copied from the
dataset), then PostgreSQL (the same dataset after \`partyline migrate\`). "met?" is SQLite / PostgreSQL.

| figure | SQLite | PostgreSQL | goal | met? |
|---|---|---|---|---|
| GET /health throughput, $CONNS connections | $H_RPS req/s (p99 $(ms "$(get health p99_us)") ms) | (same code, no database) | — | |
| GET $STYLE_PATH (the stylesheet \`/\` links to, $STYLE_BYTES bytes uncompressed, from memory) throughput, $CONNS connections | $S_RPS req/s (p99 $(ms "$(get style p99_us)") ms) | (same code, no database) | baseline | |
| GET home (limit 20, $HOME_BYTES bytes for the first person) throughput, $CONNS connections | $B_RPS req/s = **$RATIO × the stylesheet** ($H_RATIO × /health) | $c_home | ≥ 0.5 × the stylesheet; PostgreSQL ≥ 0.5 × SQLite | $(verdict "$RATIO" ">=" 0.5)$v_home |
| GET home latency p50 / p99 | $B_P50 ms / **$B_P99 ms** | $c_lat | p99 < 10 ms | $(verdict "$B_P99" "<" 10)$v_lat |
| GET /api/v2/search?q=$SEARCH_WORD (statuses, newest first, limit 20) p50 / p99, $CONNS connections | $(ms "$(get search p50_us)") ms / **$(ms "$(get search p99_us)") ms** ($(get search rps) req/s) | $c_search | p99 < 5 ms | $(verdict "$(ms "$(get search p99_us)")" "<" 5)$v_search |
| top-feed latency p50 / p99: GET top of home, 24h window, limit 20, $CONNS connections | $(ms "$(get top p50_us)") ms / **$(ms "$(get top p99_us)") ms** ($(get top rps) req/s) | $c_top | — (figure asked for by issue 4) | |
| CPU time per home request during the home run (/proc, all threads) | $(cut -d' ' -f1 "$RESULTS/home_cpu") µs partyline | $c_cpu | — | |
| POST status p50 / p99, user0 ($USER0_FOLLOWERS followers, big=$USER0_BIG) | $(ms "$(get post_user0 p50_us)") ms / **$P99_0 ms** | $c_p0 | p99 < 5 ms | $(verdict "$P99_0" "<" 5)$v_p0 |
| POST status p50 / p99, $(wc -l < "$RESULTS/tokens_ordinary") random ordinary people (median $ORDINARY_MEDIAN followers) | $(ms "$(get post_ordinary p50_us)") ms / **$P99_O ms** | $c_po | p99 < 5 ms | $(verdict "$P99_O" "<" 5)$v_po |
| POST status p50 / p99, the $(wc -l < "$RESULTS/tokens_heavy") most-followed ordinary people ($HEAVY_MIN–$HEAVY_MAX followers, fanned out) | $(ms "$(get post_heavy p50_us)") ms / **$P99_H ms** | $c_ph | p99 < 5 ms | $(verdict "$P99_H" "<" 5)$v_ph |$TWO_ROW
| POST to a channel p50 / p99: the same 10 people to their 10-member channel, then to the everyone channel ($CH_ALL_MEMBERS members) | $(ms "$(get post_channel_small p50_us)") ms / **$(ms "$(get post_channel_small p99_us)") ms** against $(ms "$(get post_channel_all p50_us)") ms / **$(ms "$(get post_channel_all p99_us)") ms** (p50 ratio $(awk -v a="$(get post_channel_all p50_us)" -v b="$(get post_channel_small p50_us)" 'BEGIN { printf "%.2f", a / b }')) | — | the same cost | $(awk -v a="$(get post_channel_all p50_us)" -v b="$(get post_channel_small p50_us)" 'BEGIN { print (a < 1.5 * b) ? "met" : "missed" }') |
| server memory after the runs, page cache aside (RssAnon) | **$(mb "$ANON_KB") MB** private | $c_mem | < 64 MB | $(verdict "$(mb "$ANON_KB")" "<" 64)$v_mem |
| server VmRSS, with the memory-mapped database | $RSS_MB MB (peak $HWM_MB MB; mapped file pages $(mb "$FILE_KB") MB are the OS page cache, shared and reclaimable) | — | — | |
| dataset build time | $BUILD_SECONDS s | — | about a minute | $(verdict "$BUILD_SECONDS" "<" 90) |
| user0's new post in a follower's home feed | $S_CHECK_USER0 | $c_u0 | at once | $S_CHECK_USER0_OK$v_u0 |
| an ordinary author's new post in followers' home feeds | $S_CHECK_ORD | $c_ord | within 1 s | $S_CHECK_ORD_OK$v_ord |

Requests and errors (connection errors + non-2xx), SQLite: /health $(get health requests) / $(errors health), stylesheet $(get style requests) / $(errors style),
home $(get home requests) / $(errors home), search $(get search requests) / $(errors search), top $(get top requests) / $(errors top), POST user0 $(get post_user0 requests) / $(errors post_user0),
ordinary $(get post_ordinary requests) / $(errors post_ordinary),
most-followed $(get post_heavy requests) / $(errors post_heavy),
channel of 10 $(get post_channel_small requests) / $(errors post_channel_small), everyone channel $(get post_channel_all requests) / $(errors post_channel_all).
$([ "$BENCH_PG" = 0 ] || echo "PostgreSQL: home $(get pg_home requests) / $(errors pg_home), search $(get pg_search requests) / $(errors pg_search), top $(get pg_top requests) / $(errors pg_top), POST user0 $(get pg_post_user0 requests) / $(errors pg_post_user0),
ordinary $(get pg_post_ordinary requests) / $(errors pg_post_ordinary), most-followed $(get pg_post_heavy requests) / $(errors pg_post_heavy);
one node $(get pg_home_1node requests) / $(errors pg_home_1node), two nodes $(get pg_home_2nodes_a requests) / $(errors pg_home_2nodes_a) + $(get pg_home_2nodes_b requests) / $(errors pg_home_2nodes_b).")
POSTs ran at most one per ${POST_DELAY} ms per connection on $POST_CONNS connections.
Raw wrk output, the server logs and the migrate log: build/bench-data/results/.
EOF
if [ "$BENCH_CENSUS" != 0 ]; then
    {
        echo
        echo "### Census: every read endpoint, and the writes that undo things"
        echo
        echo "\`bench/census.sh\` against the same servers after the runs above (SQLite, then"
        echo "PostgreSQL node 1): each read for ${CENSUS_SECONDS:-2} s on one connection (one request at a"
        echo "time, each as the next of 200 ordinary people, or as the owner of a list), then"
        echo "${CENSUS_BURST_SECONDS:-2} s on ${CENSUS_CONNECTIONS:-64} connections; each write ${CENSUS_WRITES:-30} times, one at a time (curl's"
        echo "time_total). In brackets: requests made. Bold: a read's p99 one at a time is 20 ms or more."
        echo
        if [ -f "$RESULTS/census_pg.tsv" ]; then
            bench/census-table.sh SQLite "$RESULTS/census_sqlite.tsv" PostgreSQL "$RESULTS/census_pg.tsv"
        else
            bench/census-table.sh SQLite "$RESULTS/census_sqlite.tsv"
        fi
    } >> "$SECTION"
fi

HEADER='# Benchmarks

`make bench` runs `bench/run.sh`: it builds a synthetic company with `partyline bench-data`
(by default 10,000 people and 1,000,000 posts; ~150 follows per person with power-law
popularity, user0 followed by nearly everyone; cached in build/bench-data/), copies it,
starts `partyline serve` on a loopback port with rate limits off, and measures with wrk on
the same machine — so wrk takes CPU from the server, and the web client'"'"'s stylesheet (the
first `/` links to, about as many bytes as a home page, sent from memory with no work),
measured the same way, is the baseline the home feed is compared with. `bench/get.lua` rotates the bearer token over
every person, so each request reads a different home feed; `bench/post.lua` posts at a
modest rate (a pause between posts on each connection), separately as user0 (merged on read),
as random ordinary people, and as the most-followed people below the fan-out threshold (the
largest fan-outs on write). Finally it checks that new posts appear in followers'"'"' home feeds
and reads the server'"'"'s resident memory. Then the same runs on PostgreSQL: a throw-away
cluster (`scripts/pg-test-cluster`, here with fsync on: `PG_DURABLE=1`) loaded with the same
dataset by `partyline migrate` (cached next to the dataset after the first load), `partyline
serve` on it, and home on two nodes (node_id 1 and 2) against one. Smaller runs:
`BENCH_USERS=2000 BENCH_POSTS=100000 make bench`; `BENCH_PG=0` skips PostgreSQL.
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

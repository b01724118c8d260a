#!/usr/bin/env bash
# bench/census.sh URL DB TOKENS OUT — times every read endpoint and the writes that undo
# things (issue 10, items 29 and 30), so a slow one cannot hide behind the home feed.
#
# URL     a running `partyline serve` (rate limits off) on the bench company
# DB      the company's SQLite file (read only here, to pick ids: the same ids on PostgreSQL)
# TOKENS  bench-data's token file (line k+1 is userk's token)
# OUT     where the results go: one tab-separated line per endpoint,
#         kind name p50_ms p99_ms requests bad [c64_rps c64_p99_ms c64_bad]
#
# Reads: wrk on one connection for CENSUS_SECONDS [2] seconds (one request at a time, each as
# the next of 200 ordinary people, or as the owner where the thing is someone's own), then,
# if CENSUS_CONNECTIONS [64] > 0, CENSUS_BURST_SECONDS [2] seconds on that many connections.
# Before each endpoint one request with curl (up to CENSUS_SLOW_TIMEOUT [120] s) waits out
# what the previous burst left queued, so the one-at-a-time figures are the endpoint's own.
# An endpoint too slow for wrk to finish CENSUS_MIN_REQUESTS [5] requests in its seconds (or
# in its 10 s timeout) is timed instead by that many curl requests one after the other, with
# the same timeout (p99 is then their slowest).
# CENSUS_READS=0 skips the reads; CENSUS_ONLY (an extended regular expression) times only
# the reads whose names match it. Tickets and listening (issue 16) are timed on a company
# built with `bench-data --service` (skipped, with a word, on one without): as a member of the
# service team (rotating over the team) and as the owner of the watch with the most matches.
# CENSUS_WRITES=0 skips the writes.
# Writes: CENSUS_WRITES [30] of each kind, one at a time with curl (time_total), after the
# reads: delete a fanned-out post (the heaviest ordinary authors' new posts), block and
# unfollow someone followed, leave a channel, remove a list member, and disable an account
# (`partyline admin disable-user`, a process of its own, so its figure includes starting
# one: CENSUS_BIN names the binary, CENSUS_DATA its --data; skipped if unset).
set -euo pipefail
URL=${1:?usage: bench/census.sh URL DB TOKENS OUT}
DB=${2:?}
TOKENS=${3:?}
OUT=${4:?}
SECS=${CENSUS_SECONDS:-2}
CONNS=${CENSUS_CONNECTIONS:-64}
BURST=${CENSUS_BURST_SECONDS:-2}
WRITES=${CENSUS_WRITES:-30}
SLOW_TIMEOUT=${CENSUS_SLOW_TIMEOUT:-120}
MIN_REQUESTS=${CENSUS_MIN_REQUESTS:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
: > "$OUT"

say() { printf 'census: %s\n' "$*" >&2; }
q() { sqlite3 "file:$DB?mode=ro" "$1"; }
user_token() { sed -n "$(($1 + 1))p" "$TOKENS"; }
user_id() { q "SELECT id FROM accounts WHERE username = 'user$1'"; }

# ------------------------------------------------------------------ whom and what

# 200 ordinary people (not user0, not big), each read rotates over them
q "SELECT CAST(substr(username, 5) AS INTEGER) FROM accounts WHERE is_big = 0 AND is_group = 0
   AND username LIKE 'user%' AND username <> 'user0' ORDER BY id LIMIT 200 OFFSET 100" \
    > "$TMP/people"
while read -r k; do user_token "$k"; done < "$TMP/people" > "$TMP/tokens"
ME=$(head -1 "$TMP/people")
ME_TOKEN=$(user_token "$ME")
echo "$ME_TOKEN" > "$TMP/me"
USER0_ID=$(user_id 0)
ME_ID=$(user_id "$ME")
TAG=$(q "SELECT tag FROM status_tags GROUP BY tag ORDER BY count(*) DESC LIMIT 1")
# a recent public post with a few replies and favourites if any
STATUS=$(q "SELECT id FROM statuses WHERE visibility = 0 AND reblog_of_id IS NULL
            ORDER BY id DESC LIMIT 1 OFFSET 500")
EVERYONE=$(q "SELECT account_id FROM channels WHERE is_everyone = 1")
auth() { echo "Authorization: Bearer $1"; }
api() { # METHOD PATH TOKEN [curl args...]: the body
    local m=$1 p=$2 t=$3
    shift 3
    curl -fsS -X "$m" -H "$(auth "$t")" "$@" "$URL$p"
}
json_id() { grep -o '"id":"[0-9]*"' | head -1 | tr -dc 0-9; }

# ME's list of ten people ME follows (for the list reads)
LIST=$(api POST /api/v1/lists "$ME_TOKEN" --data "title=census$$" | json_id)
for a in $(q "SELECT target_id FROM follows WHERE account_id = $ME_ID ORDER BY id LIMIT 10"); do
    api POST "/api/v1/lists/$LIST/accounts" "$ME_TOKEN" --data "account_ids[]=$a" >/dev/null
done

# ------------------------------------------------------------------ reads

# read NAME PATH [TOKENS_FILE]: one line into OUT
read_one() {
    local name=$1 path=$2 tokens=${3:-$TMP/tokens}
    if [ -n "${CENSUS_ONLY:-}" ] && ! [[ $name =~ $CENSUS_ONLY ]]; then return 0; fi
    # READ_BODY (JSON) makes it a POST that reads (the watch preview)
    local method=GET
    local -a data=()
    if [ -n "${READ_BODY:-}" ]; then
        method=POST
        data=(-H "Content-Type: application/json" --data "$READ_BODY")
    fi
    # the queue the previous burst left drained, and this endpoint warmed
    curl -s -o /dev/null -m "$SLOW_TIMEOUT" -X "$method" "${data[@]}" \
        -H "$(auth "$(head -1 "$tokens")")" "$URL$path" || true
    env BENCH_PATH="$path" BENCH_TOKENS="$tokens" BENCH_METHOD="$method" BENCH_BODY="${READ_BODY:-}" \
        wrk -t1 -c1 -d"${SECS}s" --timeout 10s -s "$ROOT/bench/get.lua" "$URL" > "$TMP/r.txt" 2>&1 || true
    local line extra=""
    line=$(grep '^RESULT' "$TMP/r.txt" || echo "RESULT requests=0 p50_us=0 p99_us=0 errors=0 non2xx=0")
    local got
    got=$(awk -v l="$line" 'BEGIN { c = split(l, f, " "); for (i = 2; i <= c; i++) {
              split(f[i], kv, "="); v[kv[1]] = kv[2] }
              print v["requests"] - v["errors"] - v["non2xx"] }')
    if [ "$got" -lt "$MIN_REQUESTS" ]; then # too slow for wrk: one curl after the other
        head -n "$MIN_REQUESTS" "$tokens" | while read -r t; do
            curl -s -o /dev/null -m "$SLOW_TIMEOUT" -w '%{http_code} %{time_total}\n' \
                -X "$method" "${data[@]}" -H "$(auth "$t")" "$URL$path" || echo "000 $SLOW_TIMEOUT"
        done > "$TMP/slow"
        while [ "$(wc -l < "$TMP/slow")" -lt "$MIN_REQUESTS" ]; do # fewer tokens than that
            curl -s -o /dev/null -m "$SLOW_TIMEOUT" -w '%{http_code} %{time_total}\n' \
                -X "$method" "${data[@]}" -H "$(auth "$(head -1 "$tokens")")" "$URL$path" \
                >> "$TMP/slow" || echo "000 $SLOW_TIMEOUT" >> "$TMP/slow"
        done
        line=$(sort -k2 -g "$TMP/slow" | awk '{ t[NR] = $2 * 1e6; if ($1 < 200 || $1 > 299) bad++ }
            END { printf "RESULT requests=%d p50_us=%.0f p99_us=%.0f errors=0 non2xx=%d", NR,
                  t[int((NR + 1) / 2)], t[NR], bad + 0 }')
        say "$name: too slow for wrk ($got in ${SECS} s), timed by $MIN_REQUESTS curl requests"
    fi
    if [ "$CONNS" -gt 0 ]; then
        env BENCH_PATH="$path" BENCH_TOKENS="$tokens" BENCH_METHOD="$method" \
            BENCH_BODY="${READ_BODY:-}" wrk -t2 -c"$CONNS" -d"${BURST}s" --timeout 10s -s "$ROOT/bench/get.lua" "$URL" \
            > "$TMP/b.txt" 2>&1 || true
        local b
        b=$(grep '^RESULT' "$TMP/b.txt" || echo "RESULT rps=0 p99_us=0 errors=0 non2xx=0")
        extra=$(awk -v l="$b" 'BEGIN { n = split(l, f, " "); for (i = 2; i <= n; i++) {
                    split(f[i], kv, "="); v[kv[1]] = kv[2] }
                printf "\t%.0f\t%.2f\t%d", v["rps"], v["p99_us"] / 1000, v["errors"] + v["non2xx"] }')
    fi
    awk -v l="$line" -v n="$name" -v x="$extra" 'BEGIN { c = split(l, f, " ");
            for (i = 2; i <= c; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
            printf "read\t%s\t%.2f\t%.2f\t%d\t%d%s\n", n, v["p50_us"] / 1000, v["p99_us"] / 1000,
                   v["requests"], v["errors"] + v["non2xx"], x }' >> "$OUT"
    say "$(tail -1 "$OUT")"
}

if [ "${CENSUS_READS:-1}" != 0 ]; then
read_one "GET timelines/home" "/api/v1/timelines/home?limit=20"
read_one "GET timelines/public" "/api/v1/timelines/public?limit=20"
read_one "GET timelines/public?local=true" "/api/v1/timelines/public?local=true&limit=20"
read_one "GET timelines/tag/:tag" "/api/v1/timelines/tag/$TAG?limit=20"
read_one "GET timelines/list/:id (owner)" "/api/v1/timelines/list/$LIST?limit=20" "$TMP/me"
read_one "GET notifications" "/api/v1/notifications?limit=20"
read_one "GET markers" "/api/v1/markers?timeline[]=home&timeline[]=notifications"
read_one "GET trends/tags" "/api/v1/trends/tags"
read_one "GET trends/statuses" "/api/v1/trends/statuses"
read_one "GET trends/links" "/api/v1/trends/links"
read_one "GET tags/:name" "/api/v1/tags/$TAG"
read_one "GET followed_tags" "/api/v1/followed_tags"
read_one "GET statuses/:id" "/api/v1/statuses/$STATUS"
read_one "GET statuses/:id/context" "/api/v1/statuses/$STATUS/context"
read_one "GET statuses/:id/history" "/api/v1/statuses/$STATUS/history"
read_one "GET statuses/:id/favourited_by" "/api/v1/statuses/$STATUS/favourited_by"
read_one "GET statuses/:id/reblogged_by" "/api/v1/statuses/$STATUS/reblogged_by"
read_one "GET favourites" "/api/v1/favourites"
read_one "GET bookmarks" "/api/v1/bookmarks"
read_one "GET filters (v1)" "/api/v1/filters"
read_one "GET filters (v2)" "/api/v2/filters"
read_one "GET instance (v1)" "/api/v1/instance"
read_one "GET instance (v2)" "/api/v2/instance"
read_one "GET nodeinfo/2.0" "/nodeinfo/2.0"
read_one "GET conversations" "/api/v1/conversations"
read_one "GET partyline/unread" "/api/v1/partyline/unread"
read_one "GET accounts/verify_credentials" "/api/v1/accounts/verify_credentials"
read_one "GET accounts/lookup" "/api/v1/accounts/lookup?acct=user$ME"
read_one "GET accounts/relationships" "/api/v1/accounts/relationships?id[]=$USER0_ID&id[]=$ME_ID"
read_one "GET accounts/:id (user0)" "/api/v1/accounts/$USER0_ID"
read_one "GET accounts/:id/statuses (user0)" "/api/v1/accounts/$USER0_ID/statuses?limit=20"
read_one "GET accounts/:id/statuses (ordinary)" "/api/v1/accounts/$ME_ID/statuses?limit=20"
read_one "GET accounts/:id/followers (user0)" "/api/v1/accounts/$USER0_ID/followers?limit=40"
read_one "GET accounts/:id/following (ordinary)" "/api/v1/accounts/$ME_ID/following?limit=40"
read_one "GET accounts/:id/lists" "/api/v1/accounts/$USER0_ID/lists"
read_one "GET blocks" "/api/v1/blocks"
read_one "GET mutes" "/api/v1/mutes"
read_one "GET follow_requests" "/api/v1/follow_requests"
read_one "GET accounts/search" "/api/v1/accounts/search?q=user12&limit=10"
read_one "GET v2/search statuses" "/api/v2/search?q=certificate&type=statuses&limit=20"
read_one "GET v2/search accounts" "/api/v2/search?q=user12&type=accounts&limit=20"
read_one "GET partyline/search/ranked" "/api/v1/partyline/search/ranked?q=certificate&limit=20"
read_one "GET lists" "/api/v1/lists"
read_one "GET lists/:id (owner)" "/api/v1/lists/$LIST" "$TMP/me"
read_one "GET lists/:id/accounts (owner)" "/api/v1/lists/$LIST/accounts" "$TMP/me"
read_one "GET partyline/lists/:id/sources (owner)" "/api/v1/partyline/lists/$LIST/sources" "$TMP/me"
read_one "GET partyline/catchup" "/api/v1/partyline/catchup"
read_one "GET top of home, 24h" "/api/v1/partyline/timelines/top?feed=home&window=24h&limit=20"
read_one "GET top of public, 24h" "/api/v1/partyline/timelines/top?feed=public&window=24h&limit=20"
read_one "GET partyline/channels (directory)" "/api/v1/partyline/channels?limit=40"
read_one "GET partyline/channels/:id (everyone)" "/api/v1/partyline/channels/$EVERYONE"
read_one "GET partyline/channels/:id/members" "/api/v1/partyline/channels/$EVERYONE/members?limit=40"
read_one "GET partyline/channels/:id/timeline" "/api/v1/partyline/channels/$EVERYONE/timeline?limit=20"
read_one "GET partyline/channels/:id/pins" "/api/v1/partyline/channels/$EVERYONE/pins"
read_one "GET /about" "/about"

# tickets and listening (issue 16): on a company built with bench-data --service
if [ "$(q "SELECT count(*) FROM watches")" -gt 0 ] && [ "$(q "SELECT count(*) FROM tickets")" -gt 0 ]; then
    # the service team (its members' tokens, rotating)
    q "SELECT CAST(substr(a.username, 5) AS INTEGER) FROM service_team t JOIN accounts a
       ON a.id = t.account_id WHERE t.on_team = 1 AND a.username LIKE 'user%' ORDER BY a.id" \
        > "$TMP/team_people"
    while read -r k; do user_token "$k"; done < "$TMP/team_people" > "$TMP/team"
    # the ticket with the longest thread, the newest of them
    TICKET=$(q "SELECT ticket_id FROM ticket_posts GROUP BY ticket_id
                ORDER BY count(*) DESC, ticket_id DESC LIMIT 1")
    # the watch with the most matches (issue 16's dashboard p99), and a typical one (the
    # median of the watches' matches), each read as its owner
    q "SELECT watch_id FROM watch_matches GROUP BY watch_id ORDER BY count(*) DESC" > "$TMP/watches"
    WATCH=$(head -1 "$TMP/watches")
    WATCH_TYPICAL=$(sed -n "$((($(wc -l < "$TMP/watches") + 1) / 2))p" "$TMP/watches")
    owner_tokens() { # WATCH_ID FILE
        user_token "$(q "SELECT CAST(substr(a.username, 5) AS INTEGER) FROM watches w
                         JOIN accounts a ON a.id = w.account_id WHERE w.id = $1")" > "$2"
    }
    owner_tokens "$WATCH" "$TMP/owner"
    owner_tokens "$WATCH_TYPICAL" "$TMP/owner_typical"
    owner_tokens "$(q "SELECT watch_id FROM watch_alerts ORDER BY id DESC LIMIT 1")" "$TMP/alerted"
    say "tickets: $(q "SELECT count(*) FROM tickets") (open $(q "SELECT count(*) FROM tickets WHERE state < 3"))," \
        "team of $(wc -l < "$TMP/team"), ticket $TICKET with" \
        "$(q "SELECT count(*) FROM ticket_posts WHERE ticket_id = $TICKET") posts;" \
        "watches: $(q "SELECT count(*) FROM watches"), the busiest $WATCH with" \
        "$(q "SELECT count(*) FROM watch_matches WHERE watch_id = $WATCH") matches, a typical" \
        "$WATCH_TYPICAL with $(q "SELECT count(*) FROM watch_matches WHERE watch_id = $WATCH_TYPICAL")"
    T=/api/v1/partyline/tickets
    W=/api/v1/partyline/watches
    read_one "GET partyline/tickets (team)" "$T?limit=20" "$TMP/team"
    read_one "GET partyline/tickets?assignee=me (team)" "$T?assignee=me&limit=20" "$TMP/team"
    read_one "GET partyline/tickets?state=in_progress (team)" "$T?state=in_progress&limit=20" "$TMP/team"
    read_one "GET partyline/tickets?breaching=true (team)" "$T?breaching=true&limit=20" "$TMP/team"
    read_one "GET partyline/tickets (requester: their own)" "$T?limit=20"
    read_one "GET partyline/tickets/:id (team)" "$T/$TICKET" "$TMP/team"
    read_one "GET partyline/tickets/dashboard?period=7d (team)" "$T/dashboard?period=7d" "$TMP/team"
    read_one "GET partyline/tickets/dashboard?period=30d (team)" "$T/dashboard?period=30d" "$TMP/team"
    read_one "GET partyline/watches (owner)" "$W" "$TMP/owner"
    read_one "GET partyline/watches/:id (owner, busiest)" "$W/$WATCH" "$TMP/owner"
    read_one "GET partyline/watches/:id/matches (owner, busiest)" "$W/$WATCH/matches?limit=20" "$TMP/owner"
    read_one "GET partyline/watches/:id/feed_matches (owner, busiest)" "$W/$WATCH/feed_matches?limit=20" "$TMP/owner"
    read_one "GET partyline/watches/:id/dashboard?period=1d (owner, busiest)" "$W/$WATCH/dashboard?period=1d" "$TMP/owner"
    read_one "GET partyline/watches/:id/dashboard?period=7d (owner, busiest)" "$W/$WATCH/dashboard?period=7d" "$TMP/owner"
    read_one "GET partyline/watches/:id/dashboard?period=30d (owner, busiest)" "$W/$WATCH/dashboard?period=30d" "$TMP/owner"
    read_one "GET partyline/watches/:id/matches (owner, typical)" "$W/$WATCH_TYPICAL/matches?limit=20" "$TMP/owner_typical"
    read_one "GET partyline/watches/:id/dashboard?period=30d (owner, typical)" "$W/$WATCH_TYPICAL/dashboard?period=30d" "$TMP/owner_typical"
    read_one "GET partyline/watches/alerts (owner)" "$W/alerts?limit=20" "$TMP/alerted"
    READ_BODY='{"query": "VPN AND (update OR Reminder) NOT printer"}' \
        read_one "POST partyline/watches/preview" "$W/preview"
else
    say "no tickets or watches (a company built without bench-data --service): not timed"
fi
fi

# ------------------------------------------------------------------ writes

if [ "$WRITES" -le 0 ]; then
    say "done: $OUT (no writes)"
    exit 0
fi

# timed METHOD PATH TOKEN [curl args...]: "code seconds" of one request
timed() {
    local m=$1 p=$2 t=$3
    shift 3
    curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -X "$m" -H "$(auth "$t")" "$@" "$URL$p"
}
# write_line NAME FILE: one line into OUT from FILE's "code seconds" lines
write_line() {
    sort -k2 -g "$2" | awk -v n="$1" '{ t[NR] = $2 * 1000; if ($1 < 200 || $1 > 299) bad++ }
        END { if (!NR) { printf "write\t%s\t0\t0\t0\t0\n", n; exit }
              p50 = t[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 < 1) i99 = 1
              printf "write\t%s\t%.2f\t%.2f\t%d\t%d\n", n, p50, t[i99], NR, bad + 0 }' >> "$OUT"
    say "$(tail -1 "$OUT")"
}

# the heaviest ordinary authors (fanned out on write), each posting then deleting
q "SELECT CAST(substr(username, 5) AS INTEGER) FROM accounts WHERE is_big = 0 AND is_group = 0
   AND username LIKE 'user%' AND username <> 'user0' ORDER BY followers_count DESC
   LIMIT $WRITES" > "$TMP/heavy"
HEAVY_FOLLOWERS=$(q "SELECT min(followers_count) || '-' || max(followers_count) FROM (
    SELECT followers_count FROM accounts WHERE is_big = 0 AND is_group = 0
    AND username <> 'user0' ORDER BY followers_count DESC LIMIT $WRITES)")
# their posts are timed too: a delete should cost what the post's fan-out cost, or less
: > "$TMP/posted"
: > "$TMP/w"
while read -r k; do
    t=$(user_token "$k")
    curl -sS -o "$TMP/body" -w '%{http_code} %{time_total}\n' -H "$(auth "$t")" \
        --data "status=census post&visibility=public" "$URL/api/v1/statuses" >> "$TMP/w"
    echo "$t $(json_id < "$TMP/body")" >> "$TMP/posted"
done < "$TMP/heavy"
write_line "POST statuses (the same people: the fan-out the delete below undoes)" "$TMP/w"
# wait until the queued fan-out is done (it runs in post order, by follows.id within a
# post): the last post in the home feed of its author's last follower. A fixed pause was too
# short at 100k/10M: the deletes then ran before the rows they remove were written (and, before
# migration 033, the fan-out wrote them after the delete).
LAST_K=$(tail -1 "$TMP/heavy")
LAST_ID=$(tail -1 "$TMP/posted" | cut -d' ' -f2)
LAST_F=$(q "SELECT CAST(substr(a.username, 5) AS INTEGER) FROM follows f JOIN accounts a
            ON a.id = f.account_id WHERE f.target_id = $(user_id "$LAST_K") ORDER BY f.id DESC
            LIMIT 1")
WAIT_START=$(date +%s%N)
for _ in $(seq 1 600); do
    if api GET "/api/v1/timelines/home?limit=5" "$(user_token "$LAST_F")" > "$TMP/home" 2>/dev/null &&
        grep -q "\"id\":\"$LAST_ID\"" "$TMP/home"; then
        break
    fi
    sleep 0.2
done
say "the queued fan-out of the $WRITES posts was done $((($(date +%s%N) - WAIT_START) / 1000000)) ms after the last was answered"
: > "$TMP/w"
while read -r t id; do timed DELETE "/api/v1/statuses/$id" "$t" >> "$TMP/w"; done < "$TMP/posted"
say "the posts deleted reached $HEAVY_FOLLOWERS followers each"
# the writer removes the deleted posts' feed rows after the deletes, as it fanned them out
# (migration 033): the writes below are timed once it is done (SQLite: its queue in DB)
WAIT_START=$(date +%s%N)
for _ in $(seq 1 600); do
    [ "$(q "SELECT count(*) FROM fanout_queue")" = 0 ] && break
    sleep 0.2
done
say "the deleted posts' feed rows were removed $((($(date +%s%N) - WAIT_START) / 1000000)) ms after the last delete was answered"
write_line "DELETE statuses/:id (a new post of one of the most-followed ordinary people)" "$TMP/w"

# follows to undo: ordinary people's follows of ordinary people who posted lately (so their
# posts are in the feed that loses them), two disjoint sets
: > "$TMP/pairs"
tail -n "$((2 * WRITES))" "$TMP/people" | while read -r k; do
    t=$(q "SELECT f.target_id FROM follows f JOIN accounts b ON b.id = f.target_id
           WHERE f.account_id = $(user_id "$k") AND b.is_big = 0 AND b.statuses_count > 50
           LIMIT 1")
    [ -z "$t" ] || echo "$k $t"
done > "$TMP/pairs"
: > "$TMP/w"
head -n "$WRITES" "$TMP/pairs" | while read -r k target; do
    timed POST "/api/v1/accounts/$target/unfollow" "$(user_token "$k")" >> "$TMP/w"
done
write_line "POST accounts/:id/unfollow (someone followed who posts)" "$TMP/w"
: > "$TMP/w"
tail -n "$WRITES" "$TMP/pairs" | while read -r k target; do
    timed POST "/api/v1/accounts/$target/block" "$(user_token "$k")" >> "$TMP/w"
done
write_line "POST accounts/:id/block (someone followed who posts)" "$TMP/w"

# leave a channel: $WRITES people join a new channel, then each leaves
CH=$(api POST /api/v1/partyline/channels "$ME_TOKEN" --data "name=census$$&private=false" | json_id)
sed -n "2,$((WRITES + 1))p" "$TMP/people" > "$TMP/members"
while read -r k; do
    api POST "/api/v1/partyline/channels/$CH/join" "$(user_token "$k")" >/dev/null
done < "$TMP/members"
: > "$TMP/w"
while read -r k; do
    timed POST "/api/v1/partyline/channels/$CH/leave" "$(user_token "$k")" >> "$TMP/w"
done < "$TMP/members"
write_line "POST partyline/channels/:id/leave" "$TMP/w"

# remove a list member: each of $WRITES people puts someone they follow on a list
: > "$TMP/lists"
while read -r k; do
    t=$(user_token "$k")
    a=$(q "SELECT target_id FROM follows WHERE account_id = $(user_id "$k") LIMIT 1")
    l=$(api POST /api/v1/lists "$t" --data "title=census$$" | json_id)
    api POST "/api/v1/lists/$l/accounts" "$t" --data "account_ids[]=$a" >/dev/null
    echo "$t $l $a" >> "$TMP/lists"
done < "$TMP/members"
: > "$TMP/w"
while read -r t l a; do
    timed DELETE "/api/v1/lists/$l/accounts?account_ids[]=$a" "$t" >> "$TMP/w"
done < "$TMP/lists"
write_line "DELETE lists/:id/accounts" "$TMP/w"

# disable an account: the admin command, a process of its own
if [ -n "${CENSUS_BIN:-}" ] && [ -n "${CENSUS_DATA:-}" ]; then
    : > "$TMP/w"
    tail -n 10 "$TMP/people" | while read -r k; do
        s=$(date +%s%N)
        if "$CENSUS_BIN" admin disable-user --username "user$k" --data "$CENSUS_DATA" >/dev/null 2>&1; then
            c=200
        else
            c=500
        fi
        awk -v c=$c -v s="$s" -v e="$(date +%s%N)" 'BEGIN { printf "%d %.6f\n", c, (e - s) / 1e9 }'
    done >> "$TMP/w"
    write_line "partyline admin disable-user (a process: start, open, write, exit)" "$TMP/w"
fi
say "done: $OUT"

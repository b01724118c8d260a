# bench/serve-copy.sh — sourced by the benchmarks that delete (retention.sh, offboard.sh): a
# server on a COPY of a bench company, and home measured against it. Before sourcing, set DATA,
# TOKENS, BIN and NAME (the temporary folder's name); it sets WORK, SERVER and URL, removes the
# copy and stops the server on exit, and defines say and home. The server's rate limits are off
# and its retention runs none of its own (the benchmark runs them).
# Env: BENCH_CONNECTIONS [16], BENCH_THREADS [2], BENCH_SECONDS [8] (SECS).
CONNS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
SECS=${BENCH_SECONDS:-8}
HOME_PATH='/api/v1/timelines/home?limit=20'

WORK=$(mktemp -d "/tmp/partyline-$NAME-XXXXXX")
SERVER=
trap '[ -n "$SERVER" ] && kill -TERM "$SERVER" 2>/dev/null || true; wait 2>/dev/null; rm -rf "$WORK"' EXIT
cp -r "$DATA"/. "$WORK/"
sync "$WORK/partyline.db"
say() { printf 'bench: %s\n' "$*" >&2; }

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
env PARTYLINE_RATE_LIMIT_TOKEN=0 PARTYLINE_RATE_LIMIT_IP=0 PARTYLINE_RETENTION_INTERVAL_MINUTES=0 \
    "$BIN" serve --data "$WORK" --listen "127.0.0.1:$PORT" 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 300); do
    curl -fs "$URL/health" >/dev/null 2>&1 && break
    sleep 0.1
done

# home NAME: wrk's RESULT line for SECS of home
home() {
    BENCH_PATH="$HOME_PATH" BENCH_TOKENS="$TOKENS" wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" \
        --timeout 10s -s bench/get.lua "$URL" 2>&1 | grep '^RESULT' | sed "s/^RESULT/$1/"
}

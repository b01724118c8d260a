#!/usr/bin/env bash
# bench/callgrind-home.sh BINARY [N] — instructions per home-timeline request, counted by
# callgrind (repeatable, unlike wall-clock figures on a shared machine). Builds a demo company
# in a temporary folder, serves it with one event loop under valgrind, signs in as amara,
# warms up, then counts N (default 50) requests of GET /api/v1/timelines/home?limit=20.
set -euo pipefail
BIN=$(realpath "$1"); N=${2:-50}
W=$(mktemp -d); PORT=$((20000 + RANDOM % 40000)); URL=http://127.0.0.1:$PORT
trap 'kill "$VP" 2>/dev/null || true; rm -rf "$W"' EXIT
"$BIN" demo --data "$W/data" >/dev/null 2>&1
PARTYLINE_RATE_LIMIT_TOKEN=0 PARTYLINE_RATE_LIMIT_IP=0 PARTYLINE_THREADS=1 \
  valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$BIN" serve --data "$W/data" \
  --listen "127.0.0.1:$PORT" 2>"$W/log" &
VP=$!
for _ in $(seq 1 200); do curl -fs "$URL/health" >/dev/null 2>&1 && break; sleep 0.2; done
APP=$(curl -s -X POST "$URL/api/v1/apps" -d client_name=cg -d redirect_uris=urn:ietf:wg:oauth:2.0:oob -d 'scopes=read')
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
TOK=$(curl -s -X POST "$URL/oauth/token" -d grant_type=password -d "client_id=$(field client_id <<<"$APP")" \
  -d "client_secret=$(field client_secret <<<"$APP")" -d username=amara -d password=partyline-demo \
  -d scope=read | field access_token)
home() { curl -s -o /dev/null -H "Authorization: Bearer $TOK" "$URL/api/v1/timelines/home?limit=20"; }
for _ in $(seq 1 5); do home; done
callgrind_control -z "$VP" >/dev/null 2>&1
for _ in $(seq 1 "$N"); do home; done
callgrind_control -d "$VP" >/dev/null 2>&1
TOTAL=$(callgrind_annotate "$W/cg.out.1" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
echo "instructions per home request: $((TOTAL / N))"

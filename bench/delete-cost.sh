#!/usr/bin/env bash
# bench/delete-cost.sh DB [N] — what removing a post from the home feeds costs next to the
# post's own fan-out, in SQL alone, on a COPY of a bench company (it writes: never the
# cached dataset). For the N [30] most-followed ordinary people (fanned out on write, not
# big): each gets a new post id above every post's, fanned out with the server's statement
# (store_timeline_fanout) in its own transaction; then each post's feed rows are removed,
# one transaction each, by the statement under test. With the writer's pragmas (8 MB page
# cache, 1 GiB mapped, WAL, synchronous=NORMAL, no automatic checkpoint: another connection
# checkpoints) in one connection, as the writer runs them; the WAL is checkpointed, untimed,
# before each phase.
# DELCOST_COLD=1 drops the file's pages from the OS page cache before every statement
# (dd iflag=nocache on the database and its WAL: only this copy's pages).
# DELCOST_REMOVE [index] picks how a post's feed rows are found:
#   index    DELETE FROM timeline WHERE status_id = ? (through timeline_status)
#   follows  the author's followers' feeds, one probe of the primary key each
# Prints one line per phase: name, p50 and mean ms, and the rows of one post.
set -euo pipefail
DB=${1:?usage: bench/delete-cost.sh DB [N]}
N=${2:-30}
COLD=${DELCOST_COLD:-0}
REMOVE=${DELCOST_REMOVE:-index}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
q() { sqlite3 "$DB" "$1"; }

q "SELECT id, followers_count FROM accounts WHERE is_big = 0 AND is_group = 0
   AND username <> 'user0' ORDER BY followers_count DESC LIMIT $N" > "$TMP/heavy"
BASE=$(q "SELECT max(id) FROM statuses")

drop() { [ "$COLD" = 1 ] || return 0; printf '.shell dd if=%s iflag=nocache count=0 status=none; [ -f %s-wal ] && dd if=%s-wal iflag=nocache count=0 status=none; true\n' "$DB" "$DB" "$DB"; }

# phase NAME SQL-TEMPLATE: the template's $S and $A are each post's id and author
phase() {
    local name=$1 tpl=$2 k=0
    {
        echo "PRAGMA cache_size=-8000; PRAGMA mmap_size=1073741824; PRAGMA synchronous=NORMAL;"
        echo "PRAGMA wal_autocheckpoint=0; PRAGMA wal_checkpoint(TRUNCATE);"
        echo ".timer on"
        echo ".stats on"
        while IFS='|' read -r A _; do
            k=$((k + 1))
            S=$((BASE + k))
            drop
            echo "BEGIN; $(S=$S A=$A envsubst <<< "$tpl" | tr "\n" " ") COMMIT;"
        done < "$TMP/heavy"
    } > "$TMP/$name.sql"
    # per post: ms, page cache misses (pages read), page cache writes (pages written)
    sqlite3 "$DB" < "$TMP/$name.sql" 2>&1 | awk '
        /^Page cache misses:/ { miss = $4 } /^Page cache writes:/ { wr = $4 }
        /^Run Time/ { print $4 * 1000, miss, wr }' > "$TMP/$name.ms"
    sort -g "$TMP/$name.ms" | awk -v n="$name" '{ t[NR] = $1; s += $1; m += $2; w += $3 }
        END { printf "%-8s p50 %7.2f ms, mean %7.2f ms; per post %6.0f pages read, %6.0f written (%d posts)\n",
              n, t[int((NR + 1) / 2)], s / NR, m / NR, w / NR, NR }'
}

FANOUT='INSERT INTO timeline (account_id, status_id) SELECT f.account_id, $S FROM follows f
  WHERE f.target_id = $A ON CONFLICT DO NOTHING;
  INSERT INTO timeline (account_id, status_id) VALUES ($A, $S) ON CONFLICT DO NOTHING;'
case $REMOVE in
index) DELETE='DELETE FROM timeline WHERE status_id = $S;' ;;
follows) DELETE='DELETE FROM timeline WHERE status_id = $S AND account_id IN
  (SELECT account_id FROM follows WHERE target_id = $A UNION ALL SELECT $A);' ;;
*) echo "DELCOST_REMOVE: index or follows" >&2; exit 2 ;;
esac
echo "$(basename "$(dirname "$DB")"): $N posts of $(head -1 "$TMP/heavy" | cut -d'|' -f2)-$(tail -1 "$TMP/heavy" | cut -d'|' -f2) followers; cold=$COLD remove=$REMOVE; load $(cut -d' ' -f1-3 /proc/loadavg)"
phase fanout "$FANOUT"
phase remove "$DELETE"
q "SELECT count(*) FROM timeline WHERE status_id > $BASE AND status_id <= $((BASE + N))" | sed "s/^/left behind: /"

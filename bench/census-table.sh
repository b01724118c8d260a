#!/usr/bin/env bash
# bench/census-table.sh LABEL FILE [LABEL FILE ...] — the census (bench/census.sh output)
# of one or more runs side by side as a Markdown table: per endpoint, each run's p50 / p99
# one request at a time and, for reads, the 64-connection throughput and p99. A read whose
# one-at-a-time p99 is 20 ms or more is in bold.
set -euo pipefail
[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] || { echo "usage: $0 LABEL FILE [LABEL FILE ...]" >&2; exit 2; }
labels=() files=()
while [ $# -gt 0 ]; do labels+=("$1"); files+=("$2"); shift 2; done
head="| endpoint |"
rule="|---|"
for l in "${labels[@]}"; do
    head="$head $l: p50 / p99, one at a time | $l: 64 connections |"
    rule="$rule---|---|"
done
echo "$head"
echo "$rule"
# endpoints in the first file's order
cut -f1,2 "${files[0]}" | while IFS=$'\t' read -r kind name; do
    row="| $name |"
    for f in "${files[@]}"; do
        row="$row$(awk -F'\t' -v k="$kind" -v n="$name" '$1 == k && $2 == n {
            one = sprintf("%.2f / %.2f ms", $3, $4)
            if (k == "read" && $4 >= 20) one = "**" one "**"
            if ($6 > 0) one = one " (" $6 " of " $5 " failed)"
            else one = one " (" $5 ")"
            many = (k == "read" && NF >= 9) ? sprintf("%d req/s, p99 %.1f ms%s", $7, $8,
                   $9 > 0 ? ", " $9 " failed" : "") : "—"
            printf " %s | %s |", one, many; found = 1 }
            END { if (!found) printf " — | — |" }' "$f")"
    done
    echo "$row"
done

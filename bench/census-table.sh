#!/usr/bin/env bash
# bench/census-table.sh LABEL FILE [LABEL FILE ...] — the census (bench/census.sh output)
# of one or more runs side by side as a Markdown table: per endpoint, each run's p50 / p99
# one request at a time and, for reads, the 64-connection throughput and p99. A read whose
# one-at-a-time p99 is 20 ms or more is in bold. With two runs (a small company, then a big
# one) a last column gives the growth of the median, last / first, in bold from 3× on a
# median of 1 ms or more (what grows with the size of the company; a 0.04 → 0.12 ms median
# is noise on a shared machine).
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
[ ${#files[@]} -eq 2 ] && head="$head p50 ${labels[1]} / ${labels[0]} |" && rule="$rule---|"
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
    if [ ${#files[@]} -eq 2 ]; then
        row="$row$(awk -F'\t' -v k="$kind" -v n="$name" '$1 == k && $2 == n { p[FILENAME] = $3 }
            END { a = p[ARGV[1]]; b = p[ARGV[2]]
                  if (a == "" || b == "" || a <= 0) { printf " — |"; exit }
                  g = sprintf("%.1f×", b / a); if (b / a >= 3 && b >= 1) g = "**" g "**"; printf " %s |", g }' \
            "${files[0]}" "${files[1]}")"
    fi
    echo "$row"
done

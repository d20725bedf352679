#!/bin/sh
# Splits the labeled parts into train.tsv and heldout.tsv by article, so that
# no article has units on both sides: every article whose number is a
# multiple of 5 (ea-005, sw-010, ...) is held out. Deterministic; rerun after
# editing training/parts/*.tsv, then `make model`.
set -eu
cd "$(dirname "$0")"
header=$(head -n 1 parts/eurasia.tsv)
for f in parts/*.tsv; do
    [ "$(head -n 1 "$f")" = "$header" ] || { echo "split.sh: $f: header differs" >&2; exit 1; }
done
{ echo "$header"; tail -q -n +2 parts/*.tsv | awk -F'\t' '($3 ~ /-[0-9]+$/) { n = $3; sub(/.*-/, "", n); if (n % 5 != 0) print }'; } >train.tsv
{ echo "$header"; tail -q -n +2 parts/*.tsv | awk -F'\t' '($3 ~ /-[0-9]+$/) { n = $3; sub(/.*-/, "", n); if (n % 5 == 0) print }'; } >heldout.tsv
total=$(tail -q -n +2 parts/*.tsv | wc -l)
echo "split.sh: $total units: $(($(wc -l <train.tsv) - 1)) train, $(($(wc -l <heldout.tsv) - 1)) held out"

#!/bin/sh
# Measures holder attribution on the paragraph rows of a labeled split (the
# `holders` column of training/parts): precision and recall of the holder
# countries that `stance batch` gives each paragraph, each scored as an
# article of its own, micro-averaged over paragraphs.
# Usage: sh training/holders.sh [SPLIT.tsv] [path/to/stance]
set -eu
split=${1:-training/heldout.tsv}
bin=${2:-./bin/stance}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/p"
awk -F'\t' -v dir="$tmp/p" 'NR > 1 && $4 == "paragraph" { n++; f = sprintf("%s/%05d.txt", dir, n); print $2 > f; close(f); print $5 > (dir "/../gold") }' "$split"
"$bin" batch "$tmp/p" -o "$tmp/units.csv" 2>/dev/null
# Paragraph rows have no speaker, so the holders are the 9th field.
awk -F, '$2 == "p0" { h = $9; gsub(/"/, "", h); print h }' "$tmp/units.csv" >"$tmp/got"
# Names and codes both map to the gazetteer code, so "SCO" and "Shanghai
# Cooperation Organisation" are the same holder.
gazetteer=$(dirname "$0")/../lexicons/gazetteer.tsv
paste -d'\t' "$tmp/gold" "$tmp/got" | awk -F'\t' -v gz="$gazetteer" '
    BEGIN { while ((getline line < gz) > 0) if (line !~ /^#/) { split(line, c, "\t"); code[c[1]] = c[2]; code[c[2]] = c[2] } }
    { for (side = 1; side <= 2; side++) { k = split($side, v, ";"); out = ""
          for (i = 1; i <= k; i++) out = out (i > 1 ? ";" : "") (v[i] in code ? code[v[i]] : v[i])
          $side = out } }
    { n = split($1, g, ";"); m = split($2, p, ";"); delete want
      for (i = 1; i <= n; i++) if (g[i] != "") { want[g[i]] = 1; gold++ }
      for (i = 1; i <= m; i++) if (p[i] != "") { got++; if (p[i] in want) hit++ } }
    END { P = got ? hit / got : 0; R = gold ? hit / gold : 0
          printf "paragraphs %d  gold holders %d  predicted %d  correct %d\n", NR, gold, got, hit
          printf "holder precision %.3f  recall %.3f  F1 %.3f\n", P, R, (P + R) ? 2 * P * R / (P + R) : 0 }'

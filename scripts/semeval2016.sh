#!/bin/sh
# Retrains `stance` on the SemEval-2016 Task 6 tweet-stance benchmark (subtask
# A) and prints its official score, so that `stance train` can be compared
# with the published baselines (the organisers' linear SVM on word 1-3 and
# character 2-5 n-grams: F_avg 68.98). One model per target, as the baseline.
#
# usage: scripts/semeval2016.sh TRAIN.txt GOLD.txt [stance train options]
#   TRAIN.txt, GOLD.txt: the task's tab-separated files (ID, Target, Tweet,
#   Stance with FAVOR, AGAINST or NONE), UTF-8. The data is not shipped with
#   stance: get it from the task's organisers. Options default to
#   --ngrams 1-3 --char-ngrams 2-5 --target-features off.
# F_avg is the mean of the F1 of FAVOR and of AGAINST over all test tweets
# pooled, as the task's eval.pl computes it. The mean cross-validated
# macro-F1 of the per-target models is printed too: compare options on it,
# not on the test set.
set -eu
[ $# -ge 2 ] || { echo "usage: $0 TRAIN.txt GOLD.txt [stance train options]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${STANCE_BIN:-$root/bin/stance}
train=$1 gold=$2
shift 2
[ $# -gt 0 ] || set -- --ngrams 1-3 --char-ngrams 2-5 --target-features off
tmp=$(mktemp -d /tmp/stance-semeval.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# label<TAB>text files per target; tabs and CRs in tweets become spaces.
split() {
    tr -d '\r' <"$1" | awk -F'\t' -v dir="$tmp" -v kind="$2" '
        NR == 1 { next }
        NF >= 4 {
            t = $2; gsub(/[^A-Za-z]/, "_", t)
            f = dir "/" t "." kind ".tsv"
            if (!(f in seen)) { print "label\ttext" >f; seen[f] = 1; print t >>(dir "/targets." kind) }
            print $4 "\t" $3 >>f
        }'
}
split "$train" train
split "$gold" test
sort -u "$tmp/targets.train" >"$tmp/targets"
: >"$tmp/counts"
while read -r t; do
    [ -f "$tmp/$t.test.tsv" ] || continue
    "$bin" train "$tmp/$t.train.tsv" -o "$tmp/model-$t" --threads "${THREADS:-$(nproc)}" "$@" \
        >"$tmp/$t.train.log" 2>&1 || { cat "$tmp/$t.train.log" >&2; exit 1; }
    sed -n 's/^macro-F1 \([0-9.]*\) .*/\1/p' "$tmp/$t.train.log" >>"$tmp/cv"
    "$bin" eval "$tmp/$t.test.tsv" --model "$tmp/model-$t" >"$tmp/$t.eval"
    # The confusion matrix: its header names the predicted columns.
    awk -v t="$t" '
        /^confusion matrix/ { m = 1; next }
        m == 1 { for (i = 1; i <= NF; i++) col[i] = $i; ncol = NF; m = 2; next }
        m == 2 && NF == ncol + 1 {
            for (i = 2; i <= NF; i++) print t, $1, col[i - 1], $i
        }' "$tmp/$t.eval" >>"$tmp/counts"
done <"$tmp/targets"

awk '
    { n[$1, $2, $3] += $4; tgt[$1] = 1; all[$2, $3] += $4 }
    function f1(tp, fp, fn) { return tp ? 2 * tp / (2 * tp + fp + fn) : 0 }
    END {
        split("FAVOR AGAINST NONE", lab, " ")
        for (t in tgt) {
            s = 0
            for (k = 1; k <= 2; k++) {
                l = lab[k]; tp = fp = fn = 0
                for (a = 1; a <= 3; a++) for (b = 1; b <= 3; b++) {
                    c = n[t, lab[a], lab[b]]
                    if (lab[a] == l && lab[b] == l) tp += c
                    else if (lab[b] == l) fp += c
                    else if (lab[a] == l) fn += c
                }
                s += f1(tp, fp, fn)
            }
            printf "%-40s F_avg %.2f\n", t, 50 * s
        }
        s = 0
        for (k = 1; k <= 2; k++) {
            l = lab[k]; tp = fp = fn = 0
            for (a = 1; a <= 3; a++) for (b = 1; b <= 3; b++) {
                c = all[lab[a], lab[b]]
                if (lab[a] == l && lab[b] == l) tp += c
                else if (lab[b] == l) fp += c
                else if (lab[a] == l) fn += c
            }
            s += f1(tp, fp, fn)
        }
        printf "%-40s F_avg %.2f (published linear-SVM baseline: 68.98)\n", "all targets", 50 * s
    }' "$tmp/counts" | sort
# The figure to choose options by: the test set must not choose them.
awk '{ s += $1; n++ } END { printf "cross-validated macro-F1 on the training tweets, mean of the targets: %.4f\n", s / n }' "$tmp/cv"

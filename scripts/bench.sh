#!/bin/sh
# `make bench`: throughput, latency, memory and training time of stance on
# this machine. Generates a corpus of about SIZE_MB megabytes (default 100)
# of articles assembled from the labeled paragraphs of training/train.tsv,
# scores it with `stance batch -j 1` and `-j 2`, and reports MB/s, units/s,
# peak memory, the scaling ratio, the latency of one `stance score` call and
# the time of `stance train` on the train split. The machine is shared: read
# the figures as ratios, and run twice before believing a change. With
# BASELINE=/path/to/an/older/checkout (built, with its own model), its binary
# scores the same corpus in the same run and the throughput ratio is printed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/bin/stance}
size_mb=${SIZE_MB:-100}
tmp=$(mktemp -d /tmp/stance-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export STANCE_HOME="$root" LC_ALL=C

echo "machine: $(nproc) processors, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
# 40 paragraphs an article, 100 articles a directory.
tail -n +2 "$root/training/train.tsv" | cut -f2 | awk -v want=$((size_mb * 1000000)) -v dir="$tmp/corpus" '
    { para[NR] = $0 }
    END { srand(7); bytes = 0
          for (f = 0; bytes < want; f++) {
              if (f % 100 == 0) { d = sprintf("%s/%04d", dir, f / 100); system("mkdir -p " d) }
              out = sprintf("%s/a%06d.txt", d, f)
              for (i = 0; i < 40; i++) { p = para[int(rand() * NR) + 1]; print p "\n" > out; bytes += length(p) + 2 }
              close(out) } }'
half="$tmp/half"
mkdir -p "$half"
ls "$tmp/corpus" | head -n $(($(ls "$tmp/corpus" | wc -l) / 4)) | while read -r d; do ln -s "$tmp/corpus/$d" "$half/$d"; done
echo "corpus: $(du -sm "$tmp/corpus" | cut -f1) MB on disk, $(find "$tmp/corpus" -type f | wc -l) files"

rate() { sed -n 's/.*(\([0-9.]*\) MB\/s, \([0-9]*\) units\/s, peak memory \([0-9.]*\) MB).*/\1 \2 \3/p' "$1"; }
"$bin" batch "$tmp/corpus" -o "$tmp/u1.csv" -j 1 2>"$tmp/j1.log"
"$bin" batch "$tmp/corpus" -o "$tmp/u2.csv" -j 2 2>"$tmp/j2.log"
"$bin" batch "$half" -o "$tmp/uq.csv" -j 2 2>"$tmp/jq.log"
set -- $(rate "$tmp/j1.log"); r1=$1 u1=$2 m1=$3
set -- $(rate "$tmp/j2.log"); r2=$1 u2=$2 m2=$3
set -- $(rate "$tmp/jq.log"); mq=$3
cmp -s "$tmp/u1.csv" "$tmp/u2.csv" && same=yes || same=NO
echo "batch -j 1: $r1 MB/s, $u1 units/s, peak memory $m1 MB"
echo "batch -j 2: $r2 MB/s, $u2 units/s, peak memory $m2 MB"
echo "scaling -j 2 / -j 1: $(awk -v a="$r2" -v b="$r1" 'BEGIN { printf "%.2f", a / b }'); outputs identical: $same"
echo "peak memory, a quarter of the corpus vs all of it (-j 2): $mq MB vs $m2 MB"
if [ -n "${BASELINE:-}" ]; then
    STANCE_HOME="$BASELINE" "$BASELINE/bin/stance" batch "$tmp/corpus" -o "$tmp/ub.csv" -j 1 2>"$tmp/jb.log"
    "$bin" batch "$tmp/corpus" -o "$tmp/u1b.csv" -j 1 2>"$tmp/j1b.log"
    set -- $(rate "$tmp/jb.log"); rb=$1
    set -- $(rate "$tmp/j1b.log"); r1b=$1
    echo "baseline $BASELINE -j 1: $rb MB/s; this binary again: $r1b MB/s; ratio this / baseline: $(awk -v a="$r1" -v c="$r1b" -v b="$rb" 'BEGIN { printf "%.2f", (a + c) / 2 / b }')"
fi

article=$(find "$tmp/corpus" -type f | head -n 1)
start=$(date +%s%N)
for i in 1 2 3 4 5 6 7 8 9 10; do "$bin" score --format csv "$article" >/dev/null; done
end=$(date +%s%N)
echo "latency of one \`stance score\` of a $(wc -c <"$article")-byte article (model load included): $(( (end - start) / 10000000 )) ms"

start=$(date +%s)
"$bin" train "$root/training/train.tsv" -o "$tmp/model" >/dev/null 2>&1
end=$(date +%s)
echo "training on training/train.tsv ($(($(wc -l <"$root/training/train.tsv") - 1)) units, C ascending until it falls, 5 folds, $(nproc) threads): $((end - start)) s"

# 20,000 rows (the size the corpus issue budgets 2 minutes for): the labeled
# parts, then copies of them with every fifth word dropped, so that no row
# repeats another exactly. Peak memory includes the kernel matrix (6.4 GB).
rows=${TRAIN_ROWS:-20000}
tail -q -n +2 "$root"/training/parts/*.tsv | cut -f1,2 | awk -F'\t' -v want="$rows" '
    { label[NR] = $1; text[NR] = $2 }
    END {
        print "label\ttext"
        for (i = 0; i < want; i++) {
            r = i % NR + 1; copy = int(i / NR)
            if (copy == 0) { print label[r] "\t" text[r]; continue }
            n = split(text[r], w, " "); out = ""
            for (k = 1; k <= n; k++) if ((k + copy) % 5 != 0) out = out (out == "" ? "" : " ") w[k]
            print label[r] "\t" out
        }
    }' >"$tmp/rows.tsv"
# GNU time (Debian package `time`) gives the peak memory where it is installed.
timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %M -o $tmp/train.mem"
start=$(date +%s)
$timer "$bin" train "$tmp/rows.tsv" -o "$tmp/model20k" >/dev/null 2>&1
end=$(date +%s)
mem="not measured (no /usr/bin/time)"
[ -s "$tmp/train.mem" ] && mem="$(($(cat "$tmp/train.mem") / 1024)) MB"
echo "training on $rows rows (the labeled parts and word-dropped copies, C ascending until it falls, 5 folds, $(nproc) threads): $((end - start)) s, peak memory $mem"

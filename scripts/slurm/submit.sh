#!/bin/sh
# Scores a directory of articles on a Slurm cluster: a job array of N shards
# (`stance batch --shard K/N`), then a job that depends on all of them and
# merges their summaries and units.
#
# usage: scripts/slurm/submit.sh DIR OUTDIR [N] [-- extra sbatch options]
#   DIR     the articles, on a file system every node sees
#   OUTDIR  where units-K.csv, summary-K.csv, units.csv and summary.csv go
#   N       number of shards (default 8)
# Environment: STANCE_BIN (default: the stance on PATH, else bin/stance of
# this checkout), STANCE_ARGS (more `stance batch` options, e.g. --model DIR),
# STANCE_WAIT=1 to block until the merge has finished (sbatch --wait).
# Prints the job ids of the array and of the merge.
set -eu
[ $# -ge 2 ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
dir=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
shards=${3:-8}
[ $# -ge 3 ] && shift 3 || shift $#
[ "${1:-}" = "--" ] && shift
bin=${STANCE_BIN:-$(command -v stance || echo "$here/../../bin/stance")}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
[ -x "$bin" ] || { echo "submit.sh: no stance program at $bin (set STANCE_BIN)" >&2; exit 1; }
export STANCE_BIN="$bin" STANCE_DIR="$dir" STANCE_OUT="$out" STANCE_SHARDS="$shards"
export STANCE_ARGS="${STANCE_ARGS:-}"
array=$(sbatch --parsable --export=ALL --chdir="$out" --array="1-$shards" "$@" \
    "$here/batch-shard.sbatch")
array=${array%%;*}
wait_flag=""
[ "${STANCE_WAIT:-0}" = 1 ] && wait_flag="--wait"
merge=$(sbatch --parsable --export=ALL --chdir="$out" --dependency="afterok:$array" $wait_flag \
    "$@" "$here/merge.sbatch")
echo "array $array merge ${merge%%;*}"

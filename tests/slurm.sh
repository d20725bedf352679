#!/bin/sh
# The Slurm path end to end: starts a one-node Slurm cluster (munged,
# slurmctld and slurmd from a generated slurm.conf in a temporary directory),
# runs scripts/slurm/submit.sh over a test corpus as a job array of 3 shards
# plus a dependent merge with sbatch --wait, checks that the merged summary
# and the sorted units equal a single-machine `stance batch`, and stops
# everything. Needs root and Debian's slurm-wlm and munge (`make slurm-test`
# installs them). Usage: sh tests/slurm.sh PATH/TO/stance
set -u
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export STANCE_HOME="$root"
passed=0 failed=0
ok() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

tmp=$(mktemp -d /tmp/stance-slurm.XXXXXX)
chmod 700 "$tmp"
pids=""
stop() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    sleep 1
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap stop EXIT
host=$(hostname -s)
# Free ports, so that a Slurm already on the machine is left alone.
ctld_port=$((20000 + $$ % 20000))
slurmd_port=$((ctld_port + 1))

mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log"
chmod 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.sock" \
    --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/log/munged.log" \
    --seed-file="$tmp/munge/munged.seed" || { echo "FAIL: munged did not start"; cat "$tmp/log/munged.log"; exit 1; }
sleep 1
pids="$(cat "$tmp/munge/munged.pid")"

cpus=$(nproc)
mem=$(awk '/MemTotal/ { print int($2 / 1024 / 2) }' /proc/meminfo)
cat >"$tmp/slurm.conf" <<CONF
ClusterName=stance-ci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.sock
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 &
pids="$pids $!"
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 &
pids="$pids $!"
up=0
for i in $(seq 1 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; then up=1; break; fi
    sleep 1
done
if [ "$up" = 1 ]; then ok; else
    fail "the one-node cluster did not come up"
    tail -n 20 "$tmp/log/slurmctld.log" "$tmp/log/slurmd.log" "$tmp/log/"*.out 2>/dev/null
    echo "$passed passed, $failed failed"
    exit 1
fi

# A corpus: the sample article, the attribution cases, an empty file (reported, skipped).
corpus=$tmp/corpus
mkdir -p "$corpus/a/b" "$corpus/c"
for i in 1 2 3 4 5 6 7; do cp "$root/tests/fixtures/sample-article.txt" "$corpus/a/s$i.txt"; done
cp "$root"/tests/attribution/*.txt "$corpus/a/b/"
cp "$root/tests/fixtures/sample-article.txt" "$corpus/c/last.txt"
: >"$corpus/c/empty.txt"

"$bin" batch "$corpus" -o "$tmp/single-units.csv" --summary "$tmp/single-summary.csv" -j 2 2>/dev/null
[ $? -eq 3 ] && ok || fail "single-machine batch: exit code 3 for the empty file"

STANCE_BIN="$bin" STANCE_WAIT=1 timeout 600 sh "$root/scripts/slurm/submit.sh" "$corpus" "$tmp/out" 3 \
    >"$tmp/submit.out" 2>&1
if [ $? -eq 0 ]; then ok; else fail "submit.sh: $(cat "$tmp/submit.out")"; cat "$tmp/out/"*.log 2>/dev/null | tail -20; fi
if cmp -s "$tmp/out/summary.csv" "$tmp/single-summary.csv"; then ok; else fail "merged summary differs from the single run"; fi
tail -n +2 "$tmp/out/units.csv" 2>/dev/null | sort >"$tmp/shards.sorted"
tail -n +2 "$tmp/single-units.csv" | sort >"$tmp/single.sorted"
if [ -s "$tmp/single.sorted" ] && cmp -s "$tmp/shards.sorted" "$tmp/single.sorted"; then ok; else fail "sorted shard units differ from the single run"; fi
[ "$(head -n 1 "$tmp/out/units.csv" 2>/dev/null)" = "$(head -n 1 "$tmp/single-units.csv")" ] && ok || fail "merged units header"
n=$(ls "$tmp/out"/units-*.csv 2>/dev/null | wc -l)
[ "$n" -eq 3 ] && ok || fail "expected 3 shard unit files, found $n"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

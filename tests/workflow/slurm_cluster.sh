#!/usr/bin/env bash
# A one-node Slurm cluster on this machine for the workflow test: munged, slurmctld and slurmd as the current user
# (root) with every file (munge key and socket, slurm.conf, state, spool, pid files, logs) in DIR; nothing from
# /etc is used and nothing is left running after `stop`.
#   slurm_cluster.sh start DIR   prints "export SLURM_CONF=DIR/slurm.conf" on success; exit 1 with the reason on stderr
#   slurm_cluster.sh stop DIR    stops the daemons started in DIR (by their pid files), keeps the logs
set -uo pipefail
action=$1
dir=$(realpath -m "$2")

fail() {
  echo "slurm_cluster: $*" >&2
  exit 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop_pidfile() { # pidfile
  [[ -f $1 ]] || return 0
  local pid
  pid=$(cat "$1" 2>/dev/null)
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}

if [[ $action == stop ]]; then
  stop_pidfile "$dir/slurmd.pid"
  stop_pidfile "$dir/slurmctld.pid"
  stop_pidfile "$dir/munged.pid"
  exit 0
fi
[[ $action == start ]] || fail "usage: slurm_cluster.sh start|stop DIR"

for tool in munged slurmctld slurmd sbatch srun squeue scontrol sinfo python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (Debian packages munge, slurmctld, slurmd, slurm-client)"
done
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
# munged refuses a socket folder that others cannot traverse.
chmod 755 "$dir" "$dir/munge"
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed" ||
  fail "munged did not start: $(tail -3 "$dir/munged.log" 2>/dev/null)"

node=$(slurmd -C 2>/dev/null | head -1) || true
[[ $node == NodeName=* ]] || fail "slurmd -C did not describe this node: $node"
name=$(sed -E 's/^NodeName=([^ ]+).*/\1/' <<<"$node")
memory=$(sed -nE 's/.*RealMemory=([0-9]+).*/\1/p' <<<"$node")
cpus=$(sed -nE 's/.*CPUs=([0-9]+).*/\1/p' <<<"$node")
ctld_port=$(free_port)
slurmd_port=$(free_port)
cat >"$dir/slurm.conf" <<CONF
ClusterName=icanscantest
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
SlurmUser=$(id -un)
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=600
InactiveLimit=0
KillWait=5
NodeName=$name NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$((memory * 9 / 10)) State=UNKNOWN
PartitionName=debug Nodes=$name Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -i ||
  fail "slurmctld did not start: $(tail -5 "$dir/slurmctld.log" 2>/dev/null)"
# slurmd must be told its node name: the host name need not match the name in slurm.conf.
slurmd -N "$name" ||
  fail "slurmd did not start: $(tail -5 "$dir/slurmd.log" 2>/dev/null)"
for _ in $(seq 100); do
  state=$(sinfo -h -n "$name" -o %T 2>/dev/null)
  [[ $state == idle* ]] && { echo "export SLURM_CONF=$dir/slurm.conf"; exit 0; }
  sleep 0.2
done
fail "node $name did not become idle (state '$state'): $(tail -5 "$dir/slurmctld.log" 2>/dev/null)"

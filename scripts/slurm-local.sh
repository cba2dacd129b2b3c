#!/usr/bin/env bash
# Brings up (or down) a one-node Slurm cluster on this machine, so the Slurm
# backend is tested against real sbatch/squeue/scancel. Needs root (apt-get,
# munge, slurmctld/slurmd). Recipe: ../shared/DESIGN.md "Facts checked".
#
#   scripts/slurm-local.sh up     install if missing, configure, start, wait until the node is idle
#   scripts/slurm-local.sh down   stop the daemons it started (by their pid files)
#   scripts/slurm-local.sh status sinfo + squeue
set -euo pipefail

state=/var/spool/dpotop-slurm
conf_dir=/etc/slurm

up() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "slurm-local: installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
  fi
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    head -c 1024 /dev/urandom > /etc/munge/munge.key
  fi
  chown munge:munge /etc/munge/munge.key 2>/dev/null || true
  chmod 0400 /etc/munge/munge.key
  mkdir -p /run/munge /var/lib/munge /var/log/munge "$state"
  chown munge:munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
  if ! pgrep -x munged >/dev/null; then
    su -s /bin/sh munge -c "munged --force"
    # Ours to stop on 'down'; a munged that was already running is left alone.
    touch "$state/munged.ours"
  fi

  host=$(hostname)
  mem=$(awk '/MemAvailable/ {print int($2/1024*0.8)}' /proc/meminfo)
  cpus=$(nproc)
  mkdir -p "$conf_dir" "$state/ctld" "$state/d"
  cat > "$conf_dir/slurm.conf" <<CONF
# Written by dpotop's scripts/slurm-local.sh: a one-node test cluster.
ClusterName=local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ReturnToService=2
KillWait=10
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  if ! pgrep -x slurmctld >/dev/null; then
    slurmctld -D > "$state/slurmctld.out" 2>&1 &
  fi
  if ! pgrep -x slurmd >/dev/null; then
    slurmd -D > "$state/slurmd.out" 2>&1 &
  fi
  # Up to 5 minutes: slurmctld and slurmd start slowly on a busy machine.
  for _ in $(seq 1 300); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
      echo "slurm-local: up ($(sinfo -h -o '%N %T %c CPUs'))"
      return 0
    fi
    scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
    sleep 1
  done
  echo "slurm-local: the node did not become idle; see $state/*.log" >&2
  sinfo >&2 || true
  return 1
}

# Sends SIGTERM to the pid in file $1 (when it is the daemon $2) and waits
# up to 15 s for it to exit.
stop_pidfile() {
  local file=$1 name=$2 pid
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
      [ -d "/proc/$pid" ] || break
      sleep 0.1
    done
  fi
  rm -f "$file"
}

down() {
  stop_pidfile "$state/slurmd.pid" slurmd
  stop_pidfile "$state/slurmctld.pid" slurmctld
  if [ -f "$state/munged.ours" ]; then
    stop_pidfile /run/munge/munged.pid munged
    rm -f "$state/munged.ours"
  fi
  echo "slurm-local: down"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) sinfo; squeue ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac

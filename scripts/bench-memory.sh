#!/usr/bin/env bash
# The dashboard's resident memory with six runs of 1M steps, measured on the
# real program: six run directories holding `dpotop-bench read`'s 471 MB
# metrics.jsonl (1M records, 12 metrics each; one file, hard-linked), the
# release binary opened on them in a 200x60 tmux pane, VmRSS and VmHWM read
# from /proc once every run shows 1M steps. (`dpotop-bench render` measures
# the same data held in memory, without files.) Target (issue 5): < 400 MB.
#
#   scripts/bench-memory.sh [WORKDIR]    (default: a temporary directory; ~500 MB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product dpotop >/dev/null
swift build -c release --product dpotop-bench >/dev/null
bin=$(swift build -c release --show-bin-path)/dpotop
work=${1:-$(mktemp -d)}
session=dpotop-bench-memory-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT
mkdir -p "$work/r0"
if [ ! -s "$work/r0/metrics.jsonl" ]; then
  "$bin-bench" read --file "$work/r0/metrics.jsonl" --keep --no-python >/dev/null
fi
for i in 0 1 2 3 4 5; do
  mkdir -p "$work/r$i"
  [ -e "$work/r$i/metrics.jsonl" ] || ln "$work/r0/metrics.jsonl" "$work/r$i/metrics.jsonl"
  printf '{"format_version":1,"id":"mem-%s","name":"mem-%s","created_at":0,"trainer":"dpotop","status":"finished","objective":"dpo","beta":0.1,"planned_steps":1000000}\n' \
    "$i" "$i" >"$work/r$i/run.json"
done
start=$(date +%s.%N)
tmux new-session -d -s "$session" -x 200 -y 60 "LANG=C.UTF-8 TERM=xterm-256color '$bin' '$work'"
for _ in $(seq 1 600); do
  sleep 0.5
  if [ "$(tmux capture-pane -p -t "$session" | grep -c ' 1M/1M ')" = 6 ]; then break; fi
done
loaded=$(date +%s.%N)
pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')
sleep 2
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
shown=$(tmux capture-pane -p -t "$session" | grep -c ' 1M/1M ' || true)
printf 'six 1M-step runs (12 metrics each, 471 MB of JSON per run): %s of 6 loaded in %.1f s\n' \
  "$shown" "$(echo "$loaded - $start" | bc)"
echo "  resident after loading: $rss MB (target < 400 MB); peak while loading: $hwm MB"
[ "$shown" = 6 ] && [ "$rss" -lt 400 ]

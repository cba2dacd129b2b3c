#!/usr/bin/env bash
# The default sweep's six runs (dpo, dpop × β 0.1, 0.3, 1.0; 150 steps; two at a
# time, --threads 1 each: the argv SweepCreator.trainArguments builds) without and
# with the shared reference log-prob cache (--ref-cache), alternating, best of
# ROUNDS wall times each; prints both, the ratio and `uptime`, and checks that
# every metrics.jsonl is the same with and without the cache (time and
# tokens_per_second aside).
#
#   scripts/bench-sweep-refcache.sh [ROUNDS]      (default 2; release build first)
set -euo pipefail
cd "$(dirname "$0")/.."
DPOTOP=${DPOTOP:-$PWD/.build/release/dpotop}
REF=${REF:-$PWD/sample-runs/reference/checkpoints/final.ckpt}
ROUNDS=${1:-2}
[ -x "$DPOTOP" ] || { echo "no $DPOTOP: run 'swift build -c release' first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# sweep DIR yes|no: the six runs, two at a time; prints the wall seconds and the
# trainers' CPU seconds (user + system; less sensitive to a busy machine).
sweep() {
  local dir=$1 cache=$2 t0 t1
  mkdir -p "$dir"
  t0=$(date +%s.%N)
  local running=0
  for obj in dpo dpop; do
    for beta in 0.1 0.3 1.0; do
      local args=(train --objective "$obj" --beta "$beta" --steps 150 --lr 0.0001
        --data math-low-edit --seed 1 --out "$dir/$obj-b$beta-s1" --threads 1 --ref "$REF")
      [ "$obj" = dpop ] && args+=(--lambda 50)
      [ "$cache" = yes ] && args+=(--ref-cache "$dir/reference-cache")
      if [ "$running" -ge 2 ]; then wait -n; running=$((running - 1)); fi
      "$DPOTOP" "${args[@]}" >"$dir/$obj-b$beta-s1.log" 2>&1 &
      running=$((running + 1))
    done
  done
  wait
  t1=$(date +%s.%N)
  # `times`' second line: the children's user and system time, e.g. "2m3.100s 0m1.200s".
  # (Redirected, not piped: a pipeline's subshell has no children of its own.)
  times >"$dir/times"
  sed -n 2p "$dir/times" | awk -v a="$t0" -v b="$t1" '{
    split($1, u, /[ms]/); split($2, y, /[ms]/)
    printf "%.1f %.1f\n", b - a, u[1] * 60 + u[2] + y[1] * 60 + y[2] }'
}

# The metrics of every run of DIR without wall-clock fields.
values() {
  for f in "$1"/*/metrics.jsonl; do
    echo "== $(basename "$(dirname "$f")")"
    sed -E 's/"time":[0-9.e+-]+,//; s/,"tokens_per_second":[0-9.e+-]+//' "$f"
  done
}

best_off=999999 best_on=999999
for round in $(seq 1 "$ROUNDS"); do
  read -r off off_cpu < <(sweep "$tmp/off$round" no)
  echo "round $round: without cache ${off} s wall, ${off_cpu} s CPU ($(uptime | sed 's/.*load/load/'))"
  read -r on on_cpu < <(sweep "$tmp/on$round" yes)
  echo "round $round: with cache    ${on} s wall, ${on_cpu} s CPU ($(uptime | sed 's/.*load/load/'))"
  best_off=$(awk -v a="$off" -v b="$best_off" 'BEGIN { print (a < b ? a : b) }')
  best_on=$(awk -v a="$on" -v b="$best_on" 'BEGIN { print (a < b ? a : b) }')
  if ! diff -q <(values "$tmp/off$round") <(values "$tmp/on$round") >/dev/null; then
    echo "MISMATCH: metrics differ with the cache (round $round)" >&2
    exit 1
  fi
  rm -rf "$tmp/off$round" "$tmp/on$round"
done
echo "best of $ROUNDS: without cache ${best_off} s, with cache ${best_on} s," \
  "ratio $(awk -v a="$best_on" -v b="$best_off" 'BEGIN { printf "%.3f", a / b }') (metrics identical)"

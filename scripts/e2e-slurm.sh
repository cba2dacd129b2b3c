#!/usr/bin/env bash
# End-to-end test of the Slurm backend against a real one-node cluster on this
# machine (scripts/slurm-local.sh up), with the real embedded trainer:
#   - a 2 objectives x 3 beta sweep of short runs goes through --backend slurm;
#   - every job id is recorded in sweep.json;
#   - a pending run and a running run are cancelled with 'dpotop cancel' (what
#     the dashboard's x key calls): scancel, and the manifest ends cancelled
#     (the running trainer checkpoints first);
#   - the other four finish and 'dpotop summary' shows them finished;
#   - the same sweep through --backend command with 'dpotop train' as the
#     external command finishes.
# Needs root (the cluster). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/slurm-local.sh up
swift build -c release >/dev/null
dpotop=$root/.build/release/dpotop
work=$(mktemp -d)
trap 'scancel --name=dpo-b0.1-s1 >/dev/null 2>&1 || true' EXIT
fails=0
check() { if eval "$2"; then echo "PASS $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }

cd "$work"
"$dpotop" sweep --backend slurm --steps 40 --out "$work/s"
check "six job ids recorded" '[ "$(grep -c "\"handle\" : \"job:" s/sweep.json)" = 6 ]'

# The last run is still pending (2 CPUs, one job per CPU): cancel it.
"$dpotop" cancel "$work/s/dpop-b1.0-s1"
# Wait for the third run to be running, then cancel it.
for _ in $(seq 1 120); do
  "$dpotop" sweep --status "$work/s" | grep -q 'dpo-b1.0-s1  running' && break
  sleep 1
done
sleep 2
"$dpotop" cancel "$work/s/dpo-b1.0-s1"
for _ in $(seq 1 300); do
  "$dpotop" sweep --status "$work/s" | head -1 | grep -q finished && break
  sleep 2
done
"$dpotop" sweep --status "$work/s"
check "sweep finished" '"$dpotop" sweep --status s | head -1 | grep -q finished'
for r in dpo-b0.1-s1 dpo-b0.3-s1 dpop-b0.1-s1 dpop-b0.3-s1; do
  check "$r finished (summary)" '"$dpotop" summary s/'"$r"' | grep -q "status finished"'
done
check "pending run cancelled" '"$dpotop" summary s/dpop-b1.0-s1 | grep -q "status cancelled"'
check "running run cancelled" '"$dpotop" summary s/dpo-b1.0-s1 | grep -q "status cancelled"'
check "cancelled run checkpointed" '[ -f s/dpo-b1.0-s1/checkpoints/latest.ckpt ]'
check "nothing left in the queue" '[ -z "$(squeue -h)" ]'
check "dashboard shows the sweep" \
  '"$dpotop" render s --size 120x20 | grep -q "dpo-b0.3-s1 .*finished"'

"$dpotop" sweep --backend command --steps 6 --out "$work/c" -- "$dpotop" train \
  --objective '{objective}' --beta '{beta}' --lambda '{lambda}' --steps '{steps}' \
  --seed '{seed}' --out '{out}' --eval-every 3 >/dev/null
check "command backend with dpotop train: six finished" \
  '[ "$(grep -l "\"status\" : \"finished\"" c/*/run.json | wc -l)" = 6 ]'

echo "e2e-slurm: $fails failed"
[ "$fails" = 0 ]

#!/usr/bin/env bash
# End-to-end test of the Slurm backend against a real one-node cluster on this
# machine (scripts/slurm-local.sh up), with the real embedded trainer and the
# real dashboard in tmux:
#   - a 2 objectives x 3 beta sweep of short runs goes through --backend slurm;
#     every job id is recorded in sweep.json and shown by the dashboard;
#   - the pending last run is cancelled with 'dpotop cancel';
#   - a running run is cancelled FROM THE DASHBOARD (filter to it, x, y): its
#     job leaves the queue and its manifest ends cancelled (the trainer
#     checkpoints first);
#   - the other four finish and 'dpotop summary' and the dashboard show them finished;
#   - a sweep launched from the dashboard's form with backend slurm and sbatch
#     options gets a job id per run, records the options, and finishes;
#   - the same sweep through --backend command with 'dpotop train' as the
#     external command finishes.
# Uses the debug binary (the trainer's module is optimised even in debug).
# Needs root (the cluster). The daemons are stopped at the end, also on
# failure. Exits non-zero on any FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
start=$SECONDS
work=$(mktemp -d)
session=dpotop-e2e-slurm-$$

cleanup() {
  tmux kill-session -t "$session" 2>/dev/null || true
  # Only this test's jobs: the ids its sweeps recorded.
  local ids
  ids=$(cat "$work"/*/sweep.json 2>/dev/null | grep -o '"job:[0-9]*"' | tr -dc '0-9\n' || true)
  if [ -n "$ids" ] && command -v scancel >/dev/null; then
    # shellcheck disable=SC2086
    scancel $ids 2>/dev/null || true
  fi
  bash "$root/scripts/slurm-local.sh" down || true
  rm -rf "$work"
}
trap cleanup EXIT

bash scripts/slurm-local.sh up
swift build 2>&1 | tail -1
dpotop=$(swift build --show-bin-path)/dpotop
fails=0
check() { if eval "$2"; then echo "PASS $1"; else echo "FAIL $1"; fails=$((fails + 1)); fi; }

pane() { tmux capture-pane -p -t "$session" 2>/dev/null || true; }
# wait_pane WHAT REGEX [SECONDS]: polls the dashboard's screen for REGEX.
wait_pane() {
  local i
  for i in $(seq 1 $((${3:-20} * 5))); do
    if pane | grep -qE -- "$2"; then return 0; fi
    sleep 0.2
  done
  echo "timed out waiting for $1; the screen:"
  pane
  return 1
}
keys() { tmux send-keys -t "$session" "$@"; }
text() { tmux send-keys -t "$session" -l -- "$1"; }
# The job id sweep DIR recorded for RUN.
job_of() {
  python3 -c 'import json, sys
runs = json.load(open(sys.argv[1] + "/sweep.json"))["runs"]
print(next((r.get("handle") or "")[4:] for r in runs if r["name"] == sys.argv[2]))' "$1" "$2"
}
in_queue() { squeue -h -o %i | grep -qx "$1"; }
status_of() { "$dpotop" sweep --status "$1" | awk -v r="$2" '$1 == r { print $2 }'; }

cd "$work"
# Half the node's CPUs per job: at most two jobs run at once on any machine,
# so the last run is surely still pending when it is cancelled.
per_job=$(( $(nproc) / 2 > 1 ? $(nproc) / 2 : 1 ))
"$dpotop" sweep --backend slurm --steps 60 --out s --slurm-arg=--cpus-per-task=$per_job
check "six job ids recorded" '[ "$(grep -c "\"handle\" : \"job:" s/sweep.json)" = 6 ]'

# The dashboard, watching the sweep.
# 200 columns: the runs pane gives narrower widths' room to names before the job column.
tmux new-session -d -s "$session" -x 200 -y 40 \
  "env -i PATH=/usr/bin:/bin HOME=/tmp PS1='$ ' TERM=xterm-256color LANG=C.UTF-8 sh"
keys "cd '$work' && '$dpotop' s" Enter
pending_job=$(job_of s dpop-b1.0-s1)
check "dashboard shows the pending run's job id and PD" \
  'wait_pane "job ids" "queued .* $pending_job PD"'

# The last run is still pending (two jobs at a time): cancel it here.
"$dpotop" cancel "$work/s/dpop-b1.0-s1"

# Wait for the third run to be running, then cancel it from the dashboard.
for _ in $(seq 1 120); do
  [ "$(status_of s dpo-b1.0-s1)" = running ] && break
  sleep 0.5
done
job=$(job_of s dpo-b1.0-s1)
keys /
text "dpo-b1.0"
keys Enter
check "filtered to the running run" 'wait_pane "the filter" "runs 1/6"'
# The list opens on the sweep's header row: step down to the run first.
keys Down
keys Enter
check "detail shows the Slurm job running" \
  'wait_pane "the detail screen" "slurm job +$job \(RUNNING\)" 10'
keys Escape
keys x
check "cancel asks first" 'wait_pane "the confirmation" "cancel dpo-b1\.0-s1\? y/n"'
keys y
check "cancel sent scancel from the dashboard" \
  'wait_pane "the notice" "dpo-b1\.0-s1: scancel $job \(running\)"'
echo "--- the dashboard after the cancel ---"
pane
echo "---"
gone=1
for _ in $(seq 1 60); do
  if ! in_queue "$job"; then gone=0 && break; fi
  sleep 0.5
done
check "cancelled job $job left the queue" '[ "$gone" = 0 ]'
for _ in $(seq 1 60); do
  [ "$(status_of s dpo-b1.0-s1)" = cancelled ] && break
  sleep 0.5
done
check "cancelled from the dashboard: manifest cancelled" \
  '"$dpotop" summary s/dpo-b1.0-s1 | grep -q "status cancelled"'
check "cancelled run checkpointed" '[ -f s/dpo-b1.0-s1/checkpoints/latest.ckpt ]'

for _ in $(seq 1 300); do
  "$dpotop" sweep --status s | head -1 | grep -q finished && break
  sleep 2
done
"$dpotop" sweep --status s
check "sweep finished" '"$dpotop" sweep --status s | head -1 | grep -q finished'
for r in dpo-b0.1-s1 dpo-b0.3-s1 dpop-b0.1-s1 dpop-b0.3-s1; do
  check "$r finished (summary)" '"$dpotop" summary s/'"$r"' | grep -q "status finished"'
done
check "pending run cancelled" '"$dpotop" summary s/dpop-b1.0-s1 | grep -q "status cancelled"'
check "nothing left in the queue" '[ -z "$(squeue -h)" ]'
keys Escape
first_job=$(job_of s dpo-b0.1-s1)
check "dashboard shows finished runs with their job ids" \
  'wait_pane "finished runs" "finished .* $first_job " 15'
check "summary render shows the sweep" \
  '"$dpotop" render s --size 120x20 | grep -q "6 runs: .*finished"'

# A sweep launched from the dashboard's form, backend slurm, with sbatch options.
# Fields: objectives betas lambda steps lr data seeds jobs out backend "slurm args".
keys n
check "the form opens" 'wait_pane "the form" "new sweep \(local\)"'
keys Tab C-u
text "0.1,0.3"
keys Tab Tab C-u
text "6"
keys Tab Tab Tab Tab Tab C-u
text "f"
keys Tab C-u
text "slurm"
keys Tab C-u
sbatch_args="--time=5 --comment 'dpotop e2e'"
text "$sbatch_args"
check "the form shows backend slurm and the sbatch options" \
  'wait_pane "the slurm form" "new sweep \(slurm\)" 5 && wait_pane "the args" "slurm args +$sbatch_args" 5'
keys Enter
check "form launch submitted four jobs" 'wait_pane "the launch" "sweep started: f \(4 Slurm jobs\)"'
check "form sweep: four job ids recorded" \
  '[ "$(grep -c "\"handle\" : \"job:" f/sweep.json 2>/dev/null)" = 4 ]'
check "form sweep: sbatch options recorded as three arguments" \
  'python3 -c "import json, sys; sys.exit(json.load(open(\"f/sweep.json\"))[\"slurm_args\"] != [\"--time=5\", \"--comment\", \"dpotop e2e\"])"'
for _ in $(seq 1 120); do
  [ "$(grep -l "\"status\" : \"finished\"" f/*/run.json 2>/dev/null | wc -l)" = 4 ] && break
  sleep 1
done
check "form sweep: four runs finished" \
  '[ "$(grep -l "\"status\" : \"finished\"" f/*/run.json 2>/dev/null | wc -l)" = 4 ]'
f_job=$(job_of f dpop-b0.3-s1)
check "dashboard shows the form sweep's runs finished with job ids" \
  'wait_pane "form sweep runs" "finished .* $f_job " 15'
keys q
tmux kill-session -t "$session" 2>/dev/null || true

"$dpotop" sweep --backend command --steps 6 --out "$work/c" -- "$dpotop" train \
  --objective '{objective}' --beta '{beta}' --lambda '{lambda}' --steps '{steps}' \
  --seed '{seed}' --out '{out}' --eval-every 3 >/dev/null
check "command backend with dpotop train: six finished" \
  '[ "$(grep -l "\"status\" : \"finished\"" c/*/run.json | wc -l)" = 6 ]'

echo "e2e-slurm: $fails failed in $((SECONDS - start)) s"
[ "$fails" = 0 ]

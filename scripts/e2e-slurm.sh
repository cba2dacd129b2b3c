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
# A check never ends a pipeline in `grep -q` or `head`: under pipefail, a
# producer still writing when grep has its match dies of SIGPIPE and the
# check fails (a run's summary grew past one 4 KiB write with best-of-N).
# Every wait is on the condition the next check needs, with a deadline sized
# for a slow, busy machine (minutes); a wait that gives up is a FAIL naming
# what it waited for and ends the test: nothing is checked after a state that
# was never reached. The run cancelled from the dashboard is the first one
# (running from the moment the sweep starts, for longer than the dashboard
# needs to cancel it on any machine), not one that has to wait its turn.
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
source scripts/lib/checks.sh
POLL=0.5

pane() { tmux capture-pane -p -t "$session" 2>/dev/null || true; }
# What a wait that gives up prints (scripts/lib/checks.sh's wait_until).
give_up_hook() {
  "$dpotop" sweep --status "$work/s" 2>&1 | sed 's/^/  /' || true
  squeue 2>&1 | sed 's/^/  /' || true
  echo "e2e-slurm: gave up waiting in $((SECONDS - start)) s"
}
# wait_pane WHAT REGEX [SECONDS]: polls the dashboard's screen for REGEX
# (default 120 s: a busy machine redraws late, never wrongly); giving up is
# a FAIL that ends the test, as in wait_until.
wait_pane() {
  local i
  for i in $(seq 1 $((${3:-120} * 5))); do
    if pane | grep -qE -- "$2"; then return 0; fi
    sleep 0.2
  done
  echo "FAIL timed out after ${3:-120} s waiting for $1; the screen:"
  pane
  echo "e2e-slurm: gave up waiting in $((SECONDS - start)) s"
  exit 1
}
keys() { tmux send-keys -t "$session" "$@"; }
text() { tmux send-keys -t "$session" -l -- "$1"; }
# The job id sweep DIR recorded for RUN.
job_of() {
  python3 -c 'import json, sys
runs = json.load(open(sys.argv[1] + "/sweep.json"))["runs"]
print(next((r.get("handle") or "")[4:] for r in runs if r["name"] == sys.argv[2]))' "$1" "$2"
}
in_queue() { squeue -h -o %i | grep -x "$1" >/dev/null; }
not_in_queue() { ! in_queue "$1"; }
status_of() { "$dpotop" sweep --status "$1" | awk -v r="$2" '$1 == r { print $2 }'; }
status_is() { [ "$(status_of "$1" "$2")" = "$3" ]; }
sweep_finished() { "$dpotop" sweep --status "$1" | sed -n 1p | grep finished >/dev/null; }
finished_runs() { grep -l "\"status\" : \"finished\"" "$1"/*/run.json 2>/dev/null | wc -l; }
all_finished() { [ "$(finished_runs "$1")" = "$2" ]; }

cd "$work"
# Half the node's CPUs per job: at most two jobs run at once on any machine,
# so the last run is surely still pending when it is cancelled.
per_job=$(( $(nproc) / 2 > 1 ? $(nproc) / 2 : 1 ))
"$dpotop" sweep --backend slurm --steps 100 --out s --slurm-arg=--cpus-per-task=$per_job
check "six job ids recorded" '[ "$(grep -c "\"handle\" : \"job:" s/sweep.json)" = 6 ]'

# The dashboard, watching the sweep.
# 200 columns: the runs pane gives narrower widths' room to names before the job column.
tmux new-session -d -s "$session" -x 200 -y 40 \
  "env -i PATH=/usr/bin:/bin HOME=/tmp XDG_STATE_HOME='$work/state' PS1='$ ' TERM=xterm-256color LANG=C.UTF-8 sh"
keys "cd '$work' && '$dpotop' s" Enter
pending_job=$(job_of s dpop-b1.0-s1)
check "dashboard shows the pending run's job id and PD" \
  'wait_pane "job ids" "queued .* $pending_job PD"'

# The last run is still pending (two jobs at a time): cancel it here.
"$dpotop" cancel "$work/s/dpop-b1.0-s1"

# The first run trains from the start: cancel it from the dashboard while it
# runs (its 100 steps, ~25 s on a 2-core AVX2 machine and ~10 s on a fast
# AVX-512 one, outlast the few seconds the keys below take).
wait_until "dpo-b0.1-s1 to be running" 600 status_is s dpo-b0.1-s1 running
job=$(job_of s dpo-b0.1-s1)
keys /
text "dpo-b0.1"
keys Enter
check "filtered to the running run" 'wait_pane "the filter" "runs 1/6"'
# The list opens on the sweep's header row: step down to the run first.
keys Down
keys Enter
check "detail shows the Slurm job running" \
  'wait_pane "the detail screen" "slurm job +$job \(RUNNING\)"'
keys Escape
keys x
check "cancel asks first" 'wait_pane "the confirmation" "cancel dpo-b0\.1-s1\? y/n"'
keys y
check "cancel sent scancel from the dashboard" \
  'wait_pane "the notice" "dpo-b0\.1-s1: scancel $job \(running\)"'
echo "--- the dashboard after the cancel ---"
pane
echo "---"
wait_until "the cancelled job $job to leave the queue" 300 not_in_queue "$job"
check "cancelled job $job left the queue" 'not_in_queue "$job"'
wait_until "dpo-b0.1-s1's manifest to say cancelled" 300 status_is s dpo-b0.1-s1 cancelled
check "cancelled from the dashboard: manifest cancelled" \
  '"$dpotop" summary s/dpo-b0.1-s1 | grep "status cancelled" >/dev/null'
check "cancelled run checkpointed" '[ -f s/dpo-b0.1-s1/checkpoints/latest.ckpt ]'

# Four runs of 100 steps, two at a time: minutes on a slow, busy machine.
wait_until "the sweep to finish" 1800 sweep_finished s
"$dpotop" sweep --status s
check "sweep finished" 'sweep_finished s'
for r in dpo-b0.3-s1 dpo-b1.0-s1 dpop-b0.1-s1 dpop-b0.3-s1; do
  check "$r finished (summary)" '"$dpotop" summary s/'"$r"' | grep "status finished" >/dev/null'
done
check "pending run cancelled" '"$dpotop" summary s/dpop-b1.0-s1 | grep "status cancelled" >/dev/null'
check "nothing left in the queue" '[ -z "$(squeue -h)" ]'
keys Escape
first_job=$(job_of s dpo-b0.3-s1)
check "dashboard shows finished runs with their job ids" \
  'wait_pane "finished runs" "finished .* $first_job "'
check "summary render shows the sweep" \
  '"$dpotop" render s --size 120x20 | grep "6 runs: .*finished" >/dev/null'

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
  'wait_pane "the slurm form" "new sweep \(slurm\)" && wait_pane "the args" "slurm args +$sbatch_args"'
keys Enter
check "form launch submitted four jobs" 'wait_pane "the launch" "sweep started: f \(4 Slurm jobs\)"'
check "form sweep: four job ids recorded" \
  '[ "$(grep -c "\"handle\" : \"job:" f/sweep.json 2>/dev/null)" = 4 ]'
check "form sweep: sbatch options recorded as three arguments" \
  'python3 -c "import json, sys; sys.exit(json.load(open(\"f/sweep.json\"))[\"slurm_args\"] != [\"--time=5\", \"--comment\", \"dpotop e2e\"])"'
wait_until "the form sweep's four runs to finish" 1200 all_finished f 4
check "form sweep: four runs finished" 'all_finished f 4'
f_job=$(job_of f dpop-b0.3-s1)
check "dashboard shows the form sweep's runs finished with job ids" \
  'wait_pane "form sweep runs" "finished .* $f_job "'
keys q
tmux kill-session -t "$session" 2>/dev/null || true

"$dpotop" sweep --backend command --steps 6 --out "$work/c" -- "$dpotop" train \
  --objective '{objective}' --beta '{beta}' --lambda '{lambda}' --steps '{steps}' \
  --seed '{seed}' --out '{out}' --eval-every 3 >/dev/null
check "command backend with dpotop train: six finished" 'all_finished c 6'

echo "e2e-slurm: $fails failed in $((SECONDS - start)) s"
[ "$fails" = 0 ]

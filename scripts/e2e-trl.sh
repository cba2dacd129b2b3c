#!/usr/bin/env bash
# End-to-end check of `dpotop sweep --preset trl` against the real TRL CLI
# (opt-in; not part of `swift test`). Needs Python with torch, trl,
# transformers, datasets and tensorboard (and wandb for --report-to wandb):
# `bash scripts/peer-venv.sh torch trl transformers datasets tensorboard wandb`.
# The interpreter is chosen as dpotop's benches choose it: $DPOTOP_PYTHON, else
# the peer venv (~/.cache/dpotop/peer-venv), else python3; its bin directory
# goes first on PATH so the `trl` command installed beside it is found. No
# model hub: dpotop exports its shipped reference model (GPT-2 architecture,
# character tokenizer) and its math-low-edit pairs locally (scripts/trl/make_tiny.py).
#
# What it checks, each printed PASS or FAIL (exit 1 if any FAIL, 2 if TRL is
# missing):
#   - `--preset trl --objectives dpo,kto` is refused (an objective neither TRL
#     nor the integration has), naming it, and creates nothing;
#   - the preset's program `dpotop-trl-dpo` (integrations/trl, installed into
#     the interpreter's environment by this script) is found on PATH by the
#     local supervisor;
#   - a 3 objectives x 2 beta sweep (dpo, ipo, slic; beta 0.1, 1.0) of short
#     CPU runs: while it trains, `dpotop summary RUN` shows each run's
#     rewards/chosen series growing (the dashboard's reader, live);
#   - all six runs end `finished`, TRL wrote its event files and checkpoints
#     into the run directories, and every run shows every logged step;
#   - with --report-to wandb: TRL also logs to W&B, offline (WANDB_MODE=offline,
#     no network), into WORK/wandb-logs/wandb/offline-run-*/; each of the six
#     W&B runs is found by its name, and `dpotop summary --json` on its
#     directory shows every key TRL logged (train and eval) with the same point
#     count, first and last step, last value, minimum and maximum as TRL's own
#     checkpoint-STEPS/trainer_state.json, and the objective, beta, learning
#     rate, steps, seed and status of the sweep's run.json (compare_state.py).
#
# Usage: scripts/e2e-trl.sh [--steps N] [--keep DIR] [--report-to wandb]
#   --steps N           steps per run (default 40, logged every step)
#   --keep DIR          work in DIR (must not exist) and keep it, instead of a temp dir
#   --report-to wandb   also report to W&B (offline) and check dpotop's reading of it
set -u

STEPS=40
KEEP=""
WANDB=0
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) STEPS="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    --report-to)
      case "${2:-}" in
        wandb) WANDB=1 ;;
        tensorboard) WANDB=0 ;;
        *) echo "e2e-trl: --report-to takes wandb or tensorboard" >&2; exit 2 ;;
      esac
      shift 2 ;;
    -h | --help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "e2e-trl: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The same rule as PeerPython.executable (Sources/Processes/PeerPython.swift).
VENV_PY="${DPOTOP_PEER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dpotop/peer-venv}/bin/python"
if [ -n "${DPOTOP_PYTHON:-}" ]; then PY="$DPOTOP_PYTHON"
elif [ -x "$VENV_PY" ]; then PY="$VENV_PY"
else PY=python3; fi
# `trl` is installed beside a chosen interpreter (a venv's bin); the
# supervisor finds it on PATH, which dpotop's children inherit.
case "$PY" in */*) export PATH="$(dirname "$PY"):$PATH" ;; esac
T0=$(date +%s)
FAILS=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; FAILS=$((FAILS + 1)); }
elapsed() { echo "$(($(date +%s) - $1))s"; }

# --- prerequisites -----------------------------------------------------------
MODULES="torch, trl, transformers, datasets, tensorboard"
[ "$WANDB" -eq 1 ] && MODULES="$MODULES, wandb"
if ! "$PY" -c "import $MODULES" 2>/dev/null; then
  echo "e2e-trl: $PY cannot import $MODULES." >&2
  echo "  install them with: bash scripts/peer-venv.sh ${MODULES//,/}  (or set DPOTOP_PYTHON)" >&2
  exit 2
fi
# The preset runs the integration's wrapper of `trl dpo`: install this checkout's.
bash "$ROOT/scripts/trl/install-integration.sh" "$PY" >&2
TRL_BIN="$(command -v dpotop-trl-dpo || true)"
if [ -z "$TRL_BIN" ]; then
  echo "e2e-trl: 'dpotop-trl-dpo' is not on PATH after pip install ./integrations/trl" >&2
  exit 2
fi
"$PY" -c 'import torch, trl, transformers, tensorboard, datasets
print("versions: torch", torch.__version__, " trl", trl.__version__, " transformers",
      transformers.__version__, " tensorboard", tensorboard.__version__, " datasets",
      datasets.__version__)'
[ "$WANDB" -eq 1 ] && "$PY" -c 'import wandb; print("versions: wandb", wandb.__version__)'

if [ -n "$KEEP" ]; then
  if [ -e "$KEEP" ]; then echo "e2e-trl: $KEEP exists" >&2; exit 2; fi
  mkdir -p "$KEEP" && WORK="$(cd "$KEEP" && pwd)"
else
  WORK="$(mktemp -d /tmp/dpotop-e2e-trl.XXXXXX)"
fi
SWEEP_PID=""
cleanup() {
  if [ -n "$SWEEP_PID" ] && kill -0 "$SWEEP_PID" 2>/dev/null; then kill "$SWEEP_PID"; fi
  if [ -z "$KEEP" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
echo "work dir: $WORK"

# --- dpotop; the model and data it exports ----------------------------------
t=$(date +%s)
if ! (cd "$ROOT" && swift build > "$WORK/build.log" 2>&1); then
  tail -30 "$WORK/build.log"
  echo "e2e-trl: swift build failed" >&2
  exit 1
fi
DPOTOP="$(cd "$ROOT" && swift build --show-bin-path)/dpotop"
echo "swift build: $(elapsed "$t")"

# --- the model and data, exported by dpotop itself ---------------------------
t=$(date +%s)
if ! "$PY" "$ROOT/scripts/trl/make_tiny.py" "$WORK/tiny" --dpotop "$DPOTOP" > "$WORK/make_tiny.log" 2>&1; then
  cat "$WORK/make_tiny.log"
  echo "e2e-trl: exporting the model and data failed" >&2
  exit 1
fi
grep -E '^(data|model):' "$WORK/make_tiny.log"
echo "exported model and data: $(elapsed "$t")"

# The options after -- : everything the preset leaves to the user. CPU, fp32,
# no gradient checkpointing (pointless at this size), an eval and a checkpoint
# every 10 steps so trainer_state.json and eval entries exist.
EXTRA=(
  --model_name_or_path "$WORK/tiny/model" --dataset_name "$WORK/tiny/data"
  --per_device_train_batch_size 8 --per_device_eval_batch_size 8 --max_length 128
  --use_cpu --bf16 false --no_gradient_checkpointing
  --eval_strategy steps --eval_steps 10 --save_steps 10 --disable_tqdm true
)
# W&B as well as TensorBoard (the preset's --report_to tensorboard stays, so
# every check above still has its event files): HF's parser takes one value
# per --report_to, and `all` is every reporting package installed (tensorboard
# and wandb in the peer venv; the trainer logs which it uses). Offline, so no
# network and no account: W&B's files go to WANDB_DIR/wandb/offline-run-*/.
if [ "$WANDB" -eq 1 ]; then
  EXTRA+=(--report_to all)
  export WANDB_MODE=offline WANDB_SILENT=true
fi

# --- refusal -------------------------------------------------------------------
out="$("$DPOTOP" sweep --preset trl --objectives dpo,kto --betas 0.1 --out "$WORK/refused" \
  -- "${EXTRA[@]}" 2>&1)"
rc=$?
if [ $rc -ne 0 ] && grep -q "unknown objective 'kto'" <<< "$out" && [ ! -e "$WORK/refused" ]
then
  pass "--preset trl --objectives dpo,kto refused (exit $rc): $(head -1 <<< "$out")"
else
  fail "--preset trl with kto: exit $rc, output: $out"
fi

# --- the sweep -------------------------------------------------------------
RUNS=(dpo-b0.1-s1 dpo-b1.0-s1 ipo-b0.1-s1 ipo-b1.0-s1 slic-b0.1-s1 slic-b1.0-s1)
start_sweep() { # $1: directory to run dpotop from, $2: sweep dir
  # One W&B directory per sweep, beside it (WANDB_DIR is an environment
  # variable every run inherits; the preset's argv has no per-run place for
  # it, and inside the sweep each training would show twice: TRL's output
  # directory and its W&B run).
  if [ "$WANDB" -eq 1 ]; then mkdir -p "$2.wandb" && export WANDB_DIR="$2.wandb"; fi
  (cd "$1" && exec "$DPOTOP" sweep --preset trl --objectives dpo,ipo,slic --betas 0.1,1.0 \
    --steps "$STEPS" --lr 0.001 --jobs 2 --out "$2" -- "${EXTRA[@]}") \
    > "$2.log" 2>&1 &
  SWEEP_PID=$!
}

mkdir -p "$WORK/cwd"
SWEEP="$WORK/sweep"
t=$(date +%s)
start_sweep "$WORK/cwd" "$SWEEP"
# A supervisor that cannot start `dpotop-trl-dpo` stops within a second or two.
sleep 3
if ! kill -0 "$SWEEP_PID" 2>/dev/null && grep -q "cannot start dpotop-trl-dpo" "$SWEEP.log"; then
  wait "$SWEEP_PID"
  fail "the local supervisor did not find 'dpotop-trl-dpo' on PATH: $(grep 'cannot start' "$SWEEP.log")"
  # Go on with a work-around so the rest is still checked: a relative program
  # name is resolved against the working directory, so run from one holding
  # a link named dpotop-trl-dpo.
  mkdir -p "$WORK/cwd2" && ln -sf "$TRL_BIN" "$WORK/cwd2/dpotop-trl-dpo"
  SWEEP="$WORK/sweep-workaround"
  start_sweep "$WORK/cwd2" "$SWEEP"
  echo "      (continuing with a link $WORK/cwd2/dpotop-trl-dpo -> $TRL_BIN)"
else
  pass "the local supervisor started 'dpotop-trl-dpo' from PATH"
fi

# Watch: every second, what `dpotop summary` shows of each run.
OBS="$WORK/observations.txt"
: > "$OBS"
deadline=$(($(date +%s) + 1200))
while kill -0 "$SWEEP_PID" 2>/dev/null; do
  if [ "$(date +%s)" -gt "$deadline" ]; then
    fail "sweep still running after 20 minutes; stopping it"
    kill "$SWEEP_PID"
    break
  fi
  paths=()
  for r in "${RUNS[@]}"; do paths+=("$SWEEP/$r"); done
  "$DPOTOP" summary --json "${paths[@]}" 2>/dev/null \
    | "$PY" "$ROOT/scripts/trl/observe.py" rewards/chosen 2>/dev/null \
    | sed "s/^/$(date +%s) /" >> "$OBS"
  # What TRL has flushed to disk so far, per run (bytes of its event files).
  for r in "${RUNS[@]}"; do
    bytes=$(cat "$SWEEP/$r"/runs/*/events.out.tfevents.* 2>/dev/null | wc -c)
    status="$(grep -o '"status" : "[a-z]*"' "$SWEEP/$r/run.json" 2>/dev/null | cut -d'"' -f4)"
    echo "$(date +%s) $r ${status:-?} $bytes" >> "$OBS.events"
  done
  # The W&B runs as dpotop discovers them in the W&B directory, named and
  # with a status of their own (no run.json: guessed from the file's time).
  if [ "$WANDB" -eq 1 ] && [ -d "$SWEEP.wandb/wandb" ]; then
    "$DPOTOP" summary --json "$SWEEP.wandb/wandb" 2>/dev/null \
      | "$PY" "$ROOT/scripts/trl/observe.py" rewards/chosen 2>/dev/null \
      | sed "s/^/$(date +%s) /" >> "$OBS.wandb"
  fi
  sleep 1
done
wait "$SWEEP_PID"
sweep_rc=$?
SWEEP_PID=""
echo "sweep: $(elapsed "$t") (exit $sweep_rc)"
sed 's/^/      /' "$SWEEP.log"

# Live: some run showed a rewards/chosen series that grew while it was running.
live="$(awk '$3 == "running" && $4 > 0 { if (($2) in first && $4 > first[$2]) grown[$2] = 1;
                                          else if (!(($2) in first)) first[$2] = $4 }
             END { n = 0; for (r in grown) n++; print n }' "$OBS")"
seen="$(awk '$3 == "running" && $4 > 0 { print $2 }' "$OBS" | sort -u | wc -l)"
if [ "${live:-0}" -gt 0 ]; then
  pass "dpotop summary showed rewards/chosen growing while running, in $live of 6 runs ($seen seen with points while running)"
else
  fail "dpotop summary never showed a growing rewards/chosen while a run was running ($(wc -l < "$OBS") observations; $seen runs with points while running)"
fi

# The same for the files themselves: TRL flushed events while running.
grew="$(awk '$3 == "running" && $4 > 0 { if (($2) in first && $4 > first[$2]) grown[$2] = 1;
                                          else if (!(($2) in first)) first[$2] = $4 }
             END { n = 0; for (r in grown) n++; print n }' "$OBS.events")"
if [ "${grew:-0}" -gt 0 ]; then
  pass "TRL's event files grew while running, in $grew of 6 runs (live data is on disk)"
else
  fail "TRL's event files never grew while a run was running"
fi
# Only a note for W&B: wandb-core writes whole 32 KiB blocks while a run goes
# (docs/importers.md), and a run here writes about 100 kB in a few seconds of
# training, so whether a block lands while the run is still `running` is
# timing, not dpotop.
if [ "$WANDB" -eq 1 ]; then
  wgrew="$(awk '$3 == "running" && $4 > 0 { if (($2) in first && $4 > first[$2]) grown[$2] = 1;
                                             else if (!(($2) in first)) first[$2] = $4 }
                END { n = 0; for (r in grown) n++; print n }' "$OBS.wandb" 2>/dev/null)"
  wseen="$(awk '$3 == "running" && $4 > 0 { print $2 }' "$OBS.wandb" 2>/dev/null | sort -u | wc -l)"
  echo "NOTE  W&B: dpotop summary on the W&B directory showed rewards/chosen growing while running in ${wgrew:-0} of 6 runs ($wseen seen with points while running)"
fi

# --- outcome -----------------------------------------------------------------
if [ "$sweep_rc" -eq 0 ]; then pass "sweep exited 0"; else fail "sweep exited $sweep_rc"; fi
finished=0
for r in "${RUNS[@]}"; do
  status="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' \
    "$SWEEP/$r/run.json" 2>/dev/null)"
  [ "$status" = "finished" ] && finished=$((finished + 1))
  [ "$status" = "finished" ] || fail "$r: status '$status'; log tail: $(tail -3 "$SWEEP/$r/trainer.log" 2>/dev/null)"
done
[ "$finished" -eq 6 ] && pass "all 6 runs finished (run.json)"

wrote=0
for r in "${RUNS[@]}"; do
  ev=$(ls "$SWEEP/$r"/runs/*/events.out.tfevents.* 2>/dev/null | wc -l)
  st=$(ls "$SWEEP/$r"/checkpoint-*/trainer_state.json 2>/dev/null | wc -l)
  if [ "$ev" -ge 1 ] && [ "$st" -ge 1 ]; then wrote=$((wrote + 1)); else
    fail "$r: TRL wrote $ev event files and $st checkpoint trainer_state.json files"
  fi
done
[ "$wrote" -eq 6 ] && pass "TRL wrote runs/*/events.out.tfevents.* and checkpoint-*/trainer_state.json in all 6"

complete=0
for r in "${RUNS[@]}"; do
  line="$("$DPOTOP" summary --json "$SWEEP/$r" 2>/dev/null | "$PY" "$ROOT/scripts/trl/observe.py")"
  count=$(awk '{ print $3 }' <<< "$line")
  if [ "${count:-0}" -eq "$STEPS" ]; then complete=$((complete + 1)); else
    fail "$r: dpotop summary shows ${count:-0} of $STEPS rewards/chosen points ($line)"
  fi
done
[ "$complete" -eq 6 ] && pass "dpotop summary shows all $STEPS steps of rewards/chosen in all 6 runs"

# --- W&B: what dpotop reads of each .wandb file = TRL's own log history ------
if [ "$WANDB" -eq 1 ]; then
  WB="$SWEEP.wandb/wandb"
  # Which W&B run is which: dpotop's name for it (W&B's display name, which
  # HF's callback sets from --run_name, i.e. the run directory's name).
  declare -A WB_RUN=()
  for d in "$WB"/offline-run-*/; do
    [ -d "$d" ] || continue
    name="$("$DPOTOP" summary --json "$d" 2>/dev/null | "$PY" "$ROOT/scripts/trl/observe.py"       | awk '{ print $1 }')"
    WB_RUN["$name"]="${d%/}"
  done
  found=0
  for r in "${RUNS[@]}"; do [ -n "${WB_RUN[$r]:-}" ] && found=$((found + 1)); done
  if [ "$found" -eq 6 ] && [ "${#WB_RUN[@]}" -eq 6 ]; then
    pass "6 W&B offline runs in $WB, each named as its run directory"
  else
    fail "W&B runs: ${#WB_RUN[@]} in $WB (names: ${!WB_RUN[*]}), $found of 6 matching a run"
  fi
  matched=0
  for r in "${RUNS[@]}"; do
    d="${WB_RUN[$r]:-}"
    [ -n "$d" ] || continue
    # TRL's own record: the output directory's trainer_state.json when the
    # script saved one, else the newest checkpoint's.
    state="$SWEEP/$r/trainer_state.json"
    if [ ! -f "$state" ]; then
      state="$(ls -d "$SWEEP/$r"/checkpoint-*/trainer_state.json 2>/dev/null | sort -t- -k2 -n | tail -1)"
    fi
    if [ -z "$state" ]; then fail "$r: no trainer_state.json to compare with"; continue; fi
    report="$("$DPOTOP" summary --json "$d" 2>"$WORK/wandb-$r.err"       | "$PY" "$ROOT/scripts/trl/compare_state.py" "$state" "$SWEEP/$r/run.json")"
    rc=$?
    echo "$report" > "$WORK/wandb-$r.compare"
    result="$(grep '^result:' <<< "$report")"
    if [ $rc -eq 0 ]; then
      matched=$((matched + 1))
      [ "$r" = "${RUNS[0]}" ] && sed 's/^/      /' <<< "$report"
      echo "      $r: ${result#result: } (vs ${state#"$SWEEP/"})"
    else
      fail "$r: dpotop's reading of $(ls "$d"/*.wandb 2>/dev/null | head -1) differs from ${state#"$SWEEP/"}:"
      grep -v '^ok' <<< "$report" | sed 's/^/      /'
      [ -s "$WORK/wandb-$r.err" ] && sed 's/^/      stderr: /' "$WORK/wandb-$r.err"
    fi
  done
  [ "$matched" -eq 6 ] &&
    pass "every TRL key (train and eval) in all 6 W&B runs: same point count, first/last step, last, min, max as trainer_state.json; manifest as run.json"
fi

echo "total: $(elapsed "$T0"); $FAILS failed"
[ "$FAILS" -eq 0 ]

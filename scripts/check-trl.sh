#!/usr/bin/env bash
# CI check of the TRL integration (integrations/trl, issue 25), on the exported
# tiny reference model (356 832 parameters, CPU). Prints PASS / FAIL per check,
# exits 1 if any failed, 2 when the peer venv cannot be made.
#
#   1. pip install ./integrations/trl into the peer venv (scripts/peer-venv.sh,
#      with torch trl transformers datasets tensorboard peft);
#   2. the DPOP loss against hand-computed values (mpmath rows of dpotop's
#      reference_values.py) and against the values dpotop's PairLoss is checked
#      against (integrations/trl/tests/test_loss.py; the Swift side is
#      TRLDPOPCrossCheckTests, in `swift test`, or here with --swift-tests);
#   3. short real DPOTrainer runs with the integration (TRL's reference model,
#      precompute_ref_log_probs, a PEFT LoRA adapter; K = 0 writes nothing):
#      probes.jsonl in dpotop's format, per-token sums = TRL's logged
#      logps/chosen, logps/rejected and the reference's (1e-3)
#      (integrations/trl/tests/test_probes_run.py);
#   4. dpotop reads those runs: `dpotop render RUN --screen tokens` shows a
#      probe and no bad line (ProbesReader), `dpotop summary --json` has the
#      eval split's logps/ref_chosen, dpop/penalty and probe metrics;
#   5. `dpotop sweep --preset trl --objectives dpop` trains to `finished`
#      (dpotop-trl-dpo from PATH), λ reaches the manifest, the run's token view
#      shows a probe;
#   6. `--preset trl --objectives dpo,kto` is refused, naming kto, creating nothing.
#
# Usage: scripts/check-trl.sh [--keep DIR] [--swift-tests]
#   DPOTOP=BIN skips `swift build` (default: this checkout's debug build).
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KEEP="" SWIFT_TESTS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP="$2"; shift 2 ;;
    --swift-tests) SWIFT_TESTS=1; shift ;;
    -h|--help) sed -n 2,27p "$0"; exit 0 ;;
    *) echo "check-trl: unknown option $1" >&2; exit 2 ;;
  esac
done
T0=$(date +%s)
# One torch thread: the test model is tiny, and with two, OpenMP's spinning
# workers multiply the CPU time when the machine is busy (check_hf.py saw 6x).
export OMP_NUM_THREADS=1
FAILS=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; FAILS=$((FAILS + 1)); }
if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && WORK="$(cd "$KEEP" && pwd)"; else
  WORK="$(mktemp -d /tmp/check-trl.XXXXXX)"; trap 'rm -rf "$WORK"' EXIT; fi

# --- 1. the venv and the integration -------------------------------------------
if ! PY="$(bash "$ROOT/scripts/peer-venv.sh" torch trl transformers datasets tensorboard peft | tail -1)"; then
  echo "check-trl: could not make the peer venv (scripts/peer-venv.sh)" >&2; exit 2
fi
if bash "$ROOT/scripts/trl/install-integration.sh" "$PY" > "$WORK/pip.log" 2>&1; then
  pass "pip install ./integrations/trl ($("$PY" -c 'import dpotop_trl, trl; print("TRL", trl.__version__)'))"
else
  fail "pip install ./integrations/trl: $(tail -3 "$WORK/pip.log")"; exit 1
fi
export PATH="$(dirname "$PY"):$PATH"
if [ -z "${DPOTOP:-}" ]; then
  if ! (cd "$ROOT" && swift build > "$WORK/build.log" 2>&1); then
    fail "swift build: $(tail -5 "$WORK/build.log")"; exit 1
  fi
  DPOTOP="$(cd "$ROOT" && swift build --show-bin-path)/dpotop"
fi
if ! "$PY" "$ROOT/scripts/trl/make_tiny.py" "$WORK/tiny" --dpotop "$DPOTOP" > "$WORK/make_tiny.log" 2>&1; then
  fail "make_tiny: $(tail -3 "$WORK/make_tiny.log")"; exit 1
fi

# --- 2, 3. Python tests ------------------------------------------------------------
cd "$ROOT/integrations/trl"
if "$PY" -m unittest -v tests.test_loss > "$WORK/test_loss.log" 2>&1; then
  pass "DPOP loss = mpmath values (rel 1e-8) and = the cross-check file dpotop's PairLoss is tested on ($(grep -oE '^Ran [0-9]+ tests' "$WORK/test_loss.log"))"
else
  fail "tests/test_loss.py: $(grep -A8 -E '^(FAIL|ERROR):' "$WORK/test_loss.log" | head -20)"
fi
mkdir -p "$WORK/runs"
if DPOTOP_TRL_TINY="$WORK/tiny" DPOTOP_TRL_KEEP="$WORK/runs" "$PY" -m unittest -v tests.test_probes_run \
  > "$WORK/test_probes.log" 2>&1; then
  pass "real DPOTrainer runs: probes.jsonl format and sums = TRL's logged log-probs ($(grep -oE '^Ran [0-9]+ tests' "$WORK/test_probes.log"))"
else
  fail "tests/test_probes_run.py: $(grep -A12 -E '^(FAIL|ERROR):' "$WORK/test_probes.log" | head -40)"
fi
grep -E "^[a-z-]+: probe sums" "$WORK/test_probes.log" | sed 's/^/      /'
cd "$ROOT"

# --- 4. dpotop reads them ------------------------------------------------------------
for run in ref-model precompute peft; do
  dir="$WORK/runs/$run"
  [ -f "$dir/probes.jsonl" ] || { fail "$run: no probes.jsonl"; continue; }
  screen="$("$DPOTOP" render "$dir" --screen tokens --size 120x30 --ascii 2>&1)"
  if grep -q "probe 0 (1/8)" <<< "$screen" && ! grep -qi "bad line" <<< "$screen" \
    && grep -q "chosen" <<< "$screen"; then
    pass "$run: dpotop render --screen tokens shows probe 0 of 8, no bad line"
  else
    fail "$run: token view: $(head -12 <<< "$screen")"
  fi
  if "$DPOTOP" summary --json "$dir" > "$WORK/$run.summary.json" 2>&1 && "$PY" - "$WORK/$run.summary.json" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))[0]
have = {(m["split"], m["key"]) for m in run["metrics"]}
need = [("eval", k) for k in ("logps/ref_chosen", "logps/ref_rejected", "dpop/penalty", "logps/chosen_prefix",
                              "logps/ref_chosen_prefix", "logps/greedy", "logps/ref_greedy", "task_accuracy")]
need += [("train", k) for k in ("logps/ref_chosen", "dpop/penalty")]
missing = [f"{s}/{k}" for s, k in need if (s, k) not in have]
assert run["bad_lines"] == 0, run["bad_lines"]
assert not missing, f"missing {missing}"
assert run["manifest"]["objective"] == "dpop" and run["manifest"].get("lambda") == 50, run["manifest"]
EOF
  then pass "$run: dpotop summary has the reference, penalty and probe series (train+eval), objective dpop, λ 50"
  else fail "$run: dpotop summary: $(tail -3 "$WORK/$run.summary.json")"; fi
done

# --- 5. the preset trains DPOP -------------------------------------------------------
SWEEP="$WORK/sweep"
if "$DPOTOP" sweep --preset trl --objectives dpop --betas 0.1 --lambda 50 --steps 2 --lr 1e-3 --jobs 1 \
  --out "$SWEEP" -- --model_name_or_path "$WORK/tiny/model" --dataset_name "$WORK/tiny/data" \
  --per_device_train_batch_size 4 --per_device_eval_batch_size 4 --max_length 128 --use_cpu --bf16 false \
  --no_gradient_checkpointing --eval_strategy steps --eval_steps 2 --eval_on_start true --probes 2 \
  --probe_greedy 4 --probe_prefix_pairs 4 --save_strategy no --disable_tqdm true \
  > "$WORK/sweep.out" 2>&1; then
  status="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$SWEEP/dpop-b0.1-s1/run.json")"
  if [ "$status" = finished ]; then pass "dpotop sweep --preset trl --objectives dpop: run finished"
  else fail "preset run status: $status ($(tail -5 "$SWEEP/dpop-b0.1-s1/trainer.log" 2>/dev/null))"; fi
else
  fail "dpotop sweep --preset trl --objectives dpop exited non-zero: $(tail -8 "$WORK/sweep.out")"
fi
screen="$("$DPOTOP" render "$SWEEP/dpop-b0.1-s1" --screen tokens --size 120x30 --ascii 2>&1)"
if grep -q "probe 0 (1/2)" <<< "$screen" && grep -q "step 2" <<< "$screen" && ! grep -qi "bad line" <<< "$screen"
then pass "dpotop render SWEEP/dpop-b0.1-s1 --screen tokens shows probe 0 at step 2"
else fail "preset run's token view: $(head -8 <<< "$screen")"; fi
main="$("$DPOTOP" render "$SWEEP" --size 120x30 --ascii 2>&1)"
if grep -Eq "dpop +0\.1 +50 .*finished" <<< "$main"; then pass "runs pane: dpop 0.1 λ 50 finished"
else fail "runs pane: $(sed -n 1,6p <<< "$main")"; fi

# --- 6. refusal -------------------------------------------------------------------------
out="$("$DPOTOP" sweep --preset trl --objectives dpo,kto --out "$WORK/refused" -- --model_name_or_path x 2>&1)"
rc=$?
if [ $rc -ne 0 ] && grep -q "unknown objective 'kto'" <<< "$out" && [ ! -e "$WORK/refused" ]; then
  pass "--preset trl --objectives dpo,kto refused (exit $rc): $(head -1 <<< "$out")"
else
  fail "refusal of kto: exit $rc: $out"
fi

if [ "$SWIFT_TESTS" -eq 1 ]; then
  if (cd "$ROOT" && swift test --filter "TRLDPOPCrossCheckTests|CommandTemplateTests" > "$WORK/swift-test.log" 2>&1)
  then pass "swift test --filter TRLDPOPCrossCheckTests|CommandTemplateTests"
  else fail "swift tests: $(grep -E 'error|failed' "$WORK/swift-test.log" | head -10)"; fi
fi

echo "check-trl: $FAILS failed, $(( $(date +%s) - T0 )) s${KEEP:+, files in $WORK}"
[ "$FAILS" -eq 0 ]

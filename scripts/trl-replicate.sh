#!/usr/bin/env bash
# The paper's β ablation trained twice from the same reference model on the
# same pairs: by TRL (through `dpotop sweep --preset trl` and the integration
# in integrations/trl, probes on) and by dpotop's own trainer (`dpotop sweep`),
# then a side-by-side table (scripts/trl/replicate_table.py).
#
# Defaults are `dpotop sweep`'s and `dpotop train`'s for preference runs:
# DPO and DPOP x beta 0.1, 0.3, 1.0, lambda 50, 150 steps, lr 1e-4 with 10
# warm-up steps and cosine decay to a tenth, 16 pairs a step, AdamW
# (0.9, 0.999, 1e-8, no weight decay), gradient clip 1, evaluation every 25
# steps and at step 0 on the first 128 held-out pairs, greedy decodes of the
# first 64 held-out prompts, 8 probes; math-low-edit, 10000 training rows.
#
# (Braces in the template are doubled: {{ }} is a literal brace for dpotop sweep.)
# Usage: scripts/trl-replicate.sh [--out DIR] [--steps N] [--betas LIST]
#          [--objectives LIST] [--train-rows N] [--eval-every N] [--jobs N]
#          [--data NAME] [--check]
# --check: also check the paper's result (replicate_table.py --check; exit 1
# on a failure) — scripts/check-all.sh runs it so.
# Needs the peer venv with TRL (bash scripts/peer-venv.sh torch trl
# transformers datasets tensorboard) and `swift build`; installs the
# integration into that venv (pip install ./integrations/trl).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT=replicate-trl STEPS=150 BETAS=0.1,0.3,1.0 OBJECTIVES=dpo,dpop TRAIN_ROWS=10000 EVAL_EVERY=25
JOBS=2 DATA=math-low-edit CHECK=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    --betas) BETAS="$2"; shift 2 ;;
    --objectives) OBJECTIVES="$2"; shift 2 ;;
    --train-rows) TRAIN_ROWS="$2"; shift 2 ;;
    --eval-every) EVAL_EVERY="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --check) CHECK=(--check); shift ;;
    -h|--help) sed -n 2,22p "$0"; exit 0 ;;
    *) echo "trl-replicate: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -e "$OUT" ] && { echo "trl-replicate: $OUT exists; pass a new --out" >&2; exit 2; }
start=$(date +%s)
PY="$(bash "$ROOT/scripts/peer-venv.sh" torch trl transformers datasets tensorboard | tail -1)"
bash "$ROOT/scripts/trl/install-integration.sh" "$PY" >&2
export PATH="$(dirname "$PY"):$PATH"   # dpotop-trl-dpo, installed beside the interpreter
if [ -z "${DPOTOP:-}" ]; then
  (cd "$ROOT" && swift build >&2)
  DPOTOP="$(cd "$ROOT" && swift build --show-bin-path)/dpotop"
fi
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
"$DPOTOP" export model --hf "$OUT/model" > "$OUT/export.log"
"$DPOTOP" export data "$DATA" --train-rows "$TRAIN_ROWS" --test-rows 128 --out "$OUT/data" >> "$OUT/export.log"
echo "exported the reference and $DATA ($TRAIN_ROWS + 128 rows) in $(( $(date +%s) - start )) s"

t=$(date +%s)
"$DPOTOP" sweep --objectives "$OBJECTIVES" --betas "$BETAS" --lambda 50 --steps "$STEPS" --lr 1e-4 \
  --data "$DATA" --jobs "$JOBS" --out "$OUT/dpotop" > "$OUT/dpotop-sweep.log" 2>&1
echo "dpotop sweep: $(( $(date +%s) - t )) s"

t=$(date +%s)
"$DPOTOP" sweep --preset trl --objectives "$OBJECTIVES" --betas "$BETAS" --lambda 50 --steps "$STEPS" \
  --lr 1e-4 --jobs "$JOBS" --out "$OUT/trl" -- \
  --model_name_or_path "$OUT/model" --dataset_name "$OUT/data" \
  --per_device_train_batch_size 16 --per_device_eval_batch_size 16 --max_length 128 \
  --warmup_steps 10 --lr_scheduler_type cosine_with_min_lr --lr_scheduler_kwargs '{{"min_lr_rate": 0.1}}' \
  --max_grad_norm 1.0 --weight_decay 0 --eval_strategy steps --eval_steps "$EVAL_EVERY" \
  --eval_on_start true --probes 8 --probe_greedy 64 --probe_prefix_pairs 128 \
  --use_cpu --bf16 false --no_gradient_checkpointing --save_strategy no --disable_tqdm true \
  > "$OUT/trl-sweep.log" 2>&1 || { echo "trl-replicate: the TRL sweep failed: $OUT/trl-sweep.log" >&2; exit 1; }
echo "TRL sweep: $(( $(date +%s) - t )) s"

status=0
"$PY" "$ROOT/scripts/trl/replicate_table.py" --dpotop "$DPOTOP" "${CHECK[@]}" "$OUT/dpotop" "$OUT/trl" \
  > "$OUT/table.md" || status=$?
cat "$OUT/table.md"
echo "total: $(( $(date +%s) - start )) s; runs in $OUT (watch: dpotop $OUT)"
exit $status

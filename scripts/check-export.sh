#!/usr/bin/env bash
# Checks `dpotop export` against the real libraries, as a user would: exports
# the shipped reference (`dpotop export model --hf`) and math-low-edit
# (`dpotop export data`), runs one DPO step from that reference (its step-0
# evaluation is dpotop's own numbers: probes of the first 128 held-out pairs,
# logps/ref_chosen, task accuracy), and runs scripts/export/check_hf.py under
# the peer venv's Python: transformers' per-token log-probs equal dpotop's to
# 1e-4 nats, their sums equal logps/ref_chosen, model.generate equals dpotop's
# greedy decodes with the same task accuracy, and the tokenizer gives
# dpotop's ids. Offline (HF_HUB_OFFLINE=1): no model hub.
#
# Needs torch, transformers, safetensors and datasets:
#   bash scripts/peer-venv.sh torch transformers safetensors datasets
# The interpreter is chosen as dpotop's benches choose it: $DPOTOP_PYTHON, else
# the peer venv (~/.cache/dpotop/peer-venv), else python3. The binary is
# $DPOTOP when set, else this checkout's `swift build` (built here).
#
# Usage: scripts/check-export.sh [--keep DIR] [--json FILE]
#   --keep DIR   work in DIR (must not exist) and keep it, instead of a temp dir
#   --json FILE  also write the measured figures (check_hf.py's) to FILE
# Exit: 0 all checks passed, 1 a check failed, 2 the Python packages are missing.
set -u
KEEP=""
JSON=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP="$2"; shift 2 ;;
    --json) JSON="$2"; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check-export: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# The same rule as PeerPython.executable (Sources/Processes/PeerPython.swift).
VENV_PY="${DPOTOP_PEER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dpotop/peer-venv}/bin/python"
if [ -n "${DPOTOP_PYTHON:-}" ]; then PY="$DPOTOP_PYTHON"
elif [ -x "$VENV_PY" ]; then PY="$VENV_PY"
else PY=python3; fi
if ! "$PY" -c "import torch, transformers, safetensors, datasets" 2>/dev/null; then
  echo "check-export: SKIPPED: $PY cannot import torch, transformers, safetensors, datasets." >&2
  echo "  install them with: bash scripts/peer-venv.sh torch transformers safetensors datasets" >&2
  exit 2
fi

if [ -n "${DPOTOP:-}" ]; then BIN="$DPOTOP"; else
  if ! (cd "$ROOT" && swift build > /tmp/check-export-build.log 2>&1); then
    tail -30 /tmp/check-export-build.log
    echo "check-export: swift build failed" >&2
    exit 1
  fi
  BIN="$(cd "$ROOT" && swift build --show-bin-path)/dpotop"
fi

if [ -n "$KEEP" ]; then
  if [ -e "$KEEP" ]; then echo "check-export: $KEEP exists" >&2; exit 2; fi
  mkdir -p "$KEEP" && WORK="$(cd "$KEEP" && pwd)"
else
  WORK="$(mktemp -d /tmp/dpotop-check-export.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
fi
echo "work dir: $WORK"
set -e
"$BIN" export model --hf "$WORK/ref"
"$BIN" export data math-low-edit --out "$WORK/pairs" --train-rows 1000
# One DPO step from the same reference: its step-0 evaluation scores the first
# 128 held-out pairs (all of them probed, token by token) and decodes the first 64.
"$BIN" train --objective dpo --out "$WORK/run" --steps 1 --train-rows 1000 --eval-pairs 128 \
  --probes 128 --eval-samples 64 > "$WORK/train.log"
set +e
args=(--model "$WORK/ref" --data "$WORK/pairs" --run "$WORK/run" --pairs 128)
[ -n "$JSON" ] && args+=(--json "$JSON")
"$PY" "$ROOT/scripts/export/check_hf.py" "${args[@]}"

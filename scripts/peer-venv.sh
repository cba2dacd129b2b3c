#!/usr/bin/env bash
# Creates (or tops up) the Python virtual environment that holds the *peers*
# dpotop is measured and tested against: torch (dpotop-bench train --vs-pytorch),
# polars (dpotop-bench read --vs-polars), wandb (the W&B importer's tests, written by
# the real package), tensorboard (dpotop-bench tfevents), numpy (dpotop-bench matmul);
# with transformers, safetensors and datasets besides torch, the export
# equivalence check (scripts/check-export.sh, ExportEndToEndTests); with trl,
# scripts/e2e-trl.sh. The product never needs any of them.
#
# Usage: scripts/peer-venv.sh [PACKAGE ...]     (default: numpy polars wandb
#        tensorboard torch)
#   e.g. scripts/peer-venv.sh torch transformers safetensors datasets
# Prints the venv's python on its last line. The venv lives outside the work
# tree, at $DPOTOP_PEER_VENV (default ~/.cache/dpotop/peer-venv); dpotop-bench
# and the tests find it there (Sources/Processes/PeerPython.swift; or use
# $DPOTOP_PYTHON when set). The benches' own Python programs are scripts/bench/*.py.
set -euo pipefail
VENV="${DPOTOP_PEER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dpotop/peer-venv}"
PKGS=("$@")
[ ${#PKGS[@]} -gt 0 ] || PKGS=(numpy polars wandb tensorboard torch)

if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV" >&2
fi
PY="$VENV/bin/python"
# Import names differ from package names only for these.
import_name() { case "$1" in tensorboard) echo tensorboard ;; *) echo "${1%%[=<>]*}" ;; esac; }
need=()
for p in "${PKGS[@]}"; do
  "$PY" -c "import $(import_name "$p")" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "peer-venv: installing ${need[*]} into $VENV" >&2
  "$PY" -m pip install -q --disable-pip-version-check "${need[@]}" >&2
fi
echo "$PY"

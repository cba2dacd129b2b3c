#!/usr/bin/env bash
# Installs this checkout's integrations/trl into the Python environment of PY,
# from a copy: pip's build writes build/ and *.egg-info beside the sources, and
# the checks (check-trl.sh, e2e-trl.sh, trl-replicate.sh) must write nothing
# into the working tree (scripts/tree-guard.sh).
#
#   scripts/trl/install-integration.sh PY
set -euo pipefail
PY=${1:?usage: install-integration.sh PYTHON}
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
copy="$(mktemp -d /tmp/dpotop-trl-src.XXXXXX)"
trap 'rm -rf "$copy"' EXIT
tar -C "$ROOT/integrations" --exclude=build --exclude='*.egg-info' --exclude=__pycache__ -cf - trl |
  tar -C "$copy" -xf -
"$PY" -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps "$copy/trl"

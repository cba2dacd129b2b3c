#!/usr/bin/env bash
# Regenerates the shipped sample sweeps from the shipped SFT reference
# (sample-runs/reference), with the commands the README gives:
#   sample-runs/beta-sweep  DPO and DPOP x beta 0.1, 0.3, 1.0 x seed 1 (6 runs;
#                           SEEDS=1,2,3 for 18: with probes.jsonl that is ~3.9 MB
#                           of sample-runs/, over the 3 MB budget, so the shipped
#                           sweep has one seed and `dpotop reproduce --seeds 3`
#                           gives the spread)
#   sample-runs/high-edit   DPO and DPOP at beta 0.1 on math-high-edit (seed 1)
# Both are trained into a temporary directory first and swapped in only when
# every run finished, so a failure or Ctrl-C leaves the committed runs as
# they were. Checkpoints and lock files are dropped (never committed). Ends
# by printing the size of sample-runs/ without checkpoints (issue 19: the
# whole of it stays under 3 MB).
#
# Usage: scripts/make-sample-runs.sh            (from anywhere; ~25 s of CPU a run)
#   DPOTOP=path/to/dpotop   the binary to use (default: a release build here)
#   SEEDS=LIST              seeds of the beta sweep (default 1)
#   STEPS=N                 smoke test only: N steps a run, and the result is
#                           left in the temporary directory, NOT swapped in
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${DPOTOP:-.build/release/dpotop}"
if [ -z "${DPOTOP:-}" ]; then swift build -c release >&2; fi
[ -x "$BIN" ] || { echo "make-sample-runs: no dpotop at $BIN" >&2; exit 1; }
[ -f sample-runs/reference/checkpoints/final.ckpt ] || {
  echo "make-sample-runs: sample-runs/reference/checkpoints/final.ckpt is missing" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/dpotop-sample-runs.XXXXXX")"
keep_tmp=""
cleanup() { [ -n "$keep_tmp" ] || rm -rf "$TMP"; }
trap cleanup EXIT
extra=()
if [ -n "${STEPS:-}" ]; then extra=(--steps "$STEPS"); keep_tmp=1; fi

# From the repository root: the trainers find the default reference there.
"$BIN" sweep --out "$TMP/beta-sweep" --seeds "${SEEDS:-1}" "${extra[@]}"
"$BIN" sweep --out "$TMP/high-edit" --data math-high-edit --betas 0.1 "${extra[@]}"

for sweep in beta-sweep high-edit; do
  find "$TMP/$sweep" -name checkpoints -type d -prune -exec rm -rf {} +
  rm -rf "$TMP/$sweep/reference-cache"   # the runs' shared reference log-probs: not shipped
  find "$TMP/$sweep" \( -name '*.lock' -o -name sweep.log \) -type f -delete
  # sweep.json records where it was made, run.json the reference's absolute
  # path: record them as shipped, relative to the repository root.
  sed -i "s|\"out\" : \"$TMP/$sweep\"|\"out\" : \"sample-runs/$sweep\"|" "$TMP/$sweep/sweep.json"
  find "$TMP/$sweep" -name run.json -exec \
    sed -i "s|\\(\"reference\" *: *\"\\)$PWD/sample-runs/|\\1sample-runs/|" {} +
done

if [ -n "${STEPS:-}" ]; then
  echo "smoke test (STEPS=$STEPS): runs left in $TMP, sample-runs/ untouched"
  du -s --apparent-size --block-size=1 --exclude=checkpoints "$TMP" | sed 's/^/bytes /'
  exit 0
fi
size() { du -s --apparent-size --block-size=1 --exclude=checkpoints "$@" | awk '{s += $1} END {print s + 0}'; }
old=0
for sweep in beta-sweep high-edit; do
  if [ -e "sample-runs/$sweep" ]; then old=$((old + $(size "sample-runs/$sweep"))); fi
done
bytes=$(( $(size sample-runs) - old + $(size "$TMP/beta-sweep" "$TMP/high-edit") ))
echo "sample-runs/ without checkpoints, with the new sweeps: $bytes bytes (limit 3000000)"
if [ "$bytes" -ge 3000000 ]; then
  keep_tmp=1
  echo "make-sample-runs: over 3 MB, not swapped in (the new runs are in $TMP):" \
    "ship fewer seeds or log less" >&2
  exit 1
fi
for sweep in beta-sweep high-edit; do
  if [ -e "sample-runs/$sweep" ]; then mv "sample-runs/$sweep" "$TMP/old-$sweep"; fi
  mv "$TMP/$sweep" "sample-runs/$sweep"
done
du -s --apparent-size --block-size=1 --exclude=checkpoints sample-runs/* | sed 's/^/  bytes /'

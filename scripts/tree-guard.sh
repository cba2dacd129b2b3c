#!/usr/bin/env bash
# Checks that tests and scripts leave the working tree as they found it: no
# new, changed or deleted files, ignored ones included (build directories aside). A Slurm job
# submitted from the repository root without --output once left
# `slurm-1.out` here; this catches that kind of leak by name.
#
#   scripts/tree-guard.sh snapshot FILE   record the tree's state in FILE
#   scripts/tree-guard.sh check FILE      fail, naming each path, if it changed since
set -euo pipefail
cd "$(dirname "$0")/.."

state() {
  # Status of every path (untracked ones one by one), with a content hash of
  # each untracked or modified file so a rewrite of a dirty file shows too.
  # Ignored paths count too (a stray slurm-*.out is ignored, not harmless),
  # except the build directories.
  git status --porcelain=v1 --untracked-files=all --ignored=matching \
    | { grep -vE '^!! \.build[^/]*/' || true; } | LC_ALL=C sort | while IFS= read -r line; do
    path=${line:3}
    if [ -f "$path" ]; then
      echo "$line $(git hash-object -- "$path")"
    else
      echo "$line"
    fi
  done
}

case "${1:-}" in
  snapshot) state > "$2" ;;
  check)
    now=$(mktemp)
    state > "$now"
    if ! diff -u "$2" "$now" > "$now.diff"; then
      echo "tree-guard: the working tree changed (a test or script wrote into it):" >&2
      grep -E '^[-+][^-+]' "$now.diff" >&2 || true
      rm -f "$now" "$now.diff"
      exit 1
    fi
    rm -f "$now" "$now.diff"
    echo "tree-guard: working tree unchanged"
    ;;
  *)
    echo "usage: $0 snapshot FILE | check FILE" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Builds dpotop-VERSION-linux-ARCH.tar.gz: a release dpotop with the Swift
# runtime linked in (--static-swift-stdlib), the themes, the sample runs and
# the SFT reference checkpoint `train` starts from, laid out so the binary
# finds them beside itself; and dpotop-bench (the speed measurements) with
# the Python peers it runs:
#
#   dpotop-VERSION-linux-ARCH/bin/dpotop
#   dpotop-VERSION-linux-ARCH/bin/dpotop-bench
#   dpotop-VERSION-linux-ARCH/scripts/bench/   (the peers, *.py)
#   dpotop-VERSION-linux-ARCH/themes/
#   dpotop-VERSION-linux-ARCH/sample-runs/   (reference/checkpoints/final.ckpt included)
#
# Then checks the tarball as a user without Swift would use it: `ldd` lists
# no libswift*, libFoundation* or libdispatch; unpacked in a temporary
# directory and run from an empty directory under `env -i PATH=/usr/bin:/bin`,
# it prints --version, renders the bundled sample runs, and trains a few
# steps from the bundled reference. Takes about 2 minutes (the static
# release build); the check alone is seconds (`--check-only FILE`).
#
# Usage: scripts/package.sh [--out DIR]      (default: a new temporary directory)
#        scripts/package.sh --check-only dpotop-VERSION-linux-ARCH.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."

check() {
  local tarball=$1
  local t
  t=$(mktemp -d)
  trap 'rm -rf "$t"' RETURN
  tar -C "$t" -xzf "$tarball"
  local top
  top=$(find "$t" -mindepth 1 -maxdepth 1 -type d | head -1)
  local bin="$top/bin/dpotop"
  echo "package: check $tarball"
  if ldd "$bin" | grep -E 'libswift|libFoundation|libdispatch'; then
    echo "package: FAIL: the binary needs the Swift runtime (above)" >&2
    return 1
  fi
  echo "  ldd: $(ldd "$bin" | awk '{print $1}' | tr '\n' ' ')"
  mkdir "$t/empty"
  cd "$t/empty"
  env -i PATH=/usr/bin:/bin "$bin" --version | sed 's/^/  /'
  env -i PATH=/usr/bin:/bin "$bin" render "$top/sample-runs/beta-sweep" --all --compare --size 160x20 \
    >"$t/render.txt"
  grep -q '6 runs: 6 finished' "$t/render.txt" || { echo "package: FAIL: render" >&2; cat "$t/render.txt"; return 1; }
  echo "  render: $(wc -l <"$t/render.txt") lines, the sweep's six runs"
  env -i PATH=/usr/bin:/bin "$bin" --list-themes >"$t/themes.txt"
  grep -q "$top/themes" "$t/themes.txt" || { echo "package: FAIL: bundled themes not found" >&2; return 1; }
  # No --ref: the bundled reference must be found beside the binary.
  env -i PATH=/usr/bin:/bin "$bin" train --objective dpop --beta 0.3 --steps 3 --out "$t/empty/run" \
    >"$t/train.txt" 2>&1 || { echo "package: FAIL: train" >&2; cat "$t/train.txt"; return 1; }
  grep -q '"status" *: *"finished"' "$t/empty/run/run.json" \
    || { echo "package: FAIL: train did not finish" >&2; cat "$t/train.txt"; return 1; }
  grep -q "$top/sample-runs/reference/checkpoints/final.ckpt" "$t/empty/run/run.json" \
    || { echo "package: FAIL: train did not start from the bundled reference" >&2; return 1; }
  echo "  train: 3 DPOP steps from the bundled reference, finished"
  env -i PATH=/usr/bin:/bin "$top/bin/dpotop-bench" --help | grep -q '^USAGE: dpotop-bench NAME' \
    || { echo "package: FAIL: dpotop-bench --help" >&2; return 1; }
  [ -f "$top/scripts/bench/read_json_loop.py" ] || { echo "package: FAIL: no scripts/bench" >&2; return 1; }
  echo "  dpotop-bench: --help, and its Python peers in scripts/bench"
  cd - >/dev/null
  echo "package: OK"
}

if [ "${1:-}" = "--check-only" ]; then
  check "$(realpath "$2")"
  exit
fi
out=""
if [ "${1:-}" = "--out" ]; then out=$(realpath "$2"); fi
[ -n "$out" ] || out=$(mktemp -d)
mkdir -p "$out"

swift build -c release --static-swift-stdlib --product dpotop
swift build -c release --static-swift-stdlib --product dpotop-bench
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)/dpotop
version=$("$bin" --version | head -1 | awk '{print $2}')
arch=$(uname -m)
name="dpotop-$version-linux-$arch"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/bin"
cp "$bin" "$stage/$name/bin/dpotop"
strip "$stage/$name/bin/dpotop" 2>/dev/null || true
cp "${bin}-bench" "$stage/$name/bin/dpotop-bench"
strip "$stage/$name/bin/dpotop-bench" 2>/dev/null || true
mkdir -p "$stage/$name/scripts/bench"
cp scripts/bench/*.py "$stage/$name/scripts/bench/"
cp -r themes "$stage/$name/themes"
# Sample runs with the reference checkpoints (the sweeps' own checkpoints
# are not in the repository), no lock files.
tar -C . --exclude='*.lock' -cf - sample-runs | tar -C "$stage/$name" -xf -
[ -f "$stage/$name/sample-runs/reference/checkpoints/final.ckpt" ] \
  || { echo "package: sample-runs/reference/checkpoints/final.ckpt is missing" >&2; exit 1; }
cat >"$stage/$name/README.txt" <<TXT
dpotop $version for Linux $arch: a terminal dashboard for DPO / DPO-Positive runs,
with its trainer. No Swift toolchain needed (it needs ncursesw, as any curses program).

  bin/dpotop                      the dashboard on the bundled sample runs
  bin/dpotop runs/                the dashboard on your runs
  bin/dpotop watch gpu1:runs      runs on another machine, over your ssh
  bin/dpotop --help               everything else
  bin/dpotop-bench --help         the speed measurements (Python peers: scripts/bench)

Keep bin/, themes/ and sample-runs/ together: dpotop finds its themes and the
reference checkpoint for 'train' beside itself.
TXT
tar -C "$stage" -czf "$out/$name.tar.gz" "$name"
echo "package: $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1))"
check "$out/$name.tar.gz"

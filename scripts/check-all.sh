#!/usr/bin/env bash
# Everything CI runs plus the checks too slow or too privileged for it:
#   1. .ci/run (lint, swift test with the tmux end-to-end tests, fuzz smoke,
#      the Slurm backend end to end on a one-node cluster: scripts/e2e-slurm.sh)
#   2. swift test --sanitize=thread   (the trainer's, watcher's and reader's threads)
#   3. swift test --sanitize=address  (XCTest's own runner leaks 144 bytes: suppressed)
#   4. every fuzz harness for FUZZ_SECONDS (default 60) each
#   5. scripts/package.sh: the static release tarball, checked without the
#      toolchain (~3 min: a second release build, too slow for CI)
#   6. scripts/bench-remote.sh (dpotop-bench remote): append → screen over a
#      local sshd, p95 ≤ 1 s
# The TRL end-to-end test is opt-in and separate: scripts/e2e-trl.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/run

echo "check-all: thread sanitizer"
swift test --sanitize=thread --scratch-path .build-tsan

echo "check-all: address sanitizer"
supp=$(mktemp)
echo "leak:libXCTest.so" > "$supp"
LSAN_OPTIONS="suppressions=$supp" swift test --sanitize=address --scratch-path .build-asan

echo "check-all: fuzzing"
bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"

echo "check-all: the copyable binary"
bash scripts/package.sh

echo "check-all: remote tail over ssh"
bash scripts/bench-remote.sh

echo "check-all: all passed"

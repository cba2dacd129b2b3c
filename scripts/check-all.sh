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
#   7. scripts/e2e-trl.sh: `dpotop sweep --preset trl` against the real TRL CLI
#   8. scripts/trl-replicate.sh --check: the paper's β ablation trained by TRL
#      and by dpotop from the same reference (about an hour on 2 cores), and
#      its result checked (DPO loses the chosen answer's likelihood and task
#      accuracy, DPOP keeps them) for both trainers
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

echo "check-all: TRL end to end"
bash scripts/e2e-trl.sh

echo "check-all: the β ablation in TRL and in dpotop"
# One torch thread: two runs train at a time, and two threads each would
# only wait on each other on a 2-core machine.
replicate=$(mktemp -d)
OMP_NUM_THREADS=1 bash scripts/trl-replicate.sh --check --out "$replicate/out"
rm -rf "$replicate"

echo "check-all: all passed"

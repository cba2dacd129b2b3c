#!/usr/bin/env bash
# A real full disk under the real trainer (issue 9, "hard stops"): a small
# tmpfs is mounted and `dpotop train` runs on it twice.
#   1. A checkpoint that does not fit: the atomic write fails (ENOSPC), the
#      run ends failed with the cause in run.json, the previous checkpoint is
#      intact, every complete metrics line parses.
#   2. The disk filled to the last byte between checkpoints: a metrics append
#      fails and even a new run.json has no room; run.json is rewritten in
#      place (failed, with the cause) and stays valid JSON.
# Then each run is copied to a roomy disk and resumed with `dpotop resume`,
# and finishes. Needs root (mount). Exits non-zero on any failure.
# swift test covers the same with a file size limit (DiskFullTests).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build >/dev/null
dpotop=$(swift build --show-bin-path)/dpotop
work=$(mktemp -d)
mnt=$work/small
mkdir -p "$mnt"
cleanup() {
  umount "$mnt" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source scripts/lib/checks.sh
opts=(--objective dpop --beta 0.3 --eval-every 20 --eval-samples 4 --threads 1 --seed 7)
status_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$1/run.json"; }
error_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("error",""))' "$1/run.json"; }
lines_parse() { python3 -c '
import json,sys
data=open(sys.argv[1],"rb").read()
lines=data.split(b"\n")
complete=lines[:-1]
for n,l in enumerate(complete,1): json.loads(l)
print(len(complete))' "$1/metrics.jsonl"; }
ckpt_step() { python3 -c '
import struct,sys,json
b=open(sys.argv[1],"rb").read()
n=struct.unpack("<I",b[12:16])[0]
print(json.loads(b[16:16+n])["step"])' "$1/checkpoints/latest.ckpt"; }

# 1. A checkpoint (4.3 MB with optimiser state) fits once in 6 MB, not twice.
mount -t tmpfs -o size=6m tmpfs "$mnt"
set +e
"$dpotop" train --out "$mnt/a" --steps 40 --checkpoint-every 2 "${opts[@]}" >"$work/a.log" 2>&1
rc=$?
set -e
tail -n 3 "$work/a.log"
check "checkpoint does not fit: exit 1" '[ $rc = 1 ]'
check "checkpoint does not fit: message names the file and the cause" \
  'grep -q "latest.ckpt: write failed: No space left on device" "$work/a.log"'
check "checkpoint does not fit: run.json says failed with the cause" \
  '[ "$(status_of "$mnt/a")" = failed ] && error_of "$mnt/a" | grep "No space left" >/dev/null'
check "checkpoint does not fit: the step-2 checkpoint is intact" '[ "$(ckpt_step "$mnt/a")" = 2 ]'
check "checkpoint does not fit: every complete metrics line parses" 'lines_parse "$mnt/a" >/dev/null'
check "checkpoint does not fit: summary reads the run" \
  '"$dpotop" summary "$mnt/a" | grep "status failed" >/dev/null'
cp -r "$mnt/a" "$work/a"
umount "$mnt"

# 2. The disk filled between checkpoints: the next metrics line has no room.
mount -t tmpfs -o size=8m tmpfs "$mnt"
"$dpotop" train --out "$mnt/b" --steps 60 --checkpoint-every 1000 "${opts[@]}" >"$work/b.log" 2>&1 &
pid=$!
logged_four() { [ -s "$mnt/b/metrics.jsonl" ] && [ "$(wc -l <"$mnt/b/metrics.jsonl")" -ge 4 ]; }
wait_until "run 2 to log four steps" 600 logged_four
size_before=$(stat -c %s "$mnt/b/run.json")
dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null || true
set +e
wait $pid
rc=$?
set -e
tail -n 3 "$work/b.log"
check "disk filled: exit 1" '[ $rc = 1 ]'
check "disk filled: the metrics append failed with ENOSPC" \
  'grep -q "metrics.jsonl: write failed: No space left on device" "$work/b.log"'
check "disk filled: run.json (rewritten in place) is valid and says failed, with the cause" \
  '[ "$(status_of "$mnt/b")" = failed ] && error_of "$mnt/b" | grep "No space left" >/dev/null'
check "disk filled: run.json kept its size (no new space was needed)" \
  '[ "$(stat -c %s "$mnt/b/run.json")" = "$size_before" ]'
check "disk filled: every complete metrics line parses" 'lines_parse "$mnt/b" >/dev/null'
cp -r "$mnt/b" "$work/b"
umount "$mnt"

# Room again: both resume and finish.
"$dpotop" resume "$work/a" >/dev/null
"$dpotop" resume "$work/b" >/dev/null
both_ended() { [ "$(status_of "$work/a")" != running ] && [ "$(status_of "$work/b")" != running ]; }
wait_until "both resumed runs to end" 1200 both_ended
check "resumed on a roomy disk: run 1 finished" '[ "$(status_of "$work/a")" = finished ]'
check "resumed on a roomy disk: run 2 finished" '[ "$(status_of "$work/b")" = finished ]'
echo "disk-full: $fails failed"
[ $fails = 0 ]

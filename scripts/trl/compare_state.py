#!/usr/bin/env python3
"""Checks what `dpotop summary --json` shows of one run against TRL's own
`trainer_state.json` of the same training (its `log_history`).

Reads the summary (a JSON array holding one run) on stdin. From the log
history it builds, per split and key, the points TRL logged, named as dpotop
names them (eval keys lose their `eval_` prefix; `learning_rate` is `lr`;
`epoch`, which TRL writes in train and eval entries alike, is one train point
per step), and compares each with dpotop's row: point count, first and last
step, last value, minimum and maximum (values within float32 rounding, since
some readers store float32).

Keys of the final entry that W&B's callback keeps out of the history (it puts
`train_runtime`, `train_loss`, ... in the run summary) are listed apart and
not expected as series. `derived/...` series are dpotop's own (docs/importers.md).

With RUN_JSON (the run.json dpotop's sweep wrote for the same training),
also compares the manifest dpotop builds from the imported run's config:
objective (TRL's loss_type mapped back), beta, learning rate, planned steps,
seed and status.

Prints one line per key, `ok` or `MISMATCH`, then `result: K keys, P points,
M mismatches`. Exit 0 when nothing mismatches, 1 otherwise.

Usage: dpotop summary --json RUN | compare_state.py TRAINER_STATE_JSON [RUN_JSON]
"""

import json
import math
import sys

# HF's WandbCallback logs these (from the last log entry, after training) to
# the W&B run summary, not as history rows.
SUMMARY_ONLY = {
    "train_runtime",
    "train_samples_per_second",
    "train_steps_per_second",
    "total_flos",
    "train_loss",
}
RENAMES = {"learning_rate": "lr"}
MANIFEST_FIELDS = ["objective", "beta", "learning_rate", "planned_steps", "seed", "status"]


def expected_points(state):
    """{(split, key): {step: value}} from a trainer_state.json."""
    points = {}
    summary_only = set()
    for entry in state["log_history"]:
        step = entry["step"]
        for k, v in entry.items():
            if k == "step" or not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            if k in SUMMARY_ONLY:
                summary_only.add(k)
                continue
            if k.startswith("eval_"):
                split, key = "eval", k[len("eval_") :]
            else:
                split, key = "train", k
            key = RENAMES.get(key, key)
            points.setdefault((split, key), {})[step] = float(v)
    return points, summary_only


def close(a, b):
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=2e-7, abs_tol=1e-12)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        points, summary_only = expected_points(json.load(f))
    runs = json.loads(sys.stdin.read())
    if len(runs) != 1:
        print(f"MISMATCH dpotop summary shows {len(runs)} runs, expected 1")
        sys.exit(1)
    rows = {(m["split"], m["key"]): m for m in runs[0].get("metrics", [])}
    bad = 0
    total = 0
    for (split, key), series in sorted(points.items()):
        steps = sorted(series)
        finite = [series[s] for s in steps if math.isfinite(series[s])]
        want = {
            "count": len(steps),
            "first_step": steps[0],
            "last_step": steps[-1],
            "last": series[steps[-1]],
            "min": min(finite) if finite else None,
            "max": max(finite) if finite else None,
        }
        total += len(steps)
        got = rows.pop((split, key), None)
        if got is None:
            print(f"MISMATCH {split} {key}: TRL logged {len(steps)} points, dpotop shows none")
            bad += 1
            continue
        diffs = []
        for field, w in want.items():
            g = got.get(field)
            same = g == w if field in ("count", "first_step", "last_step") else close(g, w)
            if not same:
                diffs.append(f"{field} {g} (TRL {w})")
        if diffs:
            print(f"MISMATCH {split} {key}: " + "; ".join(diffs))
            bad += 1
        else:
            print(f"ok       {split} {key}: {len(steps)} points, steps {steps[0]}-{steps[-1]}")
    for (split, key), m in sorted(rows.items()):
        if key.startswith("derived/"):
            continue
        print(f"MISMATCH {split} {key}: dpotop shows {m['count']} points TRL never logged")
        bad += 1
    if len(sys.argv) == 3:
        with open(sys.argv[2]) as f:
            planned = json.load(f)
        got = runs[0].get("manifest") or {}
        diffs = [
            f"{k} {got.get(k)!r} (run.json {planned.get(k)!r})"
            for k in MANIFEST_FIELDS
            if got.get(k) != planned.get(k)
        ]
        if diffs:
            print("MISMATCH manifest: " + "; ".join(diffs))
            bad += 1
        else:
            print("ok       manifest: " + ", ".join(f"{k} {got.get(k)}" for k in MANIFEST_FIELDS))
    if summary_only:
        print("summary-only (not history): " + ", ".join(sorted(summary_only)))
    print(f"result: {len(points)} keys, {total} points, {bad} mismatches")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()

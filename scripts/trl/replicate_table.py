#!/usr/bin/env python3
"""The side-by-side table of scripts/trl-replicate.sh.

For every run of each sweep directory (dpotop's own runs: metrics.jsonl; TRL
runs: their TensorBoard event files, read with TensorBoard's own
EventAccumulator), from the eval split:

- logratio: held-out chosen log-ratio log πθ(yw|x) − log πref(yw|x) at the
  last evaluation (logps/chosen − logps/ref_chosen, means over the eval pairs;
  rewards/chosen ÷ β for runs that log no reference log-probs, TRL's own losses);
- acc: held-out task accuracy (greedy decodes) at the first → last evaluation;
- prefix share: (logps/chosen_prefix − logps/ref_chosen_prefix) ÷ logratio at
  the last evaluation that has both: the share of the chosen log-ratio's change that lies on
  the tokens chosen and rejected share (only shown when the log-ratio fell by
  more than 0.1 nats);
- greedy: the greedy decode's log-ratio logps/greedy − logps/ref_greedy at the
  first → last evaluation.

With --check, also the paper's result as pass/fail lines (exit 1 on any
failure), per trainer and β: every run finished; DPOP keeps task accuracy
(end ≥ 0.85) and its chosen log-ratio (end within 0.5 nats of 0); DPO's
chosen log-ratio ends below −2 nats and its accuracy at least 0.2 below DPOP's.
One seed a cell: the margins are wide on purpose (the full run of
docs/trl.md has DPO at −5…−9 nats and 0.39–0.56, DPOP within 0.15 and ≥ 0.94).

Usage: replicate_table.py [--dpotop BIN] [--check] SWEEP_DIR...
"""

import argparse
import glob
import json
import os
import sys

Series = dict[str, dict[int, float]]


def dpotop_series(run: str) -> Series:
    out: Series = {}
    with open(os.path.join(run, "metrics.jsonl"), encoding="utf-8") as f:
        for line in f:
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if rec.get("split") != "eval":
                continue
            for key, value in rec.items():
                if isinstance(value, (int, float)) and key not in ("step", "time"):
                    out.setdefault(key, {})[int(rec["step"])] = float(value)
    return out


def trl_series(run: str) -> Series:
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    out: Series = {}
    for path in sorted(glob.glob(os.path.join(run, "runs", "*", "events.out.tfevents.*"))):
        acc = EventAccumulator(path, size_guidance={"scalars": 0})
        acc.Reload()
        for tag in acc.Tags()["scalars"]:
            if tag.startswith("eval/"):
                for e in acc.Scalars(tag):
                    out.setdefault(tag[5:], {})[int(e.step)] = float(e.value)
    return out


def first_last(s: Series, key: str) -> tuple[float | None, float | None]:
    points = s.get(key) or {}
    if not points:
        return None, None
    steps = sorted(points)
    return points[steps[0]], points[steps[-1]]


def diff_at(s: Series, a: str, b: str, which: int) -> float | None:
    pa, pb = s.get(a) or {}, s.get(b) or {}
    steps = sorted(set(pa) & set(pb))
    if not steps:
        return None
    step = steps[which]
    return pa[step] - pb[step]


def fmt(x: float | None, spec: str = ".3f") -> str:
    return "-" if x is None else format(x, spec)


def rows_for(sweep: str) -> list[tuple]:
    rows = []
    for run in sorted(glob.glob(os.path.join(sweep, "*", "run.json"))):
        d = os.path.dirname(run)
        with open(run, encoding="utf-8") as f:
            m = json.load(f)
        s = trl_series(d) if m.get("trainer") != "dpotop" or not os.path.exists(os.path.join(d, "metrics.jsonl")) \
            else dpotop_series(d)
        trainer = "dpotop" if os.path.exists(os.path.join(d, "metrics.jsonl")) else "TRL"
        beta = float(m.get("beta", 0))
        if "logps/ref_chosen" not in s and "rewards/chosen" in s and beta > 0:
            # TRL's own losses log no reference log-probs: the log-ratio is rewards/chosen ÷ β, exactly.
            s["logratio"] = {k: v / beta for k, v in s["rewards/chosen"].items()}
        else:
            s["logratio"] = {k: s["logps/chosen"][k] - s["logps/ref_chosen"][k]
                             for k in set(s.get("logps/chosen", {})) & set(s.get("logps/ref_chosen", {}))}
        s["prefix_ratio"] = {k: s["logps/chosen_prefix"][k] - s["logps/ref_chosen_prefix"][k]
                             for k in set(s.get("logps/chosen_prefix", {})) & set(s.get("logps/ref_chosen_prefix", {}))}
        ratio = s["logratio"][max(s["logratio"])] if s["logratio"] else None
        both = sorted(set(s["logratio"]) & set(s["prefix_ratio"]))
        share = None
        if both and s["logratio"][both[-1]] < -0.1:
            share = s["prefix_ratio"][both[-1]] / s["logratio"][both[-1]]
        a0, a1 = first_last(s, "task_accuracy")
        g0 = diff_at(s, "logps/greedy", "logps/ref_greedy", 0)
        g1 = diff_at(s, "logps/greedy", "logps/ref_greedy", -1)
        last_step = max((max(v) for v in s.values() if v), default=0)
        rows.append((trainer, m.get("objective", "?"), float(m.get("beta", 0)), fmt(ratio),
                     f"{fmt(a0, '.3f')} → {fmt(a1, '.3f')}", "-" if share is None else f"{share:.0%}",
                     f"{fmt(g0, '+.3f')} → {fmt(g1, '+.3f')}", m.get("status", "?"), last_step, ratio, a1))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--dpotop", help="unused (kept for symmetry with the other scripts)")
    ap.add_argument("--check", action="store_true", help="check the paper's result (see above)")
    ap.add_argument("sweeps", nargs="+")
    a = ap.parse_args()
    rows = []
    for sweep in a.sweeps:
        rows += rows_for(sweep)
    if not rows:
        print("replicate_table: no runs found", file=sys.stderr)
        return 1
    rows.sort(key=lambda r: (r[1], r[2], r[0] != "dpotop"))
    print("| objective | β | trainer | status, last eval step | chosen log-ratio (end) | task acc. start → end "
          "| share of the fall on the shared prefix | greedy log-ratio start → end |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for trainer, obj, beta, ratio, acc, share, greedy, status, step, _, _ in rows:
        print(f"| {obj} | {beta:g} | {trainer} | {status}, {step} | {ratio} | {acc} | {share} | {greedy} |")
    return check(rows) if a.check else 0


def check(rows: list[tuple]) -> int:
    """The paper's result, per trainer and β, as PASS/FAIL lines."""
    failed = 0

    def verdict(ok: bool, what: str) -> None:
        nonlocal failed
        failed += not ok
        print(f"{'PASS' if ok else 'FAIL'}: {what}")

    cells = {(r[0], r[1], r[2]): r for r in rows}
    for trainer, obj, beta, *_, status, _, ratio, acc in rows:
        verdict(status == "finished", f"{trainer} {obj} β {beta:g} finished (status {status})")
    for (trainer, obj, beta), r in sorted(cells.items()):
        if obj != "dpop":
            continue
        ratio, acc = r[9], r[10]
        verdict(acc is not None and acc >= 0.85, f"{trainer} DPOP β {beta:g} keeps task accuracy ≥ 0.85 ({fmt(acc)})")
        verdict(ratio is not None and abs(ratio) < 0.5,
                f"{trainer} DPOP β {beta:g} keeps the chosen log-ratio within 0.5 nats ({fmt(ratio)})")
        dpo = cells.get((trainer, "dpo", beta))
        if dpo is None:
            continue
        verdict(dpo[9] is not None and dpo[9] < -2,
                f"{trainer} DPO β {beta:g} lowers the chosen log-prob by > 2 nats ({fmt(dpo[9])})")
        verdict(dpo[10] is not None and acc is not None and dpo[10] <= acc - 0.2,
                f"{trainer} DPO β {beta:g} loses ≥ 0.2 task accuracy against DPOP ({fmt(dpo[10])} vs {fmt(acc)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

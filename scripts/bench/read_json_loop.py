"""Python's side of `dpotop-bench read`: a json.loads loop over a metrics.jsonl
building per-(split, metric) step and value lists, as a Python reader would.

Run by hand:  python3 scripts/bench/read_json_loop.py runs/x/metrics.jsonl
Prints "SECONDS POINTS" (the read alone, start-up and imports excluded).
"""
import json, sys, time
t = time.perf_counter()
series = {}
with open(sys.argv[1], 'rb') as f:
    for line in f:
        try:
            r = json.loads(line)
        except ValueError:
            continue
        step = r.get('step')
        split = r.get('split', 'train')
        for k, v in r.items():
            if k in ('step', 'time', 'split'):
                continue
            if isinstance(v, (int, float)):
                s = series.get((split, k))
                if s is None:
                    s = series[(split, k)] = ([], [])
                s[0].append(step)
                s[1].append(v)
print(time.perf_counter() - t, sum(len(s[0]) for s in series.values()))

"""Polars' side of `dpotop-bench read --vs-polars`: pl.read_ndjson on a metrics.jsonl.

Run by hand:  python3 scripts/bench/read_polars.py runs/x/metrics.jsonl
Prints "SECONDS PEAK_BYTES BYTES_BEFORE POINTS POLARS_VERSION THREADS";
exits 3 (printing "missing ...") when polars cannot be imported.
"""
import resource, sys, time
try:
    import polars as pl
except ImportError as e:
    print("missing", e)
    sys.exit(3)
def rss():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) * 1024
    return 0
before = rss()
t = time.perf_counter()
df = pl.read_ndjson(sys.argv[1])
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
cols = [c for c, d in zip(df.columns, df.dtypes) if c not in ('step', 'time') and d.is_numeric()]
points = sum(df.height - df[c].null_count() for c in cols)
print(dt, peak, before, points, pl.__version__, pl.thread_pool_size())

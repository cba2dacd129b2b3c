"""Polars' side of `dpotop-bench logdir`: pl.scan_ndjson over every run's metrics.jsonl.

Run by hand:  python3 scripts/bench/logdir_polars.py /tmp/folder
Reads ROOT/*/*/metrics.jsonl (sweep/run/metrics.jsonl) as one lazy scan,
collected. Prints "SECONDS PEAK_BYTES ROWS POLARS_VERSION THREADS" (the
read alone, imports excluded; the peak is the process's); exits 3 (printing
"missing ...") when polars cannot be imported.
"""
import glob
import resource
import sys
import time

try:
    import polars as pl
except ImportError as e:
    print("missing", e)
    sys.exit(3)

files = sorted(glob.glob(sys.argv[1] + "/*/*/metrics.jsonl"))
if not files:
    print("no metrics.jsonl under", sys.argv[1], file=sys.stderr)
    sys.exit(1)
t = time.perf_counter()
df = pl.scan_ndjson(files).collect()
dt = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(dt, peak, df.height, pl.__version__, pl.thread_pool_size())

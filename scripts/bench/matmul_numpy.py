"""numpy's side of `dpotop-bench matmul`: float32 c = a @ b (OpenBLAS) per shape.

Run by hand:  python3 scripts/bench/matmul_numpy.py '[[4096,96,288,0],[96,4096,384,1]]'
A fourth entry of 1 stores a as (k, m) and multiplies a.T (a weight gradient:
numpy hands OpenBLAS the transposed operand, no copy). Prints "kernel NAME" (OpenBLAS's core type, via threadpoolctl when installed),
then one line per shape: the median wall seconds of one call and the median
process CPU seconds of one call (the steadier figure on a loaded machine with
one thread). The bench sets
OPENBLAS_NUM_THREADS and removes OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE.
"""
import json, sys, time
import numpy as np
shapes = json.loads(sys.argv[1])
try:
    import threadpoolctl
    info = [i for i in threadpoolctl.threadpool_info() if i.get("internal_api") == "openblas"]
    print("kernel", info[0].get("architecture") if info else "unknown", flush=True)
except Exception:
    print("kernel unknown (threadpoolctl not installed)", flush=True)
rng = np.random.default_rng(1)
for shape in shapes:
    m, k, n = shape[:3]
    if len(shape) > 3 and shape[3]:
        a = rng.standard_normal((k, m), dtype=np.float32).T
    else:
        a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    t = time.perf_counter(); np.matmul(a, b, out=c); single = max(time.perf_counter() - t, 1e-7)
    calls = max(1, int(0.02 / single))
    samples, cpu = [], []
    for _ in range(7):
        t = time.perf_counter()
        u = time.process_time()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        cpu.append((time.process_time() - u) / calls)
        samples.append((time.perf_counter() - t) / calls)
    samples.sort()
    cpu.sort()
    print(samples[len(samples) // 2], cpu[len(cpu) // 2], flush=True)

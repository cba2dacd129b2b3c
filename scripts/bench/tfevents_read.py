"""TensorBoard's side of `dpotop-bench tfevents`: EventAccumulator keeping every scalar.

Run by hand:  python3 scripts/bench/tfevents_read.py events.out.tfevents.X
Prints "SECONDS POINTS SUM PEAK_RSS_MB CPU_SECONDS" (the load alone, imports excluded).
"""
import sys, time, resource
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
t0, c0 = time.perf_counter(), time.process_time()
ea = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0})
ea.Reload()
t = time.perf_counter() - t0
c = time.process_time() - c0
n, s = 0, 0.0
for tag in ea.Tags()["scalars"]:
    for e in ea.Scalars(tag):
        n += 1
        s += e.value
print(t, n, repr(s), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, c)

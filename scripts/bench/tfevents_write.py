"""Writes the event file `dpotop-bench tfevents` reads: STEPS x TAGS scalars with
tensorboard's own EventFileWriter, one event per scalar (what add_scalar does).

Run by hand:  python3 scripts/bench/tfevents_write.py OUT_DIR STEPS TAGS
Prints the path of the event file written in OUT_DIR.
"""
import sys, glob, os
from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
d, steps, tags = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = ["train/rewards/chosen", "train/rewards/rejected", "train/rewards/margins",
         "train/rewards/accuracies", "train/logps/chosen", "train/logps/rejected",
         "train/loss", "train/grad_norm", "train/learning_rate", "train/epoch"]
names = (names + ["train/extra_%d" % i for i in range(tags)])[:tags]
w = EventFileWriter(d, max_queue_size=1000, flush_secs=3600)
Event, Summary, Value = event_pb2.Event, summary_pb2.Summary, summary_pb2.Summary.Value
t0 = 1764000000.0
for step in range(steps):
    for i, n in enumerate(names):
        v = (step % 977) * 0.001 - i
        w.add_event(Event(step=step, wall_time=t0 + step * 0.01,
                          summary=Summary(value=[Value(tag=n, simple_value=v)])))
w.close()
print(sorted(glob.glob(os.path.join(d, "events.out.tfevents.*")))[-1])

"""The Python side of `dpotop-bench wandb`: reads every record of a .wandb log with
the wandb package's own protobuf classes (the LevelDB-log framing by hand, zlib
CRC-32 checked) and sums the history values (json.loads each).

Run by hand:  python3 scripts/bench/wandb_read.py wandb/run-X/run-ID.wandb
Prints "SECONDS POINTS SUM PEAK_RSS_MB CPU_SECONDS". The envelope keys are not
metrics (dpotop plots rows at train/global_step).
"""
import sys, time, resource, struct, zlib, json
from wandb.proto import wandb_internal_pb2 as pb
skip = {"_step", "_timestamp", "_runtime", "train/global_step"}
t0, c0 = time.perf_counter(), time.process_time()
with open(sys.argv[1], "rb") as f:
    b = f.read()
assert b[:7] == b":W&B\xe1\xbe\x00", "not a W&B log"
p, n, s, frags, B = 7, 0, 0.0, [], 32768
unpack = struct.Struct("<IHB").unpack_from
while p + 7 <= len(b):
    left = B - p % B
    if left < 7:
        p += left
        continue
    crc, ln, t = unpack(b, p)
    data = b[p + 7:p + 7 + ln]
    if zlib.crc32(data, zlib.crc32(bytes((t,)))) != crc:
        raise SystemExit("bad checksum at %d" % p)
    p += 7 + ln
    if t == 1:
        payload = data
    elif t == 2:
        frags = [data]
        continue
    else:
        frags.append(data)
        if t == 3:
            continue
        payload = b"".join(frags)
    r = pb.Record()
    r.ParseFromString(payload)
    if r.WhichOneof("record_type") != "history":
        continue
    for item in r.history.item:
        k = item.key or ".".join(item.nested_key)
        if k in skip:
            continue
        v = json.loads(item.value_json)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            n += 1
            s += v
t = time.perf_counter() - t0
c = time.process_time() - c0
print(t, n, repr(s), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, c)

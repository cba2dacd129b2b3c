#!/usr/bin/env python3
"""Reads `dpotop summary --json` output on stdin and prints one line per run:

  NAME STATUS COUNT LAST_STEP

where COUNT and LAST_STEP are those of the train split's METRIC (default
rewards/chosen), 0 and -1 when dpotop shows no such series. Used by
scripts/e2e-trl.sh to watch runs grow while TRL trains them.

Usage: dpotop summary --json RUN... | observe.py [METRIC]
"""

import json
import sys


def main():
    metric = sys.argv[1] if len(sys.argv) > 1 else "rewards/chosen"
    text = sys.stdin.read().strip()
    runs = json.loads(text) if text else []
    for run in runs:
        manifest = run.get("manifest") or {}
        name = manifest.get("name") or run.get("path", "?")
        status = manifest.get("status", "?")
        count, last = 0, -1
        for m in run.get("metrics", []):
            if m.get("split") == "train" and m.get("key") == metric:
                count, last = m.get("count", 0), m.get("last_step", -1)
        print(f"{name} {status} {count} {last}")


if __name__ == "__main__":
    main()

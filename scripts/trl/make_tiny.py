#!/usr/bin/env python3
"""Builds what a TRL DPO run needs, without a model hub, into one directory,
with dpotop's own exporters (one generator of each dataset, one model):

  OUT/model/   `dpotop export model --hf OUT/model`: the shipped SFT reference
               (GPT-2 architecture, 3 layers, dim 96, 356 832 parameters, 95 %
               held-out task accuracy) with dpotop's character tokenizer, so
               `--model_name_or_path OUT/model` loads it like any hub checkpoint
               and a TRL run starts where dpotop's preference runs start;
  OUT/data/    `dpotop export data math-low-edit --out OUT/data`: train.jsonl
               and test.jsonl in TRL's standard preference format (prompt /
               chosen / rejected), split as dpotop's trainer splits them, so
               `--dataset_name OUT/data` loads them with datasets' local loader.

Everything is seeded: the same seed writes the same files. The dpotop binary
is --dpotop, else $DPOTOP, else this checkout's `swift build` output.

Usage: make_tiny.py OUT [--train N] [--test N] [--seed S] [--dpotop BIN] [--data-only]
"""

import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def dpotop_binary(given):
    if given:
        return given
    if os.environ.get("DPOTOP"):
        return os.environ["DPOTOP"]
    bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
    path = os.path.join(bin_dir, "dpotop")
    if not os.access(path, os.X_OK):
        raise SystemExit(f"make_tiny: no dpotop binary at {path}: run `swift build` first or pass --dpotop")
    return path


def run(argv):
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"make_tiny: {' '.join(argv)} exited {done.returncode}")
    return done.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out", help="directory to create model/ and data/ in")
    ap.add_argument("--train", type=int, default=256, help="training pairs (default 256)")
    ap.add_argument("--test", type=int, default=32,
                    help="held-out pairs: the first N of dpotop's held-out set (default 32)")
    ap.add_argument("--seed", type=int, default=1, help="dpotop train's --seed for the data (default 1)")
    ap.add_argument("--dpotop", help="the dpotop binary (default: $DPOTOP, else swift build's)")
    ap.add_argument("--data-only", action="store_true", help="write only data/")
    a = ap.parse_args()
    dpotop = dpotop_binary(a.dpotop)
    data = os.path.join(a.out, "data")
    run([dpotop, "export", "data", "math-low-edit", "--out", data, "--train-rows", str(a.train),
         "--test-rows", str(a.test), "--seed", str(a.seed)])
    print(f"data: {a.train} train + {a.test} test pairs in {data} (dpotop export data math-low-edit)")
    if not a.data_only:
        model = os.path.join(a.out, "model")
        said = run([dpotop, "export", "model", "--hf", model])
        print(f"model: {said.splitlines()[0].removeprefix('wrote ' + model + ': ')} in {model} "
              "(dpotop export model: the shipped reference)")


if __name__ == "__main__":
    main()

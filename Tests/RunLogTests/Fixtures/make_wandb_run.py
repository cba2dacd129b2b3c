#!/usr/bin/env python3
"""Writes a TRL-shaped W&B run with the real `wandb` package, offline.

    make_wandb_run.py OUT_DIR [--steps N] [--delay SECONDS] [--name NAME] [--id ID]

Writes OUT_DIR/wandb/offline-run-<date>-<id>/run-<id>.wandb (and W&B's other
files, `latest-run` link included) exactly as HF Trainer's WandbCallback drives
W&B for TRL's DPOTrainer: `wandb.init`, the DPOConfig as a config update,
`define_metric("train/global_step")` and `define_metric("*", step_metric=...)`,
then one `log` per training step with HF's `train/` prefix and
`train/global_step`, an eval row every 25 steps (`eval/` prefix), and the final
`train_runtime` row. No network (WANDB_MODE=offline is forced).

The values are closed formulas of the step (see `train_row`, `eval_row`), so
the tests (Tests/RunLogTests/Importers/WandbFixtureTests.swift and
Tests/EndToEndTests/WandbLiveTests.swift) compute what they must read. The
committed fixture Fixtures/wandb-run/ was made with:

    make_wandb_run.py Fixtures/wandb-run --steps 120 --name trl-dpo-fixture --id dpotopfx
    (then: rm -rf Fixtures/wandb-run/wandb/*/{files,logs,tmp} Fixtures/wandb-run/wandb/debug*.log)

`--delay` sleeps between steps (a writer for the live tailing test).
"""
import argparse
import os
import sys
import time

os.environ["WANDB_MODE"] = "offline"
os.environ.setdefault("WANDB_SILENT", "true")
os.environ.setdefault("WANDB_DISABLE_GIT", "true")
os.environ.setdefault("WANDB_CONSOLE", "off")

import wandb  # noqa: E402

EVAL_EVERY = 25


def train_row(s, n):
    """HF's on_log row at global step s of n (TRL's DPOTrainer keys)."""
    chosen = 0.002 * s
    rejected = -0.001 * s
    return {
        "train/loss": 0.6931 - 0.001 * s,
        "train/grad_norm": 1.0 / (1 + s),
        "train/learning_rate": 5e-7 * (1 - s / n),
        "train/rewards/chosen": chosen,
        "train/rewards/rejected": rejected,
        "train/rewards/accuracies": min(1.0, 0.5 + 0.004 * s),
        "train/rewards/margins": chosen - rejected,
        "train/logps/chosen": -50 - 0.05 * s,
        "train/logps/rejected": -52 - 0.1 * s,
        "train/logits/chosen": -1.0,
        "train/logits/rejected": -1.25,
        "train/epoch": s / n,
    }


def eval_row(s):
    return {
        "eval/loss": 0.7 - 0.0005 * s,
        "eval/rewards/chosen": 0.001 * s,
        "eval/rewards/rejected": -0.0005 * s,
        "eval/runtime": 0.5,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--steps", type=int, default=120)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--name", default="trl-dpo-fixture")
    ap.add_argument("--id", default=None)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    run = wandb.init(project="dpotop-fixture", dir=a.out, name=a.name, id=a.id)
    # HF's WandbCallback.setup: the TrainingArguments (here DPOConfig) as config.
    run.config.update(
        {
            "beta": 0.1,
            "loss_type": ["sigmoid"],
            "learning_rate": 5e-7,
            "max_steps": a.steps,
            "per_device_train_batch_size": 4,
            "seed": 42,
            "output_dir": "out",
        },
        allow_val_change=True,
    )
    run.define_metric("train/global_step")
    run.define_metric("*", step_metric="train/global_step", step_sync=True)
    for s in range(1, a.steps + 1):
        run.log({**train_row(s, a.steps), "train/global_step": s})
        if s % EVAL_EVERY == 0:
            run.log({**eval_row(s), "train/global_step": s})
        if a.delay > 0:
            time.sleep(a.delay)
            print(f"step {s}", flush=True)
    run.log(
        {
            "train/train_runtime": 12.5,
            "train/train_loss": 0.65,
            "train/total_flos": 123456.0,
            "train/global_step": a.steps,
        }
    )
    run.finish()
    print(run.dir, file=sys.stderr)


if __name__ == "__main__":
    main()

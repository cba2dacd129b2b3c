#!/usr/bin/env python3
"""Writes the TensorBoard fixtures with the real `tensorboard` package's writer.

Run from this directory with `pip install tensorboard` done (no TensorFlow or
torch needed). The outputs are committed; tests read them byte for byte.
Layout mirrors what TRL's DPOTrainer (HF Trainer + TensorBoard callback) writes:
  trl-run/runs/<date_host>/events.out.tfevents.*   scalars as train/... eval/...
  trl-run/runs/<date_host>/<time>/events.out...    hparams (as torch's add_hparams)
The trl-run/checkpoint-*/trainer_state.json files are written by this script too,
in the shape transformers' TrainerState.save_to_json writes (indent=2, sort_keys).
"""
import json
import math
import os
import shutil

from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, tensor_shape_pb2
from tensorboard.compat.proto import types_pb2
from tensorboard.plugins.hparams import plugin_data_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter
from google.protobuf import struct_pb2

WALL0 = 1764000000.0


def scalar_simple(tag, value):
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])


def scalar_tensor(tag, value, double=False, packed_content=False):
    meta = summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="scalars"))
    if double:
        t = tensor_pb2.TensorProto(dtype=types_pb2.DT_DOUBLE,
                                   tensor_shape=tensor_shape_pb2.TensorShapeProto())
        if packed_content:
            import struct
            t.tensor_content = struct.pack("<d", value)
        else:
            t.double_val.append(value)
    else:
        t = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT,
                                   tensor_shape=tensor_shape_pb2.TensorShapeProto())
        if packed_content:
            import struct
            t.tensor_content = struct.pack("<f", value)
        else:
            t.float_val.append(value)
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, tensor=t, metadata=meta)])


def text(tag, s):
    meta = summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="text"))
    t = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, string_val=[s.encode()],
                               tensor_shape=tensor_shape_pb2.TensorShapeProto(
                                   dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=1)]))
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(
        tag=tag + "/text_summary", tensor=t, metadata=meta)])


def hparams(params):
    info = plugin_data_pb2.SessionStartInfo(group_name="g")
    for k, v in params.items():
        if isinstance(v, bool):
            info.hparams[k].bool_value = v
        elif isinstance(v, (int, float)):
            info.hparams[k].number_value = v
        else:
            info.hparams[k].string_value = str(v)
    content = plugin_data_pb2.HParamsPluginData(session_start_info=info, version=0)
    meta = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(
        plugin_name="hparams", content=content.SerializeToString()))
    return summary_pb2.Summary(value=[summary_pb2.Summary.Value(
        tag="_hparams_/session_start_info", metadata=meta)])


def write(writer, step, summary, wall):
    writer.add_event(event_pb2.Event(step=step, wall_time=wall, summary=summary))


# Metrics of a small DPO run with β = 0.1 (TRL names): rewards = β·log-ratio.
BETA = 0.1


def train_metrics(step):
    lr_chosen = -0.05 * step      # chosen log-ratio falls: the DPO failure mode
    lr_rejected = -0.3 * step
    return {
        "loss": 0.6931 - 0.02 * step,
        "grad_norm": 1.5 + 0.1 * step,
        "learning_rate": 5e-7 * step,
        "rewards/chosen": BETA * lr_chosen,
        "rewards/rejected": BETA * lr_rejected,
        "rewards/accuracies": min(1.0, 0.5 + 0.1 * step),
        "rewards/margins": BETA * (lr_chosen - lr_rejected),
        "logps/chosen": -40.0 + lr_chosen,
        "logps/rejected": -45.0 + lr_rejected,
        "logits/chosen": -1.25,
        "logits/rejected": -1.5,
        "epoch": step / 8.0,
    }


ARGS = {
    "output_dir": "trl-run", "learning_rate": 5e-07, "max_steps": 8, "beta": BETA,
    "loss_type": "sigmoid", "per_device_train_batch_size": 4, "seed": 42,
    "logging_steps": 1, "eval_steps": 4, "report_to": ["tensorboard"],
}


def make_trl_run():
    root = "trl-run"
    shutil.rmtree(root, ignore_errors=True)
    logdir = os.path.join(root, "runs", "Nov25_21-00-00_host")
    w = EventFileWriter(logdir, filename_suffix="")
    # HF's TensorBoardCallback: args as text at train begin, then scalars.
    write(w, 0, text("args", json.dumps(ARGS, indent=2)), WALL0)
    for step in range(1, 9):
        for k, v in train_metrics(step).items():
            write(w, step, scalar_simple("train/" + k, v), WALL0 + step)
        if step % 4 == 0:
            m = train_metrics(step)
            for k in ("loss", "rewards/chosen", "rewards/margins", "rewards/accuracies"):
                write(w, step, scalar_simple("eval/" + k, m[k] * 1.1), WALL0 + step + 0.5)
    w.close()
    hp_dir = os.path.join(logdir, "1764000000.5")
    w = EventFileWriter(hp_dir, filename_suffix="")
    write(w, 0, hparams({k: v for k, v in ARGS.items() if not isinstance(v, list)}), WALL0)
    w.close()
    # trainer_state.json in checkpoints (save_steps=4), HF's layout.
    for ckpt in (4, 8):
        history = []
        for step in range(1, ckpt + 1):
            e = {k: round(v, 6) for k, v in train_metrics(step).items()}
            e["step"] = step
            history.append(e)
            if step % 4 == 0:
                m = train_metrics(step)
                history.append({
                    "epoch": step / 8.0, "step": step,
                    "eval_loss": m["loss"] * 1.1, "eval_rewards/chosen": m["rewards/chosen"] * 1.1,
                    "eval_rewards/margins": m["rewards/margins"] * 1.1,
                    "eval_rewards/accuracies": m["rewards/accuracies"] * 1.1,
                    "eval_runtime": 0.5, "eval_samples_per_second": 64.0,
                    "eval_steps_per_second": 8.0,
                })
        if ckpt == 8:
            history.append({"epoch": 1.0, "step": 8, "total_flos": 0.0, "train_loss": 0.6,
                            "train_runtime": 12.5, "train_samples_per_second": 2.56,
                            "train_steps_per_second": 0.64})
        state = {
            "best_metric": None, "best_model_checkpoint": None, "epoch": ckpt / 8.0,
            "eval_steps": 4, "global_step": ckpt, "is_hyper_param_search": False,
            "is_local_process_zero": True, "is_world_process_zero": True,
            "log_history": history, "logging_steps": 1, "max_steps": 8,
            "num_input_tokens_seen": 0, "num_train_epochs": 1, "save_steps": 4,
            "stateful_callbacks": {}, "total_flos": 0.0, "train_batch_size": 4,
            "trial_name": None, "trial_params": None,
        }
        d = os.path.join(root, "checkpoint-%d" % ckpt)
        os.makedirs(d)
        with open(os.path.join(d, "trainer_state.json"), "w") as f:
            f.write(json.dumps(state, indent=2, sort_keys=True) + "\n")


def make_tensor_scalars():
    """Scalars as rank-0 tensors (TF2 / torch new_style), float and double, both encodings."""
    d = "tb-tensors"
    shutil.rmtree(d, ignore_errors=True)
    w = EventFileWriter(d, filename_suffix="")
    for step in range(0, 5):
        write(w, step, scalar_tensor("loss", 1.0 / (step + 1)), WALL0 + step)
        write(w, step, scalar_tensor("lr64", 1e-4 * step, double=True), WALL0 + step)
        write(w, step, scalar_tensor("content32", 0.25 * step, packed_content=True), WALL0 + step)
        write(w, step, scalar_tensor("content64", -0.5 * step, double=True, packed_content=True),
              WALL0 + step)
    write(w, 5, scalar_simple("loss", math.nan), WALL0 + 5)
    write(w, 6, scalar_simple("loss", math.inf), WALL0 + 6)
    w.close()


def make_tensorboardx_run():
    """What HF Trainer's TensorBoardCallback does through tensorboardX (`pip install
    tensorboardX`): args as text, add_hparams, then rewrite_logs'd scalars per log call."""
    from tensorboardX import SummaryWriter
    root = "hf-tbx-run"
    shutil.rmtree(root, ignore_errors=True)
    w = SummaryWriter(logdir=os.path.join(root, "runs", "Nov25_22-00-00_host"))
    args = dict(ARGS, beta=0.3, loss_type="ipo", output_dir=root)
    w.add_text("args", json.dumps(args, indent=2), walltime=WALL0)
    w.add_hparams({k: v for k, v in args.items() if not isinstance(v, list)}, metric_dict={})
    for step in range(1, 5):
        logs = train_metrics(step)
        if step == 3:
            logs["loss"] = math.nan
        if step % 2 == 0:
            logs.update({"eval_loss": 0.5 / step, "eval_rewards/margins": 0.1 * step})
        for k, v in logs.items():
            tag = "eval/" + k[5:] if k.startswith("eval_") else "train/" + k
            w.add_scalar(tag, v, step, walltime=WALL0 + step)
    w.close()


if __name__ == "__main__":
    make_trl_run()
    make_tensor_scalars()
    make_tensorboardx_run()

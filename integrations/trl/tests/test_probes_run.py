"""Short real DPOTrainer runs with the integration, on dpotop's exported reference.

Needs ``DPOTOP_TRL_TINY``: a directory holding ``model/`` and ``data/`` as
``scripts/trl/make_tiny.py`` writes them (``scripts/check-trl.sh`` makes it).
Each run trains 2 DPOP steps with an evaluation at steps 0 and 2 on the first
8 eval pairs (one eval batch), with the probes callback on all 8, then checks:

- probes.jsonl has 8 lines per evaluation, every field of dpotop's format,
  each log-prob array as long as its token array, tokens that spell the text;
- the per-token sums, averaged over the 8 probes, equal TRL's own logged
  ``eval_logps/chosen`` / ``eval_logps/rejected`` and the integration's
  ``eval_logps/ref_chosen`` / ``eval_logps/ref_rejected`` at the same step
  (1e-3), so the token view shows the numbers TRL trained on;
- the probe metrics are logged (eval split) and the DPOP keys in both splits.

Three reference setups: TRL's reference model, ``precompute_ref_log_probs``
(the callback keeps its own frozen copy), and a PEFT LoRA adapter (reference
= the adapter disabled). ``DPOTOP_TRL_KEEP=DIR`` keeps the runs in DIR (the
check script renders one with dpotop).
"""

import json
import math
import os
import shutil
import tempfile
import unittest
from typing import Any

from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer

from dpotop_trl import DPOPConfig, DPOPTrainer

TINY = os.environ.get("DPOTOP_TRL_TINY")
KEEP = os.environ.get("DPOTOP_TRL_KEEP")
K = 8
FIELDS = {
    "step": int, "pair": int, "prompt": str, "first_diff": int, "chosen_tokens": list, "rejected_tokens": list,
    "chosen_logps": list, "rejected_logps": list, "chosen_ref_logps": list, "rejected_ref_logps": list,
}


def run(name: str, **overrides: Any) -> tuple[str, list[dict[str, Any]], DPOPTrainer]:
    assert TINY, "set DPOTOP_TRL_TINY to a directory made by scripts/trl/make_tiny.py"
    base = KEEP or tempfile.mkdtemp(prefix="dpotop-trl-")
    out = os.path.join(base, name)
    shutil.rmtree(out, ignore_errors=True)
    data = load_dataset("json", data_dir=os.path.join(TINY, "data"))
    options: dict[str, Any] = dict(
        output_dir=out, loss_type="dpop", dpop_lambda=50.0, beta=0.1, max_steps=2, learning_rate=1e-3,
        per_device_train_batch_size=8, per_device_eval_batch_size=K, max_length=128, use_cpu=True, bf16=False,
        gradient_checkpointing=False, eval_strategy="steps", eval_steps=2, eval_on_start=True, logging_steps=1,
        report_to="tensorboard", disable_tqdm=True, save_strategy="no", probes=K, probe_greedy=K, probe_prefix_pairs=K,
        seed=1,
    )
    peft_config = overrides.pop("peft_config", None)
    options.update(overrides)
    model = os.path.join(TINY, "model")
    trainer = DPOPTrainer(
        model=model, args=DPOPConfig(**options), train_dataset=data["train"],
        eval_dataset=data["test"].select(range(K)), processing_class=AutoTokenizer.from_pretrained(model),
        peft_config=peft_config,
    )
    trainer.train()
    with open(os.path.join(out, "probes.jsonl"), encoding="utf-8") as f:
        lines = [json.loads(line) for line in f]
    return out, lines, trainer


class ProbesRun(unittest.TestCase):
    def check(self, name: str, **overrides: Any) -> None:
        out, lines, trainer = run(name, **overrides)
        history = trainer.state.log_history
        evals = {h["step"]: h for h in history if "eval_loss" in h}
        probe_logs = {h["step"]: h for h in history if "eval_logps/greedy" in h}
        self.assertEqual(sorted(evals), [0, 2])
        self.assertEqual(sorted(probe_logs), [0, 2])
        self.assertEqual(len(lines), 2 * K)
        tokenizer = trainer.processing_class
        rows = trainer.eval_dataset
        worst = 0.0
        for step in (0, 2):
            mine = [line for line in lines if line["step"] == step]
            self.assertEqual([line["pair"] for line in mine], list(range(K)))
            for line in mine:
                for field, kind in FIELDS.items():
                    self.assertIsInstance(line[field], kind, field)
                for side in ("chosen", "rejected"):
                    n = len(line[f"{side}_tokens"])
                    self.assertEqual(len(line[f"{side}_logps"]), n)
                    self.assertEqual(len(line[f"{side}_ref_logps"]), n)
                    self.assertTrue(all(math.isfinite(v) and v <= 0 for v in line[f"{side}_logps"]))
                row = rows[line["pair"]]
                self.assertEqual(line["prompt"], row["prompt"])
                self.assertEqual("".join(line["chosen_tokens"]), tokenizer.decode(row["chosen_ids"]))
                self.assertLessEqual(line["first_diff"], min(len(line["chosen_tokens"]), len(line["rejected_tokens"])))
            e = evals[step]
            for key, field in (("logps/chosen", "chosen_logps"), ("logps/rejected", "rejected_logps"),
                               ("logps/ref_chosen", "chosen_ref_logps"),
                               ("logps/ref_rejected", "rejected_ref_logps")):
                mean = sum(sum(line[field]) for line in mine) / K
                diff = abs(mean - e[f"eval_{key}"])
                worst = max(worst, diff)
                self.assertLess(diff, 1e-3, f"{name} step {step} {key}: probes {mean} vs TRL {e['eval_' + key]}")
            p = probe_logs[step]
            for key in ("logps/chosen_prefix", "logps/ref_chosen_prefix", "logps/ref_greedy", "task_accuracy",
                        "probes/seconds"):
                self.assertTrue(math.isfinite(p[f"eval_{key}"]), key)
            prefix = sum(sum(line["chosen_logps"][: line["first_diff"]]) for line in mine) / K
            self.assertAlmostEqual(p["eval_logps/chosen_prefix"], prefix, delta=1e-3)
        # At step 0 the policy is the reference.
        p0 = probe_logs[0]
        self.assertAlmostEqual(p0["eval_logps/greedy"], p0["eval_logps/ref_greedy"], delta=1e-4)
        self.assertAlmostEqual(p0["eval_logps/chosen_prefix"], p0["eval_logps/ref_chosen_prefix"], delta=1e-4)
        train = [h for h in history if "loss" in h and "eval_loss" not in h]
        for key in ("dpop/penalty", "logps/ref_chosen", "logps/ref_rejected", "rewards/margins"):
            self.assertIn(key, train[-1])
            self.assertIn(f"eval_{key}", evals[2])
        # The reference does not move: its log-probs are the same at both evaluations.
        self.assertAlmostEqual(evals[0]["eval_logps/ref_chosen"], evals[2]["eval_logps/ref_chosen"], delta=1e-4)
        print(f"\n{name}: probe sums vs TRL's logged logps, worst |diff| {worst:.2e}; "
              f"callback {p0['eval_probes/seconds']:.2f} s, {probe_logs[2]['eval_probes/seconds']:.2f} s "
              f"per evaluation; eval_runtime {evals[2]['eval_runtime']:.2f} s")

    def test_with_trl_reference_model(self) -> None:
        self.check("ref-model")

    def test_with_precomputed_reference(self) -> None:
        self.check("precompute", precompute_ref_log_probs=True)

    def test_with_peft_adapter(self) -> None:
        from peft import LoraConfig

        self.check("peft", learning_rate=1e-2,
                   peft_config=LoraConfig(r=4, lora_alpha=8, target_modules=["c_attn"], task_type="CAUSAL_LM"))

    def test_k_zero_writes_nothing(self) -> None:
        assert TINY
        out = os.path.join(KEEP or tempfile.mkdtemp(prefix="dpotop-trl-"), "k0")
        shutil.rmtree(out, ignore_errors=True)
        data = load_dataset("json", data_dir=os.path.join(TINY, "data"))
        args = DPOPConfig(output_dir=out, loss_type="dpop", max_steps=1, per_device_train_batch_size=4,
                          max_length=128, use_cpu=True, bf16=False, gradient_checkpointing=False,
                          eval_strategy="steps", eval_steps=1, report_to="none", disable_tqdm=True,
                          save_strategy="no", probes=0)
        trainer = DPOPTrainer(model=os.path.join(TINY, "model"), args=args, train_dataset=data["train"],
                              eval_dataset=data["test"].select(range(4)))
        trainer.train()
        self.assertFalse(os.path.exists(os.path.join(out, "probes.jsonl")))
        self.assertFalse(any("eval_logps/greedy" in h for h in trainer.state.log_history))


class BadInput(unittest.TestCase):
    def test_dpop_refuses_combinations_and_negative_lambda(self) -> None:
        with self.assertRaisesRegex(ValueError, "cannot be combined"):
            DPOPConfig(output_dir="/tmp/x", loss_type=["dpop", "sft"])
        with self.assertRaisesRegex(ValueError, "dpop_lambda must be >= 0"):
            DPOPConfig(output_dir="/tmp/x", loss_type="dpop", dpop_lambda=-1)
        with self.assertRaisesRegex(ValueError, "does not support ld_alpha"):
            DPOPConfig(output_dir="/tmp/x", loss_type="dpop", ld_alpha=0.5)
        with self.assertRaisesRegex(ValueError, "probes must be >= 0"):
            DPOPConfig(output_dir="/tmp/x", probes=-1)

    def test_unsupported_trl_version_fails_naming_the_range(self) -> None:
        from dpotop_trl._compat import check_trl_version

        self.assertEqual(check_trl_version("1.16.3"), "1.16.3")
        for bad in ("1.15.0", "1.17.0", "2.0.0", "0.19.1"):
            with self.assertRaisesRegex(ImportError, r"supports TRL >=1\.16,<1\.17 .*found TRL " + bad.replace(".", r"\.")):
                check_trl_version(bad)


if __name__ == "__main__":
    unittest.main()


class Context(unittest.TestCase):
    def test_greedy_decode_stops_at_the_model_context(self) -> None:
        # A collapsed policy can decode past the model's 128 positions: capped, not an IndexError.
        from types import SimpleNamespace

        from dpotop_trl.probes import ProbesCallback

        assert TINY, "set DPOTOP_TRL_TINY"
        path = os.path.join(TINY, "model")
        model = AutoModelForCausalLM.from_pretrained(path).eval()
        tokenizer = AutoTokenizer.from_pretrained(path)
        cb = ProbesCallback.__new__(ProbesCallback)
        cb.trainer = SimpleNamespace(processing_class=tokenizer,
                                     args=SimpleNamespace(per_device_eval_batch_size=2, max_length=None))
        cb.max_new_tokens = 72
        long_prompt = tokenizer("1+1=2\n" * 21)["input_ids"][:126]
        decodes = cb.greedy_decode(model, [long_prompt, long_prompt[:10]])
        self.assertLessEqual(len(decodes[0]), 2)
        scores = cb.token_logps(model, [long_prompt], [decodes[0] + [5] * 10])
        self.assertEqual(len(scores[0]), 128 - len(long_prompt))

"""ProbesCallback: dpotop's token view and held-out probe metrics for TRL runs.

At each evaluation (``on_evaluate``, after TRL's own eval loss with the same
weights) it

- scores the first K eval pairs token by token under the policy and the
  reference and appends one line per pair to ``OUTPUT_DIR/probes.jsonl`` in
  dpotop's format (docs/run-format.md, "probes.jsonl");
- logs, in the eval split: ``logps/chosen_prefix`` and
  ``logps/ref_chosen_prefix`` (chosen tokens before the first token where
  chosen and rejected differ, mean over the first ``probe_prefix_pairs`` eval
  pairs), ``logps/greedy`` and ``logps/ref_greedy`` (the policy's greedy decode
  of the first ``probe_greedy`` eval prompts, scored under both), and
  ``task_accuracy`` when those rows carry an ``answer`` (the final answer after
  ``####`` compared as text, as dpotop's trainer does), and ``probes/seconds``
  (what all this cost).

The reference: TRL's ``ref_model`` when it has one; under PEFT the model with
its adapter disabled (or its ``ref`` adapter, as TRL does); with
``precompute_ref_log_probs`` and full fine-tuning (no reference in memory) a
frozen copy of the model taken when the callback is made, so make it before
``train()`` (``DPOPTrainer`` does, in its constructor).
"""

import contextlib
import copy
import json
import os
import time
from typing import Any, Iterator

import torch
from transformers import TrainerCallback
from transformers.utils import logging

logger = logging.get_logger(__name__)

_GREEDY_DEFAULT_TOKENS = 128


def final_answer(text: str) -> str | None:
    """The text after the last ``####``, trimmed; None when there is none."""
    at = text.rfind("####")
    if at < 0:
        return None
    tail = text[at + 4 :].strip()
    return tail or None


def model_context(model: torch.nn.Module) -> int | None:
    """The longest sequence the model takes (learned position embeddings), when its config says."""
    config = getattr(model, "config", None)
    for name in ("n_positions", "max_position_embeddings"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


def first_difference(a: list[int], b: list[int]) -> int:
    """Index of the first differing token; the shorter length when one is a prefix of the other."""
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return i
    return n


class ProbesCallback(TrainerCallback):
    """Writes ``probes.jsonl`` and logs the probe metrics at each evaluation (see the module doc)."""

    def __init__(
        self,
        trainer: Any,
        probes: int = 8,
        greedy: int | None = None,
        prefix_pairs: int | None = None,
        max_new_tokens: int | None = None,
        decimals: int = 6,
    ) -> None:
        if probes < 0:
            raise ValueError(f"probes must be >= 0 (got {probes})")
        args = trainer.args
        self.trainer = trainer
        self.probes = probes
        self.greedy = int(greedy if greedy is not None else getattr(args, "probe_greedy", 64))
        self.prefix_pairs = max(
            probes, int(prefix_pairs if prefix_pairs is not None else getattr(args, "probe_prefix_pairs", 128))
        )
        self.max_new_tokens = max_new_tokens or getattr(args, "probe_max_new_tokens", None)
        self.decimals = decimals
        self.path = os.path.join(args.output_dir, "probes.jsonl")
        self.seconds: list[float] = []
        self._frozen_reference: torch.nn.Module | None = None
        self._ref_pairs: tuple[tuple[int, int], list[list[float]], list[list[float]]] | None = None
        if probes > 0 and trainer.ref_model is None and not self._is_peft():
            # Full fine-tuning with precomputed reference log-probs: nothing else keeps the reference.
            model = trainer.accelerator.unwrap_model(trainer.model)
            frozen = copy.deepcopy(model).eval().requires_grad_(False)
            # TRL patches `forward` on the instance (its fused LM head) with a closure over the original
            # model's bound forward, which deepcopy shares: drop it so the copy runs its own weights.
            vars(frozen).pop("forward", None)
            self._frozen_reference = frozen

    # -- the models -------------------------------------------------------------------------------

    def _is_peft(self) -> bool:
        try:
            from peft import PeftModel
        except ImportError:
            return False
        return isinstance(self.trainer.accelerator.unwrap_model(self.trainer.model), PeftModel)

    def _policy(self) -> torch.nn.Module:
        return self.trainer.accelerator.unwrap_model(self.trainer.model)

    @contextlib.contextmanager
    def _reference(self) -> Iterator[torch.nn.Module]:
        """The reference model for the duration of the block."""
        if self.trainer.ref_model is not None:
            yield self.trainer.accelerator.unwrap_model(self.trainer.ref_model)
        elif self._frozen_reference is not None:
            yield self._frozen_reference
        else:  # PEFT: the adapter off, or TRL's "ref" adapter when the run has one
            model = self._policy()
            if "ref" in getattr(model, "peft_config", {}):
                previous = model.active_adapter
                model.set_adapter("ref")
                try:
                    yield model
                finally:
                    model.set_adapter(previous)
            else:
                with model.disable_adapter():
                    yield model

    # -- scoring ----------------------------------------------------------------------------------

    @torch.no_grad()
    def token_logps(self, model: torch.nn.Module, prompts: list[list[int]], completions: list[list[int]]) -> list[list[float]]:
        """log p(token) of every completion token after its prompt, batched with right padding."""
        max_length = getattr(self.trainer.args, "max_length", None)
        pad = self.trainer.processing_class.pad_token_id or 0
        out: list[list[float]] = []
        batch = max(1, int(self.trainer.args.per_device_eval_batch_size))
        device = next(model.parameters()).device
        for start in range(0, len(prompts), batch):
            seqs = [p + c for p, c in zip(prompts[start : start + batch], completions[start : start + batch])]
            limits = [n for n in (max_length, model_context(model)) if n is not None]
            if limits:
                seqs = [s[: min(limits)] for s in seqs]  # TRL's keep_start truncation, and the model's context
            width = max(len(s) for s in seqs)
            ids = torch.full((len(seqs), width), pad, dtype=torch.long, device=device)
            mask = torch.zeros((len(seqs), width), dtype=torch.long, device=device)
            for i, s in enumerate(seqs):
                ids[i, : len(s)] = torch.tensor(s, dtype=torch.long)
                mask[i, : len(s)] = 1
            logits = model(input_ids=ids, attention_mask=mask, use_cache=False).logits.float()
            logp = torch.log_softmax(logits[:, :-1], dim=-1).gather(-1, ids[:, 1:, None]).squeeze(-1)
            for i, s in enumerate(seqs):
                n_prompt = len(prompts[start + i])
                out.append(logp[i, n_prompt - 1 : len(s) - 1].tolist())
        return out

    @torch.no_grad()
    def greedy_decode(self, model: torch.nn.Module, prompts: list[list[int]]) -> list[list[int]]:
        """Greedy completions (ending with the end token when one was produced).

        ``generate`` on left-padded batches: transformers derives each row's
        position ids from the attention mask, so a padded row decodes as it
        would alone (checked in tests/test_probes_run.py).
        """
        tokenizer = self.trainer.processing_class
        limit = self.max_new_tokens or getattr(model.generation_config, "max_new_tokens", None) or _GREEDY_DEFAULT_TOKENS
        eos = tokenizer.eos_token_id
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos
        device = next(model.parameters()).device
        out: list[list[int]] = []
        batch = max(1, int(self.trainer.args.per_device_eval_batch_size)) * 4
        for start in range(0, len(prompts), batch):
            chunk = prompts[start : start + batch]
            width = max(len(p) for p in chunk)
            context = model_context(model)
            new_tokens = limit if context is None else min(limit, context - width)
            if new_tokens <= 0:
                out.extend([] for _ in chunk)
                continue
            ids = torch.full((len(chunk), width), pad, dtype=torch.long, device=device)
            mask = torch.zeros((len(chunk), width), dtype=torch.long, device=device)
            for j, p in enumerate(chunk):
                ids[j, width - len(p) :] = torch.tensor(p, dtype=torch.long)
                mask[j, width - len(p) :] = 1
            gen = model.generate(
                input_ids=ids,
                attention_mask=mask,
                max_new_tokens=new_tokens,
                do_sample=False,
                eos_token_id=eos,
                pad_token_id=pad,
            )
            for seq in gen[:, width:].tolist():
                if eos in seq:
                    seq = seq[: seq.index(eos) + 1]
                out.append(seq)
        return out

    # -- the callback -----------------------------------------------------------------------------

    def on_evaluate(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.probes == 0 and self.greedy == 0:
            return
        dataset = self.trainer.eval_dataset
        if dataset is None or isinstance(dataset, dict):
            return  # several eval sets: which one the probes come from would be a guess
        started = time.monotonic()
        policy = self._policy()
        was_training = policy.training
        policy.eval()
        try:
            metrics, lines = self._measure(dataset, state.global_step)
        finally:
            policy.train(was_training)
        elapsed = time.monotonic() - started
        self.seconds.append(elapsed)
        metrics["probes/seconds"] = elapsed
        if state.is_world_process_zero and lines:
            with open(self.path, "a", encoding="utf-8") as f:
                for line in lines:
                    f.write(line + "\n")
                    f.flush()
        # The model is in eval mode here, so TRL's log() adds nothing of the train split.
        policy.eval()
        try:
            self.trainer.log({f"eval_{k}": v for k, v in metrics.items()})
        finally:
            policy.train(was_training)

    def _measure(self, dataset: Any, step: int) -> tuple[dict[str, float], list[str]]:
        tokenizer = self.trainer.processing_class
        metrics: dict[str, float] = {}
        lines: list[str] = []
        n_pairs = min(self.prefix_pairs, len(dataset))
        rows = dataset.select(range(n_pairs)) if n_pairs > 0 else []
        prompts = [list(r["prompt_ids"]) for r in rows]
        chosen = [list(r["chosen_ids"]) for r in rows]
        rejected = [list(r["rejected_ids"]) for r in rows]
        k = min(self.probes, n_pairs)
        policy = self._policy()
        if n_pairs > 0:
            pol_c = self.token_logps(policy, prompts, chosen)
            pol_r = self.token_logps(policy, prompts[:k], rejected[:k])
            ref_c, ref_r = self._reference_pairs(prompts, chosen, rejected, k)
            diffs = [first_difference(c, r) for c, r in zip(chosen, rejected)]
            metrics["logps/chosen_prefix"] = sum(sum(p[:d]) for p, d in zip(pol_c, diffs)) / n_pairs
            metrics["logps/ref_chosen_prefix"] = sum(sum(p[:d]) for p, d in zip(ref_c, diffs)) / n_pairs
            for i in range(k):
                try:
                    lines.append(self._line(step, i, rows[i], chosen[i], rejected[i], diffs[i],
                                            pol_c[i], pol_r[i], ref_c[i], ref_r[i], tokenizer))
                except ValueError:  # a non-finite log-prob: dpotop would count the line bad; leave it out
                    logger.warning("probes.jsonl: probe %d at step %d has a non-finite log-prob; not written", i, step)
        n_greedy = min(self.greedy, len(dataset))
        if n_greedy > 0:
            g_rows = dataset.select(range(n_greedy))
            g_prompts = [list(r["prompt_ids"]) for r in g_rows]
            decodes = self.greedy_decode(policy, g_prompts)
            pol_g = self.token_logps(policy, g_prompts, decodes)
            with self._reference() as ref:
                ref_g = self.token_logps(ref, g_prompts, decodes)
            metrics["logps/greedy"] = sum(map(sum, pol_g)) / n_greedy
            metrics["logps/ref_greedy"] = sum(map(sum, ref_g)) / n_greedy
            if "answer" in g_rows.column_names:
                scored = right = 0
                for r, ids in zip(g_rows, decodes):
                    if r["answer"] is None:
                        continue
                    scored += 1
                    text = tokenizer.decode(ids, skip_special_tokens=True)
                    right += final_answer(text) == str(r["answer"]).strip()
                if scored:
                    metrics["task_accuracy"] = right / scored
        return metrics, lines

    def _reference_pairs(self, prompts: list[list[int]], chosen: list[list[int]], rejected: list[list[int]],
                         k: int) -> tuple[list[list[float]], list[list[float]]]:
        """The reference's per-token log-probs of the pairs: computed once and kept (the reference does not
        change, unless TRL syncs it: ``sync_ref_model``)."""
        key = (len(prompts), k)
        if self._ref_pairs is None or self._ref_pairs[0] != key or getattr(self.trainer.args, "sync_ref_model", False):
            with self._reference() as ref:
                ref_c = self.token_logps(ref, prompts, chosen)
                ref_r = self.token_logps(ref, prompts[:k], rejected[:k])
            self._ref_pairs = (key, ref_c, ref_r)
        return self._ref_pairs[1], self._ref_pairs[2]

    def _line(self, step: int, pair: int, row: Any, chosen: list[int], rejected: list[int], diff: int,
              pol_c: list[float], pol_r: list[float], ref_c: list[float], ref_r: list[float], tokenizer: Any) -> str:
        def text(ids: list[int]) -> list[str]:
            return [tokenizer.decode([t]) for t in ids]

        def num(values: list[float]) -> list[float]:
            return [round(v, self.decimals) + 0.0 for v in values]

        # Scored tokens only: TRL's max_length truncation may have cut the completion.
        n_c, n_r = len(pol_c), len(pol_r)
        record = {
            "step": step,
            "pair": pair,
            "prompt": row.get("prompt") if isinstance(row.get("prompt"), str) else tokenizer.decode(row["prompt_ids"]),
            "first_diff": min(diff, n_c, n_r),
            "chosen_tokens": text(chosen[:n_c]),
            "rejected_tokens": text(rejected[:n_r]),
            "chosen_logps": num(pol_c),
            "rejected_logps": num(pol_r),
            "chosen_ref_logps": num(ref_c),
            "rejected_ref_logps": num(ref_r),
        }
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"), allow_nan=False)

"""DPOPConfig and DPOPTrainer: TRL's DPO configuration and trainer with a
``loss_type="dpop"``.

Why a subclass: TRL 1.16 computes every loss type inside
``DPOTrainer._compute_loss`` (an if/elif chain over ``loss_type`` that raises on
an unknown name); there is no loss registry, hook or callback that sees the
per-pair log-probs with their gradients. A ``loss_type`` value plus a
``dpop_lambda`` option is how TRL users already choose losses (``--loss_type
dpop`` on the command line), so the subclass keeps that interface: with
``loss_type=["dpop"]`` it computes the batch itself (policy forward through
TRL's fused LM head, reference log-probs from TRL's own
``compute_ref_log_probs`` or the precomputed columns), and for every other
loss type it is TRL's trainer, untouched.
"""

from dataclasses import dataclass, field
from typing import Any

import torch
from trl import DPOConfig, DPOTrainer

from .loss import dpop_losses

_NON_MODEL_KEYS = {"completion_mask", "ref_chosen_logps", "ref_rejected_logps"}


@dataclass
class DPOPConfig(DPOConfig):
    """DPOConfig plus DPO-Positive's λ and the probes callback's options."""

    loss_type: list[str] = field(
        default_factory=lambda: ["sigmoid"],
        metadata={
            "help": "Type of loss: `'dpop'` (DPO-Positive, dpotop_trl, with `dpop_lambda`; alone), or any of TRL's: "
            "`'sigmoid'`, `'hinge'`, `'ipo'`, `'exo_pair'`, `'nca_pair'`, `'robust'`, `'bco_pair'`, `'sppo_hard'`, "
            "`'aot'`, `'aot_unpaired'`, `'apo_zero'`, `'apo_down'`, `'discopop'`, `'sft'`, `'sigmoid_norm'` "
            "(several of TRL's are combined with `loss_weights`)."
        },
    )
    dpop_lambda: float = field(
        default=50.0,
        metadata={"help": "λ of DPO-Positive (loss_type dpop): weight of max(0, log πref(yw|x) − log πθ(yw|x))."},
    )
    probes: int = field(
        default=8,
        metadata={
            "help": "Eval pairs scored token by token into OUTPUT_DIR/probes.jsonl at each evaluation "
            "(dpotop's token view); 0: no probes callback."
        },
    )
    probe_greedy: int = field(
        default=64,
        metadata={
            "help": "Eval prompts greedy-decoded at each evaluation for logps/greedy, logps/ref_greedy and "
            "task_accuracy (rows with an `answer`); 0: none."
        },
    )
    probe_prefix_pairs: int = field(
        default=128,
        metadata={"help": "Eval pairs whose shared-prefix log-probs give logps/chosen_prefix (at least `probes`)."},
    )
    probe_max_new_tokens: int | None = field(
        default=None,
        metadata={"help": "Greedy decode length; default: the model's generation_config.max_new_tokens, else 128."},
    )

    def __post_init__(self) -> None:
        # Checked before TRL's and transformers' own checks, so a bad dpop setting is what is reported.
        if isinstance(self.loss_type, str):
            self.loss_type = [self.loss_type]
        self._check_dpop()
        super().__post_init__()

    def _check_dpop(self) -> None:
        if "dpop" in self.loss_type:
            if self.loss_type != ["dpop"]:
                raise ValueError(
                    f"loss_type dpop cannot be combined with other loss types (got {self.loss_type}); "
                    "pass loss_type dpop alone"
                )
            if not (self.dpop_lambda >= 0):
                raise ValueError(f"dpop_lambda must be >= 0 (got {self.dpop_lambda})")
            unsupported = {
                "ld_alpha": self.ld_alpha is not None,
                "f_divergence_type": self.f_divergence_type != "reverse_kl",
                "use_weighting": bool(self.use_weighting),
                "label_smoothing": self.label_smoothing != 0.0,
            }
            named = [name for name, on in unsupported.items() if on]
            if named:
                raise ValueError(f"loss_type dpop does not support {', '.join(named)}; leave them at their defaults")
        for name in ("probes", "probe_greedy", "probe_prefix_pairs"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0 (got {getattr(self, name)})")


class DPOPTrainer(DPOTrainer):
    """TRL's DPOTrainer with ``loss_type="dpop"``, and dpotop's probes callback
    added when ``args.probes > 0`` and there is an eval dataset.

    With dpop it logs, besides TRL's keys (``loss``, ``rewards/*``,
    ``logps/chosen``, ``logps/rejected``, ``entropy``, ``mean_token_accuracy``),
    ``logps/ref_chosen``, ``logps/ref_rejected`` and ``dpop/penalty`` (mean
    max(0, ref − policy) of the chosen log-prob, before λ), train and eval.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        config = self.args
        self.dpop_lambda = float(getattr(config, "dpop_lambda", 50.0))
        if "dpop" in self.loss_types and not isinstance(config, DPOPConfig):
            raise ValueError("loss_type dpop needs a dpotop_trl.DPOPConfig (for dpop_lambda)")
        if getattr(self, "aux_loss_enabled", False) and self.loss_types == ["dpop"]:
            raise ValueError("loss_type dpop does not support router aux loss (MoE); set output_router_logits off")
        probes = int(getattr(config, "probes", 0))
        if probes > 0 and self.eval_dataset is not None:
            from .probes import ProbesCallback

            self.add_callback(ProbesCallback(self, probes=probes))

    def _compute_loss(self, model, inputs, return_outputs):  # type: ignore[override]
        if self.loss_types != ["dpop"]:
            return super()._compute_loss(model, inputs, return_outputs)
        mode = "train" if self.model.training else "eval"
        completion_mask = inputs["completion_mask"]
        shift_mask = completion_mask[..., 1:]
        seq_len = shift_mask.size(1)
        labels = inputs["input_ids"].masked_fill(completion_mask == 0, -100)
        model_kwargs = {k: v for k, v in inputs.items() if k not in _NON_MODEL_KEYS}
        model_kwargs["use_cache"] = False
        outputs = model(**model_kwargs, labels=labels, fused_lm_head=True)
        per_token = outputs.log_probs[:, -seq_len:]
        chosen_logps, rejected_logps = per_token.sum(dim=1).chunk(2, dim=0)

        if self.precompute_ref_logps:
            ref_chosen_logps, ref_rejected_logps = inputs["ref_chosen_logps"], inputs["ref_rejected_logps"]
        else:
            # TRL's own reference pass: the ref model, or the adapter disabled under PEFT.
            ref_chosen_logps, ref_rejected_logps = self.compute_ref_log_probs(self.ref_model or self.model, inputs)
        ref_chosen_logps = ref_chosen_logps.to(chosen_logps.dtype)
        ref_rejected_logps = ref_rejected_logps.to(rejected_logps.dtype)

        losses, penalty = dpop_losses(
            chosen_logps, rejected_logps, ref_chosen_logps, ref_rejected_logps, self.beta, self.dpop_lambda
        )
        loss = losses.mean()
        self._log_dpop_metrics(
            mode, outputs, shift_mask, chosen_logps, rejected_logps, ref_chosen_logps, ref_rejected_logps, penalty
        )
        if return_outputs:
            with torch.no_grad():
                outputs = model(**model_kwargs)  # logits for compute_metrics (the fused head builds none)
            return loss, outputs
        return loss

    def _log_dpop_metrics(
        self,
        mode: str,
        outputs: Any,
        shift_mask: torch.Tensor,
        chosen: torch.Tensor,
        rejected: torch.Tensor,
        ref_chosen: torch.Tensor,
        ref_rejected: torch.Tensor,
        penalty: torch.Tensor,
    ) -> None:
        gather = self.accelerator.gather
        metrics = self._metrics[mode]
        chosen, rejected = chosen.detach(), rejected.detach()
        chosen_rewards = self.beta * (chosen - ref_chosen)
        rejected_rewards = self.beta * (rejected - ref_rejected)
        per_pair = {
            "rewards/chosen": chosen_rewards,
            "rewards/rejected": rejected_rewards,
            "rewards/accuracies": (chosen_rewards > rejected_rewards).float(),
            "rewards/margins": chosen_rewards - rejected_rewards,
            "logps/chosen": chosen,
            "logps/rejected": rejected,
            "logps/ref_chosen": ref_chosen,
            "logps/ref_rejected": ref_rejected,
            "dpop/penalty": penalty.detach(),
        }
        for key, value in per_pair.items():
            metrics[key].append(gather(value).float().mean().item())
        # Token-level statistics TRL logs for its own losses, from the same fused outputs.
        mask = shift_mask.bool()
        seq_len = shift_mask.size(1)
        tokens = gather(mask.sum()).sum().item()
        if outputs.entropy is not None and tokens > 0:
            entropy = gather(outputs.entropy[:, -seq_len:].detach()[mask].sum()).sum().item()
            metrics["entropy"].append(entropy / tokens)
        if outputs.is_top1 is not None:
            chosen_mask = mask.chunk(2, dim=0)[0]
            chosen_top1 = outputs.is_top1[:, -seq_len:].chunk(2, dim=0)[0]
            right = gather((chosen_top1 & chosen_mask).sum()).sum().item()
            total = gather(chosen_mask.sum()).sum().item()
            if total > 0:
                metrics["mean_token_accuracy"].append(right / total)

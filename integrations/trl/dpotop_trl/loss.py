"""The DPO-Positive loss (Pal et al. 2024, "Smaug", Eq. 3), on sequence log-probs."""

import torch
import torch.nn.functional as F


def dpop_losses(
    chosen_logps: torch.Tensor,
    rejected_logps: torch.Tensor,
    ref_chosen_logps: torch.Tensor,
    ref_rejected_logps: torch.Tensor,
    beta: float,
    lam: float,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-pair DPOP losses and penalties.

    loss = -log σ(β·[(πc − rc) − (πr − rr) − λ·max(0, rc − πc)]), with π the
    policy's and r the reference's log-probs (sums over completion tokens),
    c chosen and r rejected. The penalty max(0, rc − πc) is returned before λ
    (dpotop's ``dpop/penalty``). λ = 0 is DPO (TRL's ``sigmoid``).

    At the kink (πc = rc) the penalty's subgradient is 0, as in dpotop's
    ``PairLoss`` (``torch.relu``'s backward is 0 at 0).
    """
    penalty = torch.relu(ref_chosen_logps - chosen_logps)
    margin = (chosen_logps - ref_chosen_logps) - (rejected_logps - ref_rejected_logps)
    losses = -F.logsigmoid(beta * (margin - lam * penalty))
    return losses, penalty

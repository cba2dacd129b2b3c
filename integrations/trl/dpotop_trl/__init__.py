"""dpotop's integration for Hugging Face TRL.

- ``DPOPConfig`` / ``DPOPTrainer``: TRL's DPOConfig / DPOTrainer with a
  ``loss_type="dpop"`` (DPO-Positive, Pal et al. 2024, Eq. 3) and its
  ``dpop_lambda``; every other loss type is TRL's own.
- ``ProbesCallback``: at each evaluation, writes ``probes.jsonl`` (dpotop's
  token view) and logs the held-out probe metrics dpotop charts.

Two lines in a TRL script::

    from dpotop_trl import DPOPConfig as DPOConfig, DPOPTrainer as DPOTrainer
    args = DPOConfig(..., loss_type="dpop", dpop_lambda=50.0, probes=8)
"""

from ._compat import check_trl_version

__version__ = "0.1.0"
TRL_VERSION = check_trl_version()

from .loss import dpop_losses  # noqa: E402
from .probes import ProbesCallback  # noqa: E402
from .trainer import DPOPConfig, DPOPTrainer  # noqa: E402

__all__ = ["DPOPConfig", "DPOPTrainer", "ProbesCallback", "dpop_losses", "TRL_VERSION"]

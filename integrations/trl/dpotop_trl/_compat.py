"""The TRL versions this integration is written and tested against.

The DPOP loss overrides a private method of TRL's DPOTrainer and reads its
batch layout (``completion_mask``, the fused LM head's ``log_probs``), which
change between TRL minor releases, so any other version is refused at import:
a wrong loss is worse than none.
"""

from importlib.metadata import PackageNotFoundError, version

SUPPORTED = ((1, 16), (1, 17))  # [low, high): TRL 1.16.x
SUPPORTED_TEXT = ">=1.16,<1.17"
TESTED = "TRL 1.16.0 (transformers 5.25.0, torch 2.15.0 CPU, peft 0.22.0)"


def _major_minor(text: str) -> tuple[int, int]:
    parts = text.split(".")
    try:
        return int(parts[0]), int("".join(ch for ch in parts[1] if ch.isdigit()) or "0")
    except (IndexError, ValueError):
        return (0, 0)


def check_trl_version(found: str | None = None) -> str:
    """Returns the installed TRL version, or raises ImportError naming the supported range."""
    if found is None:
        try:
            found = version("trl")
        except PackageNotFoundError:
            raise ImportError(
                f"dpotop_trl needs TRL {SUPPORTED_TEXT} (pip install 'trl{SUPPORTED_TEXT}'); TRL is not installed"
            ) from None
    low, high = SUPPORTED
    if not (low <= _major_minor(found) < high):
        raise ImportError(
            f"dpotop_trl supports TRL {SUPPORTED_TEXT} (tested: {TESTED}); found TRL {found}. "
            f"Install a supported TRL (pip install 'trl{SUPPORTED_TEXT}') or a dpotop_trl made for TRL {found}."
        )
    return found

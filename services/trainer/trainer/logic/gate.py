"""The quality gate: a candidate replaces the champion unless it is worse beyond the tolerance."""

import math
from collections.abc import Mapping

from trainer.models.outcomes import GateDecision

#: Higher is better for both; the candidate must not fall below champion - tolerance on either.
GATE_METRICS: tuple[str, ...] = ("pr_auc", "roc_auc")


def decide_promotion(
    candidate: Mapping[str, float], champion: Mapping[str, float] | None, tolerance: float
) -> GateDecision:
    """Promote when no champion exists, or when every gate metric >= champion's - tolerance.

    Raises ValueError when the candidate lacks a gate metric or has a non-finite one.
    """
    for name in GATE_METRICS:
        if name not in candidate or not math.isfinite(candidate[name]):
            raise ValueError(f"candidate metric {name!r} missing or not finite: {candidate.get(name)!r}")
    if champion is None:
        return GateDecision(promote=True, reason="first model: no champion to compare with")
    failures: list[str] = []
    passes: list[str] = []
    for name in GATE_METRICS:
        champ = champion.get(name)
        if champ is None or not math.isfinite(champ):
            passes.append(f"{name} {candidate[name]:.4f} (champion has none)")
            continue
        floor = champ - tolerance
        text = f"{name} {candidate[name]:.4f} vs champion {champ:.4f} (floor {floor:.4f} = champion - {tolerance:g})"
        (passes if candidate[name] >= floor else failures).append(text)
    if failures:
        return GateDecision(promote=False, reason="worse than champion beyond tolerance: " + "; ".join(failures))
    return GateDecision(promote=True, reason="not worse than champion beyond tolerance: " + "; ".join(passes))

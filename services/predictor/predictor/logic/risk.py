"""Risk tier, risk class and the seed's recommendation rules, stated once."""

from airline_shared.api import PredictRequest, RiskTier
from airline_shared.bundle import TierThresholds

INCOMING_DELAY_SWAP_MINUTES = 15
TIGHT_TURNAROUND_MINUTES = 60

HIGH_RISK_MESSAGE = "⚠️ HIGH CASCADE RISK DETECTED"
AIRCRAFT_SWAP_MESSAGE = "Consider aircraft swap - incoming delay: {minutes} min"
TIGHT_TURNAROUND_MESSAGE = "Tight turnaround detected ({minutes} min) - add buffer time"
MODERATE_RISK_MESSAGE = "⚡ MODERATE RISK - Monitor closely"
LOW_RISK_MESSAGE = "✓ Low risk - Normal operations"


def classify_tier(probability: float, thresholds: TierThresholds) -> RiskTier:
    """The tier of a probability: Low < medium <= Medium < high <= High < critical <= Critical."""
    if probability >= thresholds.critical:
        return "Critical"
    if probability >= thresholds.high:
        return "High"
    if probability >= thresholds.medium:
        return "Medium"
    return "Low"


def classify_class(probability: float, thresholds: TierThresholds) -> int:
    """1 when the probability reaches the bundle's decision threshold, else 0."""
    return 1 if probability >= thresholds.decision else 0


def recommend(request: PredictRequest, tier: RiskTier) -> list[str]:
    """The seed's recommendations, in the seed's order.

    High/Critical -> warning, plus an aircraft swap when the inbound aircraft (prevflightarrdelay)
    is more than 15 min late and a buffer when the turnaround is under 60 min; Medium -> monitor;
    Low -> normal operations.
    """
    if tier in ("High", "Critical"):
        advice = [HIGH_RISK_MESSAGE]
        incoming = request.prevflightarrdelay
        if incoming is not None and incoming > INCOMING_DELAY_SWAP_MINUTES:
            advice.append(AIRCRAFT_SWAP_MESSAGE.format(minutes=round(incoming)))
        turnaround = request.turnaroundminutes
        if turnaround is not None and turnaround < TIGHT_TURNAROUND_MINUTES:
            advice.append(TIGHT_TURNAROUND_MESSAGE.format(minutes=round(turnaround)))
        return advice
    if tier == "Medium":
        return [MODERATE_RISK_MESSAGE]
    return [LOW_RISK_MESSAGE]

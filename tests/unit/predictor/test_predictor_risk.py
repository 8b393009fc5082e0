"""Risk tiers and classes from the bundle thresholds, and every seed recommendation rule."""

import pytest
from airline_shared.api import PredictRequest
from airline_shared.bundle import TierThresholds
from predictor.logic.risk import classify_class, classify_tier, recommend
from predictor_testkit import THRESHOLDS, seed_request

HIGH = "⚠️ HIGH CASCADE RISK DETECTED"


@pytest.mark.parametrize(
    ("probability", "tier"),
    [
        (0.0, "Low"),
        (0.2999, "Low"),
        (0.3, "Medium"),
        (0.4999, "Medium"),
        (0.5, "High"),
        (0.7999, "High"),
        (0.8, "Critical"),
        (1.0, "Critical"),
    ],
)
def test_tier_follows_the_bundle_thresholds(probability: float, tier: str) -> None:
    assert classify_tier(probability, THRESHOLDS) == tier


def test_tiers_move_with_other_thresholds() -> None:
    # Given a bundle with lower cut points
    thresholds = TierThresholds(medium=0.1, high=0.2, critical=0.3, decision=0.15)
    # Then the same probability lands in a higher tier
    assert classify_tier(0.25, thresholds) == "High"
    assert classify_tier(0.25, THRESHOLDS) == "Low"


@pytest.mark.parametrize(("probability", "risk_class"), [(0.4999, 0), (0.5, 1), (0.9, 1)])
def test_risk_class_is_one_at_or_above_the_decision_threshold(probability: float, risk_class: int) -> None:
    assert classify_class(probability, THRESHOLDS) == risk_class


def _request(**changes: object) -> PredictRequest:
    return PredictRequest.model_validate(seed_request(**changes))


@pytest.mark.parametrize("tier", ["High", "Critical"])
def test_high_and_critical_warn_and_advise_swap_and_buffer(tier: str) -> None:
    # Given the seed request: inbound aircraft 30 min late, 45 min turnaround
    advice = recommend(_request(), tier)  # type: ignore[arg-type]
    # Then the warning, the swap and the buffer advice, in the seed's order
    assert advice == [
        HIGH,
        "Consider aircraft swap - incoming delay: 30 min",
        "Tight turnaround detected (45 min) - add buffer time",
    ]


def test_swap_needs_incoming_delay_over_fifteen_minutes() -> None:
    advice = recommend(_request(prevflightarrdelay=15, turnaroundminutes=90), "High")
    assert advice == [HIGH]


def test_incoming_delay_is_the_previous_flight_arrival_delay_not_the_departure_delay() -> None:
    # Given this flight departs 40 min late but the inbound aircraft arrived on time
    advice = recommend(_request(depdelay=40, prevflightarrdelay=0, turnaroundminutes=90), "High")
    # Then no aircraft swap is advised
    assert advice == [HIGH]


def test_tight_turnaround_is_under_sixty_minutes() -> None:
    assert recommend(_request(prevflightarrdelay=0, turnaroundminutes=59), "Critical") == [
        HIGH,
        "Tight turnaround detected (59 min) - add buffer time",
    ]
    assert recommend(_request(prevflightarrdelay=0, turnaroundminutes=60), "Critical") == [HIGH]


def test_minutes_are_formatted_as_integers() -> None:
    advice = recommend(_request(prevflightarrdelay=30.6, turnaroundminutes=44.2), "High")
    assert advice[1:] == [
        "Consider aircraft swap - incoming delay: 31 min",
        "Tight turnaround detected (44 min) - add buffer time",
    ]


def test_unknown_inbound_delay_and_turnaround_give_only_the_warning() -> None:
    advice = recommend(_request(prevflightarrdelay=..., turnaroundminutes=...), "High")
    assert advice == [HIGH]


def test_medium_advises_monitoring() -> None:
    assert recommend(_request(), "Medium") == ["⚡ MODERATE RISK - Monitor closely"]


def test_low_advises_normal_operations() -> None:
    assert recommend(_request(), "Low") == ["✓ Low risk - Normal operations"]

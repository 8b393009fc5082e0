"""Quality gate: promote unless worse than the champion beyond the tolerance on PR-AUC or ROC-AUC."""

import math

import pytest
from trainer.logic.gate import decide_promotion

CHAMPION = {"roc_auc": 0.80, "pr_auc": 0.40, "brier": 0.10}
TOL = 0.005


def test_first_model_is_always_promoted_even_when_weak() -> None:
    # Given no champion, When a weak candidate is judged
    decision = decide_promotion({"roc_auc": 0.51, "pr_auc": 0.02}, None, TOL)
    # Then it is promoted as the first model
    assert decision.promote
    assert "first model" in decision.reason


def test_candidate_equal_to_champion_is_promoted() -> None:
    decision = decide_promotion(dict(CHAMPION), CHAMPION, TOL)
    assert decision.promote


def test_candidate_slightly_worse_within_tolerance_is_promoted() -> None:
    # Given a candidate 0.004 below the champion on both metrics (tolerance 0.005)
    candidate = {"roc_auc": 0.796, "pr_auc": 0.396}
    # When judged / Then promoted
    assert decide_promotion(candidate, CHAMPION, TOL).promote


def test_candidate_exactly_at_the_floor_is_promoted() -> None:
    # Given binary-exact values: candidate = champion - tolerance on both metrics
    candidate = {"roc_auc": 0.75, "pr_auc": 0.375}
    champion = {"roc_auc": 1.0, "pr_auc": 0.625}
    # When judged / Then promoted (the floor is inclusive)
    assert decide_promotion(candidate, champion, 0.25).promote


def test_pr_auc_worse_beyond_tolerance_is_rejected_even_if_roc_auc_improves() -> None:
    # Given a better ROC-AUC but PR-AUC 0.006 below the champion
    candidate = {"roc_auc": 0.90, "pr_auc": 0.394}
    # When judged
    decision = decide_promotion(candidate, CHAMPION, TOL)
    # Then rejected, and the reason names the failing metric with both values
    assert not decision.promote
    assert "pr_auc 0.3940 vs champion 0.4000" in decision.reason
    assert "roc_auc" not in decision.reason


def test_roc_auc_worse_beyond_tolerance_is_rejected() -> None:
    decision = decide_promotion({"roc_auc": 0.79, "pr_auc": 0.45}, CHAMPION, TOL)
    assert not decision.promote
    assert "roc_auc" in decision.reason


def test_zero_tolerance_rejects_any_drop() -> None:
    assert not decide_promotion({"roc_auc": 0.7999, "pr_auc": 0.40}, CHAMPION, 0.0).promote


def test_non_finite_candidate_metric_is_an_error() -> None:
    with pytest.raises(ValueError, match="pr_auc"):
        decide_promotion({"roc_auc": 0.8, "pr_auc": math.nan}, CHAMPION, TOL)

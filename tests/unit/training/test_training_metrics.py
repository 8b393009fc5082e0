"""Eval metrics helpers: equal-count calibration bins, alert-budget tiers, F1-optimal decision."""

import numpy as np
import pytest
from training.config import TrainingConfig
from training.evaluate import baseline_metrics, calibration_table, f1_optimal_threshold, tier_thresholds


def test_calibration_table_has_ten_equal_count_bins() -> None:
    rng = np.random.default_rng(0)
    p = rng.random(1000)
    y = (rng.random(1000) < p).astype(float)
    table = calibration_table(y, p)
    assert [b.count for b in table] == [100] * 10
    assert table[0].mean_predicted < table[-1].mean_predicted
    assert table[-1].observed_rate == pytest.approx(y[np.argsort(p)[-100:]].mean())


def test_tiers_follow_the_alert_budget() -> None:
    # Given 10,000 distinct risks
    p = np.linspace(0, 1, 10_000, endpoint=False)
    y = p > 0.9
    # When deriving tiers with 2 % / 7 % / 20 % budgets
    t = tier_thresholds(y, p, TrainingConfig())
    # Then about that share of flights sits at or above each cut, and the cuts are ordered
    assert (p >= t.critical).mean() == pytest.approx(0.02, abs=1e-3)
    assert (p >= t.high).mean() == pytest.approx(0.07, abs=1e-3)
    assert (p >= t.medium).mean() == pytest.approx(0.20, abs=1e-3)
    assert t.medium <= t.high <= t.critical


def test_f1_optimal_threshold_separates_a_perfect_ranking() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.8, 0.9])
    y = np.array([0, 0, 0, 1, 1])
    assert f1_optimal_threshold(y, p) == 0.8


def test_alert_budgets_must_nest() -> None:
    with pytest.raises(ValueError, match="critical_share < high_share < medium_share"):
        TrainingConfig(critical_share=0.1, high_share=0.05)


def test_baseline_ranks_missing_values_lowest() -> None:
    # Given a feature that is missing exactly on the negatives
    values = np.array([np.nan, np.nan, 5.0, 40.0, -3.0])
    y = np.array([0, 0, 1, 1, 1])
    # When ranking by the raw value
    baseline = baseline_metrics(y, values, "depdelay")
    # Then the missing rows rank below every present value: a perfect ranking
    assert baseline.feature == "depdelay"
    assert baseline.roc_auc == 1.0
    assert baseline.pr_auc == 1.0


def test_baseline_ranks_by_the_raw_value() -> None:
    # Given delays where a larger value means a positive more often than not
    values = np.array([0.0, 10.0, 20.0, 30.0])
    y = np.array([0, 1, 0, 1])
    # When ranking by the raw value
    baseline = baseline_metrics(y, values, "prevflightarrdelay")
    # Then the metrics are those of that ranking
    assert baseline.roc_auc == pytest.approx(0.75)

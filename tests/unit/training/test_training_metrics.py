"""Eval metrics helpers: equal-count calibration bins, alert-budget tiers, F1-optimal decision."""

import numpy as np
import pytest
from training.config import TrainingConfig
from training.evaluate import calibration_table, f1_optimal_threshold, tier_thresholds


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

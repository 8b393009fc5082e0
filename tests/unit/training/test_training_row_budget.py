"""Training memory does not grow with history: a window of recent months and a fit-row budget that keeps
every positive and weights the sampled negatives, so probabilities stay calibrated."""

from pathlib import Path

import numpy as np
import pytest
from training.config import TrainingConfig
from training.data import ReadPlan, read_features, read_features_with_stats
from training.fit import fit_model
from training_synthetic import synthetic_features


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_features(tmp_path_factory.mktemp("budget") / "features", rows=40_000, months=8, seed=11)


def test_the_window_reads_only_the_latest_months(features: Path) -> None:
    # When reading with a 5-month window
    frame, stats = read_features_with_stats(features, ReadPlan(window_months=5))
    # Then only the last 5 of the 8 months are held
    months = np.unique(frame.flight_date.astype("datetime64[M]").astype(str))
    assert months.tolist() == ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08"]
    assert stats.months == tuple(months.tolist())


def test_a_tiny_budget_keeps_every_fit_positive_and_weights_the_sampled_negatives(features: Path) -> None:
    # Given everything the table holds
    full = read_features(features)
    holdout = full.flight_date >= np.datetime64("2024-06-01")  # the last 3 months are never sampled
    # When reading with a budget of 5,000 fit rows
    frame, stats = read_features_with_stats(features, ReadPlan(fit_row_budget=5000, holdout_months=3, seed=1))
    fit = frame.flight_date < np.datetime64("2024-06-01")
    # Then every positive of the fit months is there, negatives are sampled at the reported rate and
    # weighted by its inverse, and the holdout months are complete
    assert frame.label[fit].sum() == full.label[~holdout].sum() == stats.fit_positives
    negatives = int((~frame.label[fit]).sum())
    expected = stats.negative_rate * int((~full.label[~holdout]).sum())
    assert abs(negatives - expected) < 4 * np.sqrt(expected)
    assert int(fit.sum()) < 6000
    assert np.allclose(frame.weight[fit & ~frame.label], 1 / stats.negative_rate)
    assert np.all(frame.weight[frame.label | ~fit] == 1)
    assert int((~fit).sum()) == int(holdout.sum())


def test_weighted_negatives_keep_the_model_calibrated_on_held_out_months(features: Path) -> None:
    # Given the fit months sampled to about 10% of their negatives, and the same months unsampled
    names = ("depdelay", "prevflightarrdelay", "turnaroundminutes")
    config = TrainingConfig(max_iter=60)
    sampled, stats = read_features_with_stats(features, ReadPlan(fit_row_budget=4000, holdout_months=3, seed=2))
    full = read_features(features)
    assert stats.negative_rate < 0.2

    def raw_mean(frame, weighted: bool) -> float:  # type: ignore[no-untyped-def]
        fit = frame.flight_date < np.datetime64("2024-06-01")
        later = ~fit
        model = fit_model(
            frame.matrix(names, fit), frame.label[fit], frame.matrix(names, later), frame.label[later], config,
            sample_weight=frame.weight[fit] if weighted else None,
        )  # fmt: skip
        return float(model.raw_proba(frame.matrix(names, later)).mean())

    # When models are fitted on the sample with and without its weights, and on every row
    reference = raw_mean(full, weighted=False)
    weighted, unweighted = raw_mean(sampled, weighted=True), raw_mean(sampled, weighted=False)

    # Then the weighted sample predicts the held-out months like the full data does; unweighted overshoots
    held_out_rate = full.label[full.flight_date >= np.datetime64("2024-06-01")].mean()
    assert reference == pytest.approx(held_out_rate, rel=0.1)
    assert weighted == pytest.approx(reference, rel=0.2)
    assert unweighted > 1.5 * reference

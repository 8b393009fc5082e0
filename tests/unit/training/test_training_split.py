"""Temporal split: eval = the latest months, calibration just before, fit = the rest; never random."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from training.data import read_features, split_by_time
from training.errors import InsufficientDataError
from training_synthetic import synthetic_features


@pytest.fixture(scope="module")
def frame(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return read_features(synthetic_features(tmp_path_factory.mktemp("split") / "features", rows=3000, months=6))


def test_eval_is_the_last_months_and_no_eval_date_is_in_train(frame) -> None:  # type: ignore[no-untyped-def]
    # Given six months of flights
    # When split with two eval months
    split = split_by_time(frame, eval_months=2)
    # Then eval holds May and June only, and every training date is before the first eval date
    assert split.eval_months == ("2024-05", "2024-06")
    assert frame.flight_date[split.train].max() < frame.flight_date[split.eval].min()
    assert frame.flight_date[split.eval].min() >= np.datetime64("2024-05-01")


def test_calibration_month_sits_between_fit_and_eval(frame) -> None:  # type: ignore[no-untyped-def]
    split = split_by_time(frame, eval_months=2, calibration_months=1)
    assert split.calibration_months == ("2024-04",)
    assert split.fit_months == ("2024-01", "2024-02", "2024-03")
    assert frame.flight_date[split.fit].max() < frame.flight_date[split.calibration].min()
    assert frame.flight_date[split.calibration].max() < frame.flight_date[split.eval].min()


def test_parts_are_disjoint_and_cover_every_row(frame) -> None:  # type: ignore[no-untyped-def]
    split = split_by_time(frame, eval_months=3)
    counts = split.fit.astype(int) + split.calibration.astype(int) + split.eval.astype(int)
    assert np.all(counts == 1)


def test_too_few_months_is_an_actionable_error(tmp_path: Path) -> None:
    # Given three months of data
    frame = read_features(synthetic_features(tmp_path / "f", rows=600, months=3))
    # When asking for three eval months
    # Then the error names the months found and what the split needs
    with pytest.raises(InsufficientDataError, match=r"spans 3 month\(s\).*needs at least 5.*lower --eval-months"):
        split_by_time(frame, eval_months=3)


def test_period_dates_are_python_dates(frame) -> None:  # type: ignore[no-untyped-def]
    from training.data import period

    split = split_by_time(frame, eval_months=2)
    first, last = period(frame.flight_date[split.eval])
    assert (type(first), first.month, last.month) == (date, 5, 6)

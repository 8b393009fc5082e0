"""Which rows the model learns from: legs whose aircraft flies again (the question the API answers)."""

import numpy as np
from training.data import FeaturesFrame, cap_rows, training_population


def _frame(next_turnarounds: list[float]) -> FeaturesFrame:
    n = len(next_turnarounds)
    return FeaturesFrame(
        numeric={
            "next_turnaroundminutes": np.array(next_turnarounds, dtype=float),
            "depdelay": np.arange(n, dtype=float),
        },
        flight_date=np.array(["2007-01-01"] * n, dtype="datetime64[D]"),
        label=np.array([False] * n),
        weight=np.ones(n, dtype=np.float32),
    )


def test_last_legs_of_the_day_are_left_out_by_default() -> None:
    # Given two legs with a next leg and one without (null next turnaround)
    frame = _frame([45.0, np.nan, 90.0])

    # When the training population is selected
    selected = training_population(frame, "with_next_leg")

    # Then only the legs with a next leg remain, every column aligned
    assert selected.rows == 2
    assert selected.numeric["depdelay"].tolist() == [0.0, 2.0]


def test_population_all_keeps_every_row() -> None:
    frame = _frame([45.0, np.nan])
    assert training_population(frame, "all").rows == 2


def test_cap_rows_keeps_a_deterministic_subset_of_the_mask() -> None:
    # Given a mask of 10 true rows out of 20
    mask = np.arange(20) % 2 == 0

    # When capped at 4 rows twice with the same seed
    first, second = cap_rows(mask, 4, seed=1), cap_rows(mask, 4, seed=1)

    # Then 4 rows remain, all from the mask, the same both times
    assert first.sum() == 4 and not (first & ~mask).any()
    assert (first == second).all()
    assert cap_rows(mask, None, seed=1) is mask

"""Delay lookups: mean arrdelay over the 90 days before as_of + 1, per route and carrier."""

from datetime import date
from pathlib import Path

import numpy as np
import pytest
from training.lookups import build_lookups
from training_synthetic import synthetic_columns, write_features


def _frame_with(rows: list[tuple[str, str, str, str, float | None]], tmp_path: Path) -> Path:
    """Hand-made flights (date, origin, dest, carrier, arrdelay) on top of a synthetic schema."""
    n = len(rows)
    columns = synthetic_columns(n, date(2024, 1, 1), 1)
    dates = np.array([date.fromisoformat(r[0]) for r in rows])
    columns |= {
        "flight_date": dates,
        "year": np.array([d.year for d in dates]),
        "month": np.array([d.month for d in dates]),
        "origin": np.array([r[1] for r in rows]),
        "dest": np.array([r[2] for r in rows]),
        "carrier": np.array([r[3] for r in rows]),
        "arrdelay": np.array([np.nan if r[4] is None else r[4] for r in rows]),
    }
    return write_features(tmp_path / "f", columns)


def test_window_is_the_90_days_up_to_the_last_flight_date(tmp_path: Path) -> None:
    # Given flights on the last date, 89 days before (inside) and 90 days before (outside)
    frame = _frame_with(
        [
            ("2024-06-30", "ATL", "LAX", "AA", 10.0),
            ("2024-04-02", "ATL", "LAX", "AA", 20.0),  # as_of - 89 days: inside
            ("2024-04-01", "ATL", "LAX", "AA", 1000.0),  # as_of - 90 days: outside
            ("2024-05-15", "ORD", "SFO", "DL", -4.0),
            ("2024-05-16", "ORD", "SFO", "DL", None),  # no arrival delay: ignored
        ],
        tmp_path,
    )
    # When building the lookups
    lookups = build_lookups(frame)
    # Then only the window counts, nulls are ignored, keys are ORIGIN-DEST
    assert lookups.as_of == date(2024, 6, 30)
    assert lookups.route_avg_arr_delay == {"ATL-LAX": 15.0, "ORD-SFO": -4.0}
    assert lookups.carrier_avg_arr_delay == {"AA": 15.0, "DL": -4.0}
    assert lookups.global_route_avg_arr_delay == pytest.approx((10 + 20 - 4) / 3)
    assert lookups.global_carrier_avg_arr_delay == lookups.global_route_avg_arr_delay


def test_carrier_mean_spans_its_routes(tmp_path: Path) -> None:
    frame = _frame_with(
        [
            ("2024-06-01", "ATL", "LAX", "UA", 30.0),
            ("2024-06-02", "DEN", "SEA", "UA", 0.0),
            ("2024-06-02", "DEN", "SEA", "UA", 6.0),
        ],
        tmp_path,
    )
    lookups = build_lookups(frame)
    assert lookups.carrier_avg_arr_delay == {"UA": 12.0}
    assert lookups.route_avg_arr_delay == {"ATL-LAX": 30.0, "DEN-SEA": 3.0}

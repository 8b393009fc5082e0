"""How leaf values become a calibrated probability: sum_logit, mean_proba, isotonic interpolation."""

import numpy as np
import pytest
from airline_shared.scoring import TreeEnsemble


def _stumps(values: list[tuple[float, float]], aggregation: str, **kwargs: object) -> TreeEnsemble:
    """Stumps on x0 <= 0: tree i gives values[i][0] left and values[i][1] right."""
    n = len(values)
    return TreeEnsemble.from_arrays(
        feature=np.tile(np.array([0, -1, -1], dtype=np.int32), (n, 1)),
        threshold=np.zeros((n, 3)),
        missing_left=np.zeros((n, 3), dtype=np.uint8),
        left=np.tile(np.array([1, -1, -1], dtype=np.int32), (n, 1)),
        right=np.tile(np.array([2, -1, -1], dtype=np.int32), (n, 1)),
        value=np.array([[0.0, lo, hi] for lo, hi in values]),
        aggregation=aggregation,
        **kwargs,  # type: ignore[arg-type]
    )


def test_sum_logit_is_sigmoid_of_baseline_plus_leaf_sum() -> None:
    # Given two boosting stumps and a baseline
    model = _stumps([(-0.5, 0.25), (-0.1, 0.5)], "sum_logit", baseline=-2.0)
    # When scoring a left row and a right row
    p = model.predict_proba(np.array([[-1.0], [1.0]]))
    # Then p = sigmoid(baseline + sum of leaves)
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-np.array([-2.6, -1.25]))), rtol=0, atol=1e-15)


def test_mean_proba_is_the_average_leaf_probability() -> None:
    # Given three forest trees with leaf probabilities
    model = _stumps([(0.1, 0.6), (0.2, 0.9), (0.3, 0.3)], "mean_proba")
    # When scoring
    p = model.predict_proba(np.array([[-1.0], [1.0]]))
    # Then p is the mean (no sigmoid, no baseline)
    np.testing.assert_allclose(p, [0.2, 0.6], atol=1e-15)


def test_calibration_interpolates_between_points_and_clips_outside() -> None:
    # Given a forest whose raw outputs are 0.2 and 0.6, calibrated by isotonic points
    model = _stumps(
        [(0.1, 0.6), (0.2, 0.9), (0.3, 0.3)], "mean_proba", calib_x=np.array([0.3, 0.5]), calib_y=np.array([0.0, 0.4])
    )
    # When the raw output is below the first point (0.2) and between the points (0.6 is above)
    p = model.predict_proba(np.array([[-1.0], [1.0]]))
    # Then below clips to the first y, above clips to the last y
    np.testing.assert_allclose(p, [0.0, 0.4])


def test_calibration_interpolates_linearly_inside_the_range() -> None:
    # Given points (0, 0) and (1, 0.5)
    model = _stumps([(0.2, 0.6)], "mean_proba", calib_x=np.array([0.0, 1.0]), calib_y=np.array([0.0, 0.5]))
    # When raw outputs are 0.2 and 0.6
    p = model.predict_proba(np.array([[-1.0], [1.0]]))
    # Then they are mapped linearly
    np.testing.assert_allclose(p, [0.1, 0.3])


def test_no_calibration_points_means_identity() -> None:
    # Given K = 0 calibration points
    model = _stumps([(0.2, 0.6)], "mean_proba", calib_x=np.zeros(0), calib_y=np.zeros(0))
    # When scoring
    p = model.predict_proba(np.array([[-1.0], [1.0]]))
    # Then the raw mean is returned
    np.testing.assert_allclose(p, [0.2, 0.6])


def test_unknown_aggregation_is_a_format_error() -> None:
    from airline_shared.scoring import BundleFormatError

    # Given / When / Then an aggregation outside the contract is refused by name
    with pytest.raises(BundleFormatError, match="aggregation must be one of"):
        _stumps([(0.2, 0.6)], "median")

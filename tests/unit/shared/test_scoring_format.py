"""model.npz (tree-ensemble-npz/1) round trip and the format errors load_ensemble reports."""

import io

import numpy as np
import pytest
from airline_shared.scoring import BundleFormatError, load_ensemble, save_ensemble


def _arrays() -> dict[str, np.ndarray]:
    return {
        "feature": np.array([[0, -1, -1]], dtype=np.int32),
        "threshold": np.array([[0.5, 0, 0]], dtype=np.float64),
        "missing_left": np.array([[1, 0, 0]], dtype=np.uint8),
        "left": np.array([[1, -1, -1]], dtype=np.int32),
        "right": np.array([[2, -1, -1]], dtype=np.int32),
        "value": np.array([[0, -1.0, 1.0]], dtype=np.float64),
    }


def _npz(**overrides: object) -> bytes:
    arrays: dict[str, object] = {
        **_arrays(),
        "aggregation": np.array("sum_logit"),
        "baseline": np.array(0.25),
        "calib_x": np.array([0.0, 1.0]),
        "calib_y": np.array([0.0, 0.8]),
    }
    arrays.update(overrides)
    buf = io.BytesIO()
    np.savez(buf, **{k: v for k, v in arrays.items() if v is not None})  # type: ignore[arg-type]
    return buf.getvalue()


def test_saved_ensemble_loads_back_with_the_same_predictions() -> None:
    # Given an ensemble saved by training
    raw = save_ensemble(
        **_arrays(),
        aggregation="sum_logit",
        baseline=0.25,
        calib_x=np.array([0.0, 1.0]),
        calib_y=np.array([0.0, 0.8]),
        n_features=3,
    )
    # When loaded without pickle
    model = load_ensemble(raw)
    # Then it keeps its width and scores as defined
    assert model.n_features == 3
    p = model.predict_proba(np.array([[0.0, 9.0, 9.0], [np.nan, 0, 0], [2.0, 0, 0]]))
    np.testing.assert_allclose(p, 0.8 / (1 + np.exp(-np.array([-0.75, -0.75, 1.25]))))


def test_file_written_by_plain_savez_without_n_features_infers_the_width() -> None:
    # Given a contract file without the optional n_features array
    model = load_ensemble(_npz())
    # Then the width is the highest split feature + 1
    assert model.n_features == 1


def test_missing_array_is_named() -> None:
    with pytest.raises(BundleFormatError, match=r"lacks arrays \['calib_y'\]"):
        load_ensemble(_npz(calib_y=None))


def test_wrong_dtype_is_named() -> None:
    with pytest.raises(BundleFormatError, match="'left' must have dtype int32, got int64"):
        load_ensemble(_npz(left=np.array([[1, -1, -1]], dtype=np.int64)))


def test_mismatched_shapes_are_rejected() -> None:
    with pytest.raises(BundleFormatError, match="'value' has shape"):
        load_ensemble(_npz(value=np.zeros((1, 4))))


def test_child_pointing_backwards_is_rejected() -> None:
    with pytest.raises(BundleFormatError, match="right child of tree 0 node 0 is 0"):
        load_ensemble(_npz(right=np.array([[0, -1, -1]], dtype=np.int32)))


def test_child_outside_the_tree_is_rejected() -> None:
    with pytest.raises(BundleFormatError, match="left child of tree 0 node 0 is 7"):
        load_ensemble(_npz(left=np.array([[7, -1, -1]], dtype=np.int32)))


def test_leaf_with_children_is_rejected() -> None:
    with pytest.raises(BundleFormatError, match="leaf nodes"):
        load_ensemble(_npz(left=np.array([[1, 2, -1]], dtype=np.int32)))


def test_object_array_is_refused_without_running_pickle() -> None:
    # Given a file whose aggregation was pickled as an object array
    raw = _npz(aggregation=np.array(["sum_logit", None], dtype=object))
    # Then loading fails as a format error, never unpickles
    with pytest.raises(BundleFormatError, match="without pickle"):
        load_ensemble(raw)


def test_garbage_bytes_are_a_format_error() -> None:
    with pytest.raises(BundleFormatError, match="not a readable numpy archive"):
        load_ensemble(b"definitely not a zip")


def test_unsorted_calibration_points_are_rejected() -> None:
    with pytest.raises(BundleFormatError, match="non-decreasing"):
        load_ensemble(_npz(calib_x=np.array([1.0, 0.0])))


def test_n_features_smaller_than_used_index_is_rejected() -> None:
    with pytest.raises(BundleFormatError, match="n_features is 0"):
        load_ensemble(_npz(n_features=np.array(0)))

"""Routing rules of the numpy tree evaluator: threshold equality, NaN direction, batch vs single row."""

import numpy as np
import pytest
from airline_shared.scoring import TreeEnsemble

NAN = np.nan


def _one_tree(*, missing_left_root: int = 1, missing_left_inner: int = 0, root_threshold: float = 1.0) -> TreeEnsemble:
    """Root: x0 <= root_threshold -> leaf 0.1 | node 2: x1 <= 0 -> leaf 0.7 | leaf 0.9 (mean_proba, 1 tree)."""
    return TreeEnsemble.from_arrays(
        feature=np.array([[0, -1, 1, -1, -1]], dtype=np.int32),
        threshold=np.array([[root_threshold, 0, 0.0, 0, 0]], dtype=np.float64),
        missing_left=np.array([[missing_left_root, 0, missing_left_inner, 0, 0]], dtype=np.uint8),
        left=np.array([[1, -1, 3, -1, -1]], dtype=np.int32),
        right=np.array([[2, -1, 4, -1, -1]], dtype=np.int32),
        value=np.array([[0, 0.1, 0, 0.7, 0.9]], dtype=np.float64),
        aggregation="mean_proba",
        n_features=2,
    )


def test_value_equal_to_threshold_goes_left() -> None:
    # Given a root split at x0 <= 1.0
    tree = _one_tree()
    # When x0 is exactly the threshold, or just above it
    p = tree.predict_proba(np.array([[1.0, 5.0], [np.nextafter(1.0, 2.0), 5.0]]))
    # Then equality goes left (0.1) and the next float goes right (then x1 > 0 -> 0.9)
    np.testing.assert_array_equal(p, [0.1, 0.9])


@pytest.mark.parametrize(("missing_left", "expected"), [(1, 0.1), (0, 0.9)])
def test_nan_follows_the_node_missing_direction(missing_left: int, expected: float) -> None:
    # Given the root sends NaN left or right
    tree = _one_tree(missing_left_root=missing_left)
    # When x0 is missing (x1 = 5 sends the inner node right)
    p = tree.predict_proba(np.array([[NAN, 5.0]]))
    # Then the row lands where the root's missing flag says
    assert p[0] == expected


def test_nan_direction_is_per_node() -> None:
    # Given root sends NaN left but the inner node sends NaN right
    tree = _one_tree(missing_left_root=1, missing_left_inner=0)
    # When x0 is known (goes right) and x1 is missing
    p = tree.predict_proba(np.array([[3.0, NAN]]))
    # Then the inner node's own flag applies
    assert p[0] == 0.9


def test_infinite_threshold_splits_missing_from_present() -> None:
    # Given a missing-only split (threshold +inf, NaN right) like HistGradientBoosting writes
    tree = _one_tree(root_threshold=np.inf, missing_left_root=0)
    # When one row has a huge value, one +inf and one NaN
    p = tree.predict_proba(np.array([[1e300, 5.0], [np.inf, 5.0], [NAN, 5.0]]))
    # Then every present value goes left and only NaN goes right
    np.testing.assert_array_equal(p, [0.1, 0.1, 0.9])


def test_single_row_equals_batch_prediction() -> None:
    # Given a random forest-like ensemble of many trees
    rng = np.random.default_rng(7)
    tree = _one_tree()
    many = TreeEnsemble.from_arrays(
        feature=np.repeat(tree.feature, 50, axis=0),
        threshold=np.repeat(tree.threshold, 50, axis=0) + rng.normal(size=(50, 1)),
        missing_left=np.repeat(tree.missing_left, 50, axis=0),
        left=np.repeat(tree.left, 50, axis=0),
        right=np.repeat(tree.right, 50, axis=0),
        value=np.repeat(tree.value, 50, axis=0),
        aggregation="mean_proba",
    )
    X = rng.normal(size=(3000, 2))
    X[rng.random(X.shape) < 0.2] = NAN
    # When scored in one (chunked) batch and row by row
    batch = many.predict_proba(X)
    singles = np.array([many.predict_proba(X[i : i + 1])[0] for i in range(0, 3000, 97)])
    # Then the results agree
    np.testing.assert_array_equal(batch[::97], singles)


def test_trees_of_different_depths_are_all_walked_to_their_leaves() -> None:
    # Given a stump (depth 1) and a depth-2 tree summed as logits
    deep = _one_tree()
    stump_feature = np.array([[1, -1, -1, -1, -1]], dtype=np.int32)
    ensemble = TreeEnsemble.from_arrays(
        feature=np.vstack([stump_feature, deep.feature]),
        threshold=np.vstack([np.zeros((1, 5)), deep.threshold]),
        missing_left=np.vstack([np.zeros((1, 5), dtype=np.uint8), deep.missing_left]),
        left=np.vstack([np.array([[1, -1, -1, -1, -1]], dtype=np.int32), deep.left]),
        right=np.vstack([np.array([[2, -1, -1, -1, -1]], dtype=np.int32), deep.right]),
        value=np.vstack([np.array([[0, -1.0, 1.0, 0, 0]]), deep.value]),
        aggregation="sum_logit",
        baseline=0.5,
    )
    # When a row goes right in both trees
    p = ensemble.predict_proba(np.array([[3.0, 2.0]]))
    # Then raw = 0.5 + 1.0 + 0.9
    assert p[0] == pytest.approx(1 / (1 + np.exp(-2.4)), abs=1e-15)


def test_wrong_input_width_is_rejected() -> None:
    # Given a two-feature model
    tree = _one_tree()
    # When given three columns
    # Then it says which shape it needs
    with pytest.raises(ValueError, match=r"shape \[n, 2\]"):
        tree.predict_proba(np.zeros((1, 3)))

"""Evaluate a `tree-ensemble-npz/1` model with numpy only: no pickle, no scikit-learn, no I/O.

One definition used three times: training checks parity against scikit-learn, the trainer
smoke-tests a candidate bundle, the predictor serves. Format (see the bundle docs):
per-tree node arrays padded to the same width N, node 0 the root, go LEFT when
`x <= threshold`, NaN follows `missing_left`; leaves have feature -1 and children -1.
"""

import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from airline_shared.bundle import MANIFEST_FILE, BundleManifest

Aggregation = Literal["sum_logit", "mean_proba"]
AGGREGATIONS: Final[tuple[str, ...]] = ("sum_logit", "mean_proba")
#: Optional extra array (int64 scalar): the model's input width. Absent -> max feature index + 1.
N_FEATURES_KEY: Final = "n_features"
#: The per-node arrays of the format (one row per tree, one column per node) and their dtypes.
NODE_ARRAYS: Final = {
    "feature": np.int32,
    "threshold": np.float64,
    "missing_left": np.uint8,
    "left": np.int32,
    "right": np.int32,
    "value": np.float64,
}
_MAX_BATCH_CELLS: Final = 1 << 15  # rows x trees evaluated at once; bounds memory for big X
_FLOAT_MAX: Final = float(np.finfo(np.float64).max)


class BundleFormatError(ValueError):
    """model.npz is not a valid tree-ensemble-npz/1 file."""


class BundleIntegrityError(ValueError):
    """Bundle files do not match the SHA-256 hashes in the manifest."""


def sha256_hex(data: bytes) -> str:
    """SHA-256 of the bytes as lowercase hex."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """A validated tree ensemble; build it with `load_ensemble` or `TreeEnsemble.from_arrays`."""

    feature: npt.NDArray[np.int32]
    threshold: npt.NDArray[np.float64]
    missing_left: npt.NDArray[np.uint8]
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    value: npt.NDArray[np.float64]
    aggregation: Aggregation
    baseline: float
    calib_x: npt.NDArray[np.float64]
    calib_y: npt.NDArray[np.float64]
    n_features: int
    # Flattened routing tables built in __post_init__ (private).
    _feat: np.ndarray = field(init=False, repr=False)
    _thr: np.ndarray = field(init=False, repr=False)
    _child: np.ndarray = field(init=False, repr=False)
    _leaf_value: np.ndarray = field(init=False, repr=False)
    _roots: np.ndarray = field(init=False, repr=False)
    _active: np.ndarray = field(init=False, repr=False)

    @classmethod
    def from_arrays(
        cls,
        *,
        feature: np.ndarray,
        threshold: np.ndarray,
        missing_left: np.ndarray,
        left: np.ndarray,
        right: np.ndarray,
        value: np.ndarray,
        aggregation: str,
        baseline: float = 0.0,
        calib_x: np.ndarray | None = None,
        calib_y: np.ndarray | None = None,
        n_features: int | None = None,
    ) -> "TreeEnsemble":
        """Validate raw arrays (dtypes, shapes, indices) into an ensemble; raises BundleFormatError."""
        arrays = {"feature": feature, "threshold": threshold, "missing_left": missing_left}
        arrays |= {"left": left, "right": right, "value": value}
        nodes = {name: _as_node_array(name, arr) for name, arr in arrays.items()}
        shape = nodes["feature"].shape
        for name, arr in nodes.items():
            if arr.shape != shape:
                raise BundleFormatError(f"array {name!r} has shape {arr.shape}, expected {shape} like 'feature'")
        if aggregation not in AGGREGATIONS:
            raise BundleFormatError(f"aggregation must be one of {AGGREGATIONS}, got {aggregation!r}")
        cx, cy = _calibration(calib_x, calib_y)
        width = _validate_topology(nodes, n_features)
        if not np.isfinite(baseline):
            raise BundleFormatError(f"baseline must be finite, got {baseline}")
        return cls(
            feature=nodes["feature"],
            threshold=nodes["threshold"],
            missing_left=nodes["missing_left"],
            left=nodes["left"],
            right=nodes["right"],
            value=nodes["value"],
            aggregation=aggregation,  # type: ignore[arg-type]
            baseline=float(baseline),
            calib_x=cx,
            calib_y=cy,
            n_features=width,
        )

    def __post_init__(self) -> None:
        # Flattened routing tables over trees sorted by depth (deepest first): leaves point to
        # themselves, so level d only walks the prefix of trees deeper than d, all rows and trees
        # at once. NaN routing is folded into the feature index: column f of the doubled input
        # holds NaN as -inf (always left), column n_features + f holds it as +inf (always right).
        tree_depth = _tree_depths(self.left, self.right)
        order = np.argsort(-tree_depth, kind="stable")
        n_trees, n_nodes = self.feature.shape
        leaf = self.feature[order] < 0
        own = np.broadcast_to(np.arange(n_nodes, dtype=np.intp), (n_trees, n_nodes))
        offset = (np.arange(n_trees, dtype=np.intp) * n_nodes)[:, None]
        nan_right = (self.missing_left[order] == 0).astype(np.intp)
        left = np.where(leaf, own, self.left[order]) + offset
        right = np.where(leaf, own, self.right[order]) + offset
        threshold = np.where(self.threshold[order] == np.inf, _FLOAT_MAX, self.threshold[order])
        depths = tree_depth[order]
        # Node ids are kept doubled (2 * flat index) so the next id is child[id + go_right].
        tables = {
            "_feat": np.repeat(
                np.where(leaf, 0, self.feature[order] + nan_right * self.n_features).astype(np.intp).ravel(), 2
            ),
            "_thr": np.repeat(np.where(leaf, np.inf, threshold).ravel(), 2),
            "_child": 2 * np.stack([left.ravel(), right.ravel()], axis=1).ravel(),
            "_leaf_value": np.repeat(self.value[order].ravel(), 2),
            "_roots": 2 * offset.ravel(),
            "_active": np.array([int((depths > d).sum()) for d in range(int(depths.max()))], dtype=np.intp),
        }
        for name, table in tables.items():
            object.__setattr__(self, name, table)

    @property
    def n_trees(self) -> int:
        return int(self.feature.shape[0])

    def predict_proba(self, X: np.ndarray) -> npt.NDArray[np.float64]:
        """Calibrated P(class 1) per row of X (float64 [n, n_features], NaN = missing); raises ValueError on bad shape."""
        x = np.asarray(X, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"X must have shape [n, {self.n_features}], got {x.shape}")
        step = max(1, _MAX_BATCH_CELLS // max(1, self.n_trees))
        if x.shape[0] <= step:
            return self._calibrate(self._aggregate(self._leaf_values(x)))
        parts = [self._aggregate(self._leaf_values(x[i : i + step])) for i in range(0, x.shape[0], step)]
        return self._calibrate(np.concatenate(parts))

    def _leaf_values(self, x: np.ndarray) -> np.ndarray:
        real = np.minimum(x, _FLOAT_MAX)  # +inf inputs behave like the largest float; NaN stays NaN
        nan = np.isnan(real)
        doubled = np.concatenate([np.where(nan, -np.inf, real), np.where(nan, np.inf, real)], axis=1)
        feat, thr, child = self._feat, self._thr, self._child
        if x.shape[0] == 1:  # the serving path: 1-D walk, fewest numpy calls per level
            row = doubled[0]
            node = self._roots.copy()
            for k in self._active:
                at = node[:k]
                node[:k] = child[at + (row[feat[at]] > thr[at])]
            return self._leaf_value[node][None, :]  # type: ignore[no-any-return]
        flat = doubled.ravel()
        row_offset = (np.arange(x.shape[0], dtype=np.intp) * (2 * self.n_features))[:, None]
        nodes = np.repeat(self._roots[None, :], x.shape[0], axis=0)
        for k in self._active:
            at = nodes[:, :k]
            nodes[:, :k] = child[at + (flat[row_offset + feat[at]] > thr[at])]
        return self._leaf_value[nodes]  # type: ignore[no-any-return]

    def _aggregate(self, leaves: np.ndarray) -> np.ndarray:
        if self.aggregation == "mean_proba":
            return leaves.sum(axis=1) / self.n_trees  # type: ignore[no-any-return]
        raw = self.baseline + leaves.sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))  # type: ignore[no-any-return]

    def _calibrate(self, p: np.ndarray) -> npt.NDArray[np.float64]:
        if self.calib_x.size == 0:
            return p
        return np.interp(p, self.calib_x, self.calib_y)


def _as_node_array(name: str, arr: np.ndarray) -> np.ndarray:
    a = np.asarray(arr)
    want = np.dtype(NODE_ARRAYS[name])
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1:
        raise BundleFormatError(f"array {name!r} must be 2-D [trees, nodes] and non-empty, got shape {a.shape}")
    if a.dtype != want:
        raise BundleFormatError(f"array {name!r} must have dtype {want}, got {a.dtype}")
    return a


def _calibration(calib_x: np.ndarray | None, calib_y: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    cx = np.zeros(0) if calib_x is None else np.asarray(calib_x)
    cy = np.zeros(0) if calib_y is None else np.asarray(calib_y)
    for name, arr in (("calib_x", cx), ("calib_y", cy)):
        if arr.ndim != 1 or arr.dtype != np.float64:
            raise BundleFormatError(f"{name} must be a 1-D float64 array, got {arr.dtype} shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise BundleFormatError(f"{name} must be finite")
    if cx.shape != cy.shape:
        raise BundleFormatError(f"calib_x and calib_y must have the same length, got {cx.size} and {cy.size}")
    if cx.size and np.any(np.diff(cx) < 0):
        raise BundleFormatError("calib_x must be non-decreasing")
    if cy.size and (cy.min() < 0 or cy.max() > 1):
        raise BundleFormatError("calib_y must lie in [0, 1]")
    return cx, cy


def _validate_topology(nodes: dict[str, np.ndarray], n_features: int | None) -> int:
    feature, left, right = nodes["feature"], nodes["left"], nodes["right"]
    n_nodes = feature.shape[1]
    leaf = feature < 0
    if np.any(feature < -1):
        raise BundleFormatError("feature index must be >= -1 (-1 marks a leaf)")
    if np.any(leaf & ((left != -1) | (right != -1))):
        raise BundleFormatError("leaf nodes (feature -1) must have left = right = -1")
    own = np.arange(n_nodes)[None, :]
    for name, child in (("left", left), ("right", right)):
        bad = ~leaf & ((child <= own) | (child >= n_nodes))
        if np.any(bad):
            tree, node = (int(i) for i in np.argwhere(bad)[0])
            raise BundleFormatError(
                f"{name} child of tree {tree} node {node} is {int(child[tree, node])}: must point forward inside [1, {n_nodes})"
            )
    if np.any(np.isnan(nodes["threshold"][~leaf])):
        raise BundleFormatError("split thresholds must not be NaN (+-inf is allowed: a missing-only split)")
    if not np.all(np.isfinite(nodes["value"][leaf])):
        raise BundleFormatError("leaf values must be finite")
    used = int(feature.max()) + 1
    if n_features is None:
        return max(used, 1)
    if n_features < used:
        raise BundleFormatError(f"n_features is {n_features} but splits use feature index {used - 1}")
    return int(n_features)


def _tree_depths(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Longest root-to-leaf path of each tree (children always point forward, so one pass)."""
    n_trees, n_nodes = left.shape
    depth = np.full((n_trees, n_nodes), -1, dtype=np.int64)
    depth[:, 0] = 0
    rows = np.arange(n_trees)
    for node in range(n_nodes):
        d = depth[:, node]
        inner = (d >= 0) & (left[:, node] >= 0)
        for child in (left[:, node], right[:, node]):
            t, c = rows[inner], child[inner]
            depth[t, c] = np.maximum(depth[t, c], d[inner] + 1)
    return depth.max(axis=1)  # type: ignore[no-any-return]


def load_ensemble(raw: bytes) -> TreeEnsemble:
    """Load model.npz bytes without pickle; raises BundleFormatError naming what is wrong."""
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise BundleFormatError(f"model.npz is not a readable numpy archive without pickle: {exc}") from exc
    missing = sorted({*NODE_ARRAYS, "aggregation", "baseline", "calib_x", "calib_y"} - arrays.keys())
    if missing:
        raise BundleFormatError(f"model.npz lacks arrays {missing}")
    aggregation = arrays["aggregation"]
    if aggregation.shape != () or aggregation.dtype.kind != "U":
        raise BundleFormatError(
            f"aggregation must be a unicode scalar, got {aggregation.dtype} shape {aggregation.shape}"
        )
    baseline = arrays["baseline"]
    if baseline.shape != () or baseline.dtype != np.float64:
        raise BundleFormatError(f"baseline must be a float64 scalar, got {baseline.dtype} shape {baseline.shape}")
    width = arrays.get(N_FEATURES_KEY)
    if width is not None and (width.shape != () or width.dtype.kind not in "iu"):
        raise BundleFormatError(f"{N_FEATURES_KEY} must be an integer scalar, got {width.dtype} shape {width.shape}")
    return TreeEnsemble.from_arrays(
        **{name: arrays[name] for name in NODE_ARRAYS},
        aggregation=str(aggregation),
        baseline=float(baseline),
        calib_x=arrays["calib_x"],
        calib_y=arrays["calib_y"],
        n_features=None if width is None else int(width),
    )


def save_ensemble(
    *,
    feature: np.ndarray,
    threshold: np.ndarray,
    missing_left: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    value: np.ndarray,
    aggregation: Aggregation,
    baseline: float = 0.0,
    calib_x: np.ndarray | None = None,
    calib_y: np.ndarray | None = None,
    n_features: int | None = None,
) -> bytes:
    """Validate the arrays and serialise them as model.npz bytes; raises BundleFormatError."""
    ens = TreeEnsemble.from_arrays(
        feature=feature,
        threshold=threshold,
        missing_left=missing_left,
        left=left,
        right=right,
        value=value,
        aggregation=aggregation,
        baseline=baseline,
        calib_x=calib_x,
        calib_y=calib_y,
        n_features=n_features,
    )
    buf = io.BytesIO()
    np.savez(
        buf,
        feature=ens.feature,
        threshold=ens.threshold,
        missing_left=ens.missing_left,
        left=ens.left,
        right=ens.right,
        value=ens.value,
        aggregation=np.array(ens.aggregation),
        baseline=np.array(ens.baseline, dtype=np.float64),
        calib_x=ens.calib_x,
        calib_y=ens.calib_y,
        n_features=np.array(ens.n_features, dtype=np.int64),  # key N_FEATURES_KEY
    )
    return buf.getvalue()


def verify_bundle_files(manifest: BundleManifest, files: Mapping[str, bytes]) -> None:
    """Check every manifest-listed file is present with its SHA-256 and nothing else is; raises BundleIntegrityError."""
    problems = []
    for name, expected in sorted(manifest.files.items()):
        if name not in files:
            problems.append(f"{name}: listed in the manifest but missing")
        elif (actual := sha256_hex(files[name])) != expected.lower():
            problems.append(f"{name}: sha256 {actual} != manifest {expected}")
    unlisted = sorted(set(files) - set(manifest.files) - {MANIFEST_FILE})
    problems += [f"{name}: present but not listed in the manifest" for name in unlisted]
    if problems:
        raise BundleIntegrityError(f"bundle {manifest.version} failed verification: " + "; ".join(problems))


def verified_file_hashes(manifest: BundleManifest, manifest_raw: bytes) -> dict[str, str]:
    """SHA-256 of every file of a bundle `verify_bundle_files` accepted, manifest.json included, sorted by name.

    The listed files' hashes are the manifest's (just proven equal): only the manifest itself is hashed.
    """
    hashes = {name: digest.lower() for name, digest in manifest.files.items()}
    hashes[MANIFEST_FILE] = sha256_hex(manifest_raw)
    return dict(sorted(hashes.items()))

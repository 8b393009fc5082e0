"""Read and validate the features table, and split it by time (never randomly across time)."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from airline_shared.features import LABEL, MODEL_FEATURES, PARTITION_COLUMNS, SEED_MODEL_FEATURES

from training.errors import InsufficientDataError, MissingColumnsError, SingleClassError, TrainingDataError

#: Columns the lookups and the split need besides the model inputs and the label.
CONTEXT_COLUMNS: tuple[str, ...] = ("flight_date", "origin", "dest", "carrier", "arrdelay")
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys((*CONTEXT_COLUMNS, *MODEL_FEATURES, *SEED_MODEL_FEATURES, LABEL))
)


@dataclass(frozen=True)
class FeaturesFrame:
    """The columns training uses, as numpy arrays (floats with NaN for nulls; strings as objects)."""

    numeric: dict[str, np.ndarray]
    flight_date: np.ndarray  # datetime64[D]
    label: np.ndarray  # bool
    origin: np.ndarray
    dest: np.ndarray
    carrier: np.ndarray

    @property
    def rows(self) -> int:
        return int(self.label.size)

    def matrix(self, features: tuple[str, ...], rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Float64 [n, len(features)] design matrix for the given rows."""
        return np.column_stack([self.numeric[name][rows] for name in features]).astype(np.float64, copy=False)


@dataclass(frozen=True)
class TemporalSplit:
    """Row masks: fit < calibration < eval in time; months are (year, month) periods."""

    fit: np.ndarray
    calibration: np.ndarray
    eval: np.ndarray
    fit_months: tuple[str, ...]
    calibration_months: tuple[str, ...]
    eval_months: tuple[str, ...]

    @property
    def train(self) -> np.ndarray:
        """Fit plus calibration rows: everything before the evaluation period."""
        return self.fit | self.calibration


def read_features(features_dir: Path) -> FeaturesFrame:
    """Read the hive-partitioned Parquet features table; raises TrainingDataError / MissingColumnsError."""
    if not features_dir.is_dir():
        raise TrainingDataError(f"features directory {features_dir} does not exist (SM_CHANNEL_TRAIN / --features)")
    try:
        dataset = ds.dataset(
            features_dir,
            format="parquet",
            partitioning=ds.partitioning(pa.schema([(c, pa.int32()) for c in PARTITION_COLUMNS]), flavor="hive"),
            ignore_prefixes=[".", "_"],
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise TrainingDataError(f"cannot read the features table under {features_dir}: {exc}") from exc
    if not dataset.files:
        raise TrainingDataError(f"no Parquet files under {features_dir}: expected year=YYYY/month=MM/*.parquet")
    missing = [c for c in REQUIRED_COLUMNS if c not in dataset.schema.names]
    if missing:
        raise MissingColumnsError(
            f"features table {features_dir} lacks required column(s) {missing}; rebuild it with the current ETL "
            f"(airline_shared.features.FEATURE_COLUMNS)"
        )
    try:
        table = dataset.to_table(columns=list(REQUIRED_COLUMNS))
    except (pa.ArrowInvalid, OSError) as exc:
        raise TrainingDataError(f"cannot read the features table under {features_dir}: {exc}") from exc
    return _frame(table)


def _frame(table: pa.Table) -> FeaturesFrame:
    numeric_names = dict.fromkeys((*MODEL_FEATURES, *SEED_MODEL_FEATURES, "arrdelay"))
    numeric = {name: _floats(table.column(name)) for name in numeric_names}
    label_col = table.column(LABEL)
    if label_col.null_count:
        raise TrainingDataError(f"label column {LABEL!r} has {label_col.null_count} null value(s)")
    dates = table.column("flight_date")
    if dates.null_count:
        raise TrainingDataError(f"flight_date has {dates.null_count} null value(s)")
    return FeaturesFrame(
        numeric=numeric,
        flight_date=pc.cast(dates, pa.date32()).to_numpy().astype("datetime64[D]"),
        label=pc.cast(label_col, pa.bool_()).to_numpy(zero_copy_only=False).astype(bool),
        origin=table.column("origin").to_numpy(zero_copy_only=False),
        dest=table.column("dest").to_numpy(zero_copy_only=False),
        carrier=table.column("carrier").to_numpy(zero_copy_only=False),
    )


def select_rows(frame: FeaturesFrame, mask: np.ndarray) -> FeaturesFrame:
    """The frame restricted to the rows where `mask` is true."""
    return FeaturesFrame(
        numeric={name: values[mask] for name, values in frame.numeric.items()},
        flight_date=frame.flight_date[mask],
        label=frame.label[mask],
        origin=frame.origin[mask],
        dest=frame.dest[mask],
        carrier=frame.carrier[mask],
    )


def training_population(frame: FeaturesFrame, population: str) -> FeaturesFrame:
    """Rows the model learns from: by default only legs whose aircraft has a valid next leg."""
    if population == "all":
        return frame
    return select_rows(frame, ~np.isnan(frame.numeric["next_turnaroundminutes"]))


def cap_rows(mask: np.ndarray, max_rows: int | None, seed: int) -> np.ndarray:
    """`mask` with at most `max_rows` true entries, chosen deterministically at random."""
    chosen = np.flatnonzero(mask)
    if max_rows is None or chosen.size <= max_rows:
        return mask
    keep = np.random.default_rng(seed).choice(chosen, size=max_rows, replace=False)
    capped = np.zeros_like(mask)
    capped[keep] = True
    return capped


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    try:
        return np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise TrainingDataError(f"column of type {column.type} cannot be used as a number: {exc}") from exc


def month_key(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> integer month index (year * 12 + month - 1)."""
    return days.astype("datetime64[M]").astype(np.int64)


def _label(month: int) -> str:
    return str(np.datetime64(int(month), "M"))


def split_by_time(frame: FeaturesFrame, eval_months: int, calibration_months: int = 1) -> TemporalSplit:
    """Eval = the last `eval_months` months, calibration = the months before, fit = the rest.

    Raises InsufficientDataError when there are too few distinct months.
    """
    if eval_months < 1 or calibration_months < 1:
        raise InsufficientDataError(
            f"eval_months and calibration_months must be >= 1, got {eval_months}, {calibration_months}"
        )
    months = month_key(frame.flight_date)
    distinct = np.unique(months)
    needed = eval_months + calibration_months + 1
    if distinct.size < needed:
        raise InsufficientDataError(
            f"the features table spans {distinct.size} month(s) {[_label(m) for m in distinct]}, but the temporal split "
            f"needs at least {needed}: {eval_months} eval + {calibration_months} calibration + 1 fit; "
            f"add older data or lower --eval-months"
        )
    eval_start = distinct[-eval_months]
    calib_start = distinct[-eval_months - calibration_months]
    return TemporalSplit(
        fit=months < calib_start,
        calibration=(months >= calib_start) & (months < eval_start),
        eval=months >= eval_start,
        fit_months=tuple(_label(m) for m in distinct[distinct < calib_start]),
        calibration_months=tuple(_label(m) for m in distinct[(distinct >= calib_start) & (distinct < eval_start)]),
        eval_months=tuple(_label(m) for m in distinct[distinct >= eval_start]),
    )


def validate_split(frame: FeaturesFrame, split: TemporalSplit, min_train_rows: int, min_eval_rows: int) -> None:
    """Enough rows and both label classes in every part; raises InsufficientDataError / SingleClassError."""
    sizes = {"train": int(split.train.sum()), "eval": int(split.eval.sum())}
    for part, need in (("train", min_train_rows), ("eval", min_eval_rows)):
        if sizes[part] < need:
            raise InsufficientDataError(
                f"{part} period has {sizes[part]} row(s), fewer than the minimum {need} "
                f"(train months {split.fit_months + split.calibration_months}, eval months {split.eval_months}); "
                f"add data or lower --min-{part}-rows"
            )
    for part, mask in (("fit", split.fit), ("calibration", split.calibration), ("eval", split.eval)):
        positives = int(frame.label[mask].sum())
        if positives == 0 or positives == int(mask.sum()):
            only = "False" if positives == 0 else "True"
            raise SingleClassError(
                f"the {part} period ({int(mask.sum())} rows) has only {LABEL}={only}; "
                f"both classes are needed to train and evaluate a classifier"
            )


def period(days: np.ndarray) -> tuple[date, date]:
    """(first, last) date of a non-empty datetime64[D] array."""
    return (days.min().astype(date), days.max().astype(date))

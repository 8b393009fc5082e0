"""Read and validate the features table, and split it by time (never randomly across time)."""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from airline_shared.features import LABEL, MODEL_FEATURES, PARTITION_COLUMNS, SEED_MODEL_FEATURES

from training.errors import InsufficientDataError, MissingColumnsError, SingleClassError, TrainingDataError

#: Columns training reads besides the model inputs and the label (lookups read theirs in lookups.py).
CONTEXT_COLUMNS: tuple[str, ...] = ("flight_date", "arrdelay")
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    dict.fromkeys((*CONTEXT_COLUMNS, *MODEL_FEATURES, *SEED_MODEL_FEATURES, LABEL, "origin", "dest", "carrier"))
)
NUMERIC_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys((*MODEL_FEATURES, *SEED_MODEL_FEATURES, "arrdelay")))
#: Numeric columns stored in the files (the partition keys live in the directory names).
_FILE_NUMERIC = tuple(c for c in NUMERIC_COLUMNS if c not in PARTITION_COLUMNS)
_SCAN_BATCH_ROWS = 1 << 20
_PARTITION = re.compile(r"year=(?P<year>\d+)/month=(?P<month>\d+)/")


@dataclass(frozen=True)
class FeaturesFrame:
    """The rows training uses, column by column: numbers as float32 (NaN for nulls), never Python objects.

    `weight` is 1 except for sampled negatives of the fit months, which stand for 1 / sampling rate rows.
    """

    numeric: dict[str, np.ndarray]
    flight_date: np.ndarray  # datetime64[D]
    label: np.ndarray  # bool
    weight: np.ndarray  # float32

    @property
    def rows(self) -> int:
        return int(self.label.size)

    def matrix(self, features: tuple[str, ...], rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Float64 [n, len(features)] design matrix for the given rows (scikit-learn works in float64)."""
        return np.column_stack([self.numeric[name][rows] for name in features]).astype(np.float64)


@dataclass(frozen=True)
class ReadPlan:
    """Which rows training reads: the population, the latest months, and a row budget for the fit months.

    Every row of the last `holdout_months` months (calibration + evaluation) is read; in the months
    before them, every positive and a seeded random share of the negatives, so that at most about
    `fit_row_budget` rows are held (never fewer negatives than positives).
    """

    population: str = "all"
    window_months: int | None = None
    fit_row_budget: int | None = None
    holdout_months: int = 3
    seed: int = 42


@dataclass(frozen=True)
class ReadStats:
    """What the read did: rows in the window, fit rows before sampling, and the negative sampling rate."""

    months: tuple[str, ...]
    window_rows: int
    fit_rows_before_sampling: int
    fit_positives: int
    negative_rate: float


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


def open_features(features_dir: Path) -> ds.Dataset:
    """The hive-partitioned Parquet features table; raises TrainingDataError / MissingColumnsError."""
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
    return dataset


def monthly_files(dataset: ds.Dataset) -> dict[int, ds.Dataset]:
    """The table's files as one dataset per month index (`month_key`: months since 1970-01), in path order."""
    paths: dict[int, list[str]] = {}
    for path in sorted(dataset.files):
        found = _PARTITION.search(path.replace("\\", "/"))
        if found:
            paths.setdefault((int(found["year"]) - 1970) * 12 + int(found["month"]) - 1, []).append(path)
    return {month: ds.dataset(files, format="parquet", filesystem=dataset.filesystem) for month, files in paths.items()}


def _population_filter(population: str) -> pc.Expression | None:
    return None if population == "all" else pc.field("next_turnaroundminutes").is_valid()


def read_features(features_dir: Path, plan: ReadPlan | None = None) -> FeaturesFrame:
    """The rows training uses, read month by month in compact types (`read_features_with_stats`)."""
    return read_features_with_stats(features_dir, plan or ReadPlan())[0]


def read_features_with_stats(features_dir: Path, plan: ReadPlan) -> tuple[FeaturesFrame, ReadStats]:
    """Stream the plan's rows from the features table; memory holds the sampled rows only.

    Raises TrainingDataError / MissingColumnsError for an unusable table.
    """
    dataset = open_features(features_dir)
    by_month = monthly_files(dataset)
    row_filter = _population_filter(plan.population)
    try:
        counts = {m: _count(by_month[m], row_filter) for m in sorted(by_month)}
        months = [m for m, (n, _) in counts.items() if n]
        if plan.window_months:
            months = months[-plan.window_months :]
        holdout = set(months[-plan.holdout_months :])
        fit_rows = sum(counts[m][0] for m in months if m not in holdout)
        fit_pos = sum(counts[m][1] for m in months if m not in holdout)
        rate = _negative_rate(fit_rows, fit_pos, plan.fit_row_budget)
        rng = np.random.default_rng(plan.seed)
        parts = [
            _sampled(batch, m, rate if m not in holdout else 1.0, rng)
            for m in months
            for batch in by_month[m].to_batches(
                columns=[*_FILE_NUMERIC, "flight_date", LABEL],
                filter=row_filter,
                batch_size=_SCAN_BATCH_ROWS,
            )
        ]
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
        raise TrainingDataError(f"cannot read the features table under {features_dir}: {exc}") from exc
    if not parts:
        raise InsufficientDataError(f"the features table under {features_dir} has no rows for training")
    stats = ReadStats(
        months=tuple(_label(m) for m in months),
        window_rows=sum(counts[m][0] for m in months),
        fit_rows_before_sampling=fit_rows,
        fit_positives=fit_pos,
        negative_rate=rate,
    )
    return _concat(parts), stats


def _count(month: ds.Dataset, row_filter: pc.Expression | None) -> tuple[int, int]:
    """(rows, positives) of one month under the population filter."""
    positive = pc.field(LABEL) if row_filter is None else row_filter & pc.field(LABEL)
    return month.count_rows(filter=row_filter), month.count_rows(filter=positive)


def _negative_rate(rows: int, positives: int, budget: int | None) -> float:
    """Share of fit negatives to keep: all of them within budget, else what fills it (at least 1:1)."""
    negatives = rows - positives
    if budget is None or rows <= budget or negatives <= 0:
        return 1.0
    return min(1.0, max(budget - positives, positives) / negatives)


def _sampled(batch: pa.RecordBatch, month: int, rate: float, rng: np.random.Generator) -> FeaturesFrame:
    """The batch's rows (of month index `month`) to keep, as compact columns; raises TrainingDataError."""
    label_col = batch.column(LABEL)
    if label_col.null_count:
        raise TrainingDataError(f"label column {LABEL!r} has {label_col.null_count} null value(s)")
    dates = batch.column("flight_date")
    if dates.null_count:
        raise TrainingDataError(f"flight_date has {dates.null_count} null value(s)")
    label = label_col.to_numpy(zero_copy_only=False).astype(bool)
    keep = label | (rng.random(label.size) < rate) if rate < 1.0 else np.ones(label.size, dtype=bool)
    weight = np.where(label[keep], 1.0, 1.0 / rate).astype(np.float32)
    kept = int(keep.sum())
    partition = {"year": 1970 + month // 12, "month": month % 12 + 1}
    numeric = {name: _floats(batch.column(name))[keep] for name in _FILE_NUMERIC}
    numeric |= {name: np.full(kept, partition[name], dtype=np.float32) for name in PARTITION_COLUMNS}
    return FeaturesFrame(
        numeric={name: numeric[name] for name in NUMERIC_COLUMNS if name in numeric},
        flight_date=pc.cast(dates, pa.date32()).to_numpy(zero_copy_only=False).astype("datetime64[D]")[keep],
        label=label[keep],
        weight=weight,
    )


def _concat(parts: list[FeaturesFrame]) -> FeaturesFrame:
    return FeaturesFrame(
        numeric={name: np.concatenate([p.numeric[name] for p in parts]) for name in parts[0].numeric},
        flight_date=np.concatenate([p.flight_date for p in parts]),
        label=np.concatenate([p.label for p in parts]),
        weight=np.concatenate([p.weight for p in parts]),
    )


def select_rows(frame: FeaturesFrame, mask: np.ndarray) -> FeaturesFrame:
    """The frame restricted to the rows where `mask` is true."""
    return FeaturesFrame(
        numeric={name: values[mask] for name, values in frame.numeric.items()},
        flight_date=frame.flight_date[mask],
        label=frame.label[mask],
        weight=frame.weight[mask],
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


def _floats(column: pa.Array) -> np.ndarray:
    try:
        return np.asarray(pc.cast(column, pa.float32()).to_numpy(zero_copy_only=False), dtype=np.float32)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise TrainingDataError(f"column of type {column.type} cannot be used as a number: {exc}") from exc


def month_key(days: np.ndarray) -> np.ndarray:
    """datetime64[D] -> integer month index (months since 1970-01)."""
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

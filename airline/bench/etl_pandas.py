"""A straightforward pandas implementation of the same features (benchmark baseline only).

Sort + drop_duplicates + groupby shift + transform, and a per-day aggregate with a 90-day time-based
rolling window for the history averages. It follows `etl_job.definition` (data contract version 2)
rule for rule on the generated ASA files the benchmark reads, so the benchmark compares like with like
(`tests/integration/bench/test_bench_etl_pandas_parity.py`); the shipped engines never use it.
"""

from pathlib import Path

import numpy as np
import pandas as pd
from airline_shared.features import (
    CASCADE_DELAY_MINUTES,
    CHAIN_MAX_GAP_MINUTES,
    FEATURE_NAMES,
    HISTORY_DAYS,
    VALID_DELAY_RANGE,
)
from airline_shared.raw_formats import PLACEHOLDER_TAILS

_USE = {
    "Year": "Int32", "Month": "Int32", "DayofMonth": "Int32", "UniqueCarrier": "string", "FlightNum": "float64",
    "TailNum": "string", "Origin": "string", "Dest": "string", "CRSDepTime": "float64", "CRSArrTime": "float64",
    "DepTime": "float64", "ArrTime": "float64", "DepDelay": "float64", "ArrDelay": "float64", "Distance": "float64",
    "Cancelled": "float64", "Diverted": "float64", "LateAircraftDelay": "float64", "CRSElapsedTime": "float64",
}  # fmt: skip

_RENAME = {
    "UniqueCarrier": "carrier", "Origin": "origin", "Dest": "dest", "DepDelay": "depdelay", "ArrDelay": "arrdelay",
    "Distance": "distance", "LateAircraftDelay": "late_aircraft_delay", "CRSElapsedTime": "crs_elapsed",
}  # fmt: skip

#: What makes two rows one flight (etl_job.definition.FLIGHT_KEY).
_FLIGHT_KEY = ["flight_date", "carrier", "flight_number", "origin", "dest", "crs_dep_time"]

#: One sort serves both orders of the definition: rows of a flight key are contiguous and ordered as its
#: copies are ranked (flown before cancelled, then the remaining keys), and after deduplication the rows of
#: each tail are in rotation order (the keys before `cancelled_leg` are unique per flight).
_ORDER = [
    "flight_date", "sched_dep", "flight_number", "origin", "dest", "carrier", "cancelled_leg", "sched_arr",
    "depdelay", "arrdelay", "distance", "late_aircraft_delay", "tail_number", "crs_arr_time",
]  # fmt: skip


def _bad_hhmm(t: pd.Series, allow_null: bool) -> pd.Series:
    """HHMM values outside 0000-2400 (or fractional); a missing value is bad unless allowed."""
    bad = (t != np.floor(t)) | (t < 0) | (t > 2400) | (t % 100 >= 60)
    return bad.where(t.notna(), not allow_null)  # NaN != NaN: decide missing values explicitly


def _classify(df: pd.DataFrame) -> pd.Series:
    lo, hi = VALID_DELAY_RANGE
    date_missing = df[["Year", "Month", "DayofMonth"]].isna().any(axis=1)
    key_missing = date_missing | df[["UniqueCarrier", "Origin", "Dest"]].isna().any(axis=1)
    delays = df[["DepDelay", "ArrDelay"]]
    conditions = [
        key_missing,
        df["flight_date"].isna(),
        df["Cancelled"].fillna(0) == 1,
        df["Diverted"].fillna(0) == 1,
        _bad_hhmm(df["CRSDepTime"], False)
        | _bad_hhmm(df["CRSArrTime"], False)
        | _bad_hhmm(df["DepTime"], True)
        | _bad_hhmm(df["ArrTime"], True),
        df["Distance"].isna() | (df["Distance"] <= 0),
        ((delays < lo) | (delays > hi)).any(axis=1),
    ]
    names = ["missing_key_fields", "invalid_date", "cancelled", "diverted", "invalid_time", "invalid_distance"]
    return pd.Series(np.select(conditions, [*names, "invalid_delay"], default="kept"), index=df.index)


def _tail_numbers(raw: pd.Series) -> pd.Series:
    """Trimmed, upper-case tails; placeholders (or only zeros and dashes) become missing."""
    tail = raw.str.strip().str.upper()
    placeholder = tail.isna() | tail.isin(PLACEHOLDER_TAILS) | (tail.str.replace(r"[0\-]", "", regex=True) == "")
    return tail.mask(placeholder)


def _schedule(legs: pd.DataFrame) -> pd.DataFrame:
    """Scheduled departure and arrival in minutes since 1970-01-01 (arrival day from CRSElapsedTime)."""
    day = (legs["flight_date"] - pd.Timestamp("1970-01-01")).dt.days
    dep_clock = (legs["crs_dep_time"] // 100) * 60 + legs["crs_dep_time"] % 100
    arr_clock = (legs["crs_arr_time"] // 100) * 60 + legs["crs_arr_time"] % 100
    elapsed = legs["crs_elapsed"]
    arrival_days = np.where(
        elapsed.between(1, 1440),
        np.floor((dep_clock + elapsed - arr_clock + 720) / 1440),
        np.where(legs["crs_arr_time"] < legs["crs_dep_time"], 1, 0),
    )
    return legs.assign(sched_dep=day * 1440 + dep_clock, sched_arr=day * 1440 + arr_clock + 1440 * arrival_days)


def _rotation(legs: pd.DataFrame) -> pd.DataFrame:
    """Chain features of the legs (one row per flight, in rotation order; cancelled legs included)."""
    g = legs.groupby("tail_number", sort=False)
    prev_turn = legs["sched_dep"] - g["sched_arr"].shift(1)
    prev_valid = (
        ~g["cancelled_leg"].shift(1, fill_value=True)
        & (g["dest"].shift(1) == legs["origin"])
        & prev_turn.between(0, CHAIN_MAX_GAP_MINUTES)
    )
    next_turn = g["sched_dep"].shift(-1) - legs["sched_arr"]
    next_valid = (g["origin"].shift(-1) == legs["dest"]) & next_turn.between(0, CHAIN_MAX_GAP_MINUTES)
    next_late = g["cancelled_leg"].shift(-1, fill_value=False) | (g["depdelay"].shift(-1) >= CASCADE_DELAY_MINUTES)
    out = pd.DataFrame(index=legs.index)
    out["prevflightarrdelay"] = g["arrdelay"].shift(1).where(prev_valid)
    out["turnaroundminutes"] = prev_turn.where(prev_valid).astype("float64")
    out["next_turnaroundminutes"] = next_turn.where(next_valid).astype("float64")
    out["cascade"] = (legs["arrdelay"] >= CASCADE_DELAY_MINUTES) & next_valid & next_late
    out["leg_number"] = legs.groupby(["tail_number", "flight_date"], sort=False).cumcount() + 1
    return out


def _history(kept: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Mean ArrDelay of the group over the HISTORY_DAYS days before each flight's date."""
    daily = kept.groupby([*keys, "flight_date"])["arrdelay"].agg(["sum", "count"]).reset_index()
    daily = daily.sort_values([*keys, "flight_date"]).set_index("flight_date")
    rolled = daily.groupby(keys)[["sum", "count"]].rolling(f"{HISTORY_DAYS}D", closed="left").sum()
    rolled = rolled.reset_index()
    rolled["avg"] = rolled["sum"] / rolled["count"].where(rolled["count"] > 0)
    merged = kept[[*keys, "flight_date"]].merge(
        rolled[[*keys, "flight_date", "avg"]], how="left", on=[*keys, "flight_date"]
    )
    return pd.Series(merged["avg"].to_numpy(), index=kept.index)


def _read(csv_path: Path) -> pd.DataFrame:
    """The columns the features use (CRSElapsedTime only when the file has it), typed by pyarrow's reader."""
    header = pd.read_csv(csv_path, nrows=0).columns
    dtypes = {name: dtype for name, dtype in _USE.items() if name != "CRSElapsedTime" or name in header}
    df = pd.read_csv(csv_path, usecols=list(dtypes), dtype=dtypes, na_values=["NA", ""], engine="pyarrow")
    if "CRSElapsedTime" not in df:
        df["CRSElapsedTime"] = np.nan
    return df


def _rotation_rows(csv_path: Path) -> tuple[pd.DataFrame, dict[str, int]]:
    """The kept rows and cancelled legs of one ASA CSV (the columns the features use), and counts per reason."""
    df = _read(csv_path)
    df["flight_date"] = pd.to_datetime(
        pd.DataFrame({"year": df["Year"], "month": df["Month"], "day": df["DayofMonth"]}), errors="coerce"
    )
    df["reason"] = _classify(df)
    df["tail_number"] = _tail_numbers(df["TailNum"])
    valid_times = ~_bad_hhmm(df["CRSDepTime"], False) & ~_bad_hhmm(df["CRSArrTime"], False)
    df["cancelled_leg"] = (df["reason"] == "cancelled") & df["tail_number"].notna() & valid_times
    columns = ["flight_date", "tail_number", "cancelled_leg", "FlightNum", "CRSDepTime", "CRSArrTime", *_RENAME]
    legs = df.loc[(df["reason"] == "kept") | df["cancelled_leg"], columns].rename(columns=_RENAME)
    counts = {str(k): int(v) for k, v in df["reason"].value_counts().items()}
    return legs, counts


def pandas_features(csv_path: Path, out_dir: Path) -> dict[str, int]:
    """Features of one ASA CSV written as Parquet under out_dir; returns counts per reason (`kept` = written)."""
    legs, counts = _rotation_rows(csv_path)
    legs["flight_number"] = legs["FlightNum"].astype("Int32")
    legs["crs_dep_time"] = legs["CRSDepTime"].astype("int32")
    legs["crs_arr_time"] = legs["CRSArrTime"].astype("int32")
    legs = _schedule(legs).sort_values(_ORDER).drop_duplicates(_FLIGHT_KEY)
    legs = legs.join(_rotation(legs[legs["tail_number"].notna()]))
    kept = legs[~legs["cancelled_leg"]].copy()
    counts["duplicate"] = counts.get("kept", 0) - len(kept)
    counts["kept"] = len(kept)
    kept["cascade"] = kept["cascade"].astype("boolean").fillna(False).astype(bool)
    kept["leg_number"] = kept["leg_number"].astype("Int32")
    kept["year"] = kept["flight_date"].dt.year.astype("int32")
    kept["month"] = kept["flight_date"].dt.month.astype("int32")
    kept["day_of_week"] = (kept["flight_date"].dt.day_of_week + 1).astype("int32")
    kept["dep_hour"] = (kept["crs_dep_time"] // 100).astype("int32")
    kept["routeavgarrdelay"] = _history(kept, ["origin", "dest"])
    kept["carrieravgarrdelay"] = _history(kept, ["carrier"])
    kept["flight_date"] = kept["flight_date"].dt.date
    kept[list(FEATURE_NAMES)].to_parquet(out_dir, partition_cols=["year", "month"], index=False)
    return counts

"""A straightforward pandas implementation of the same features (benchmark baseline only).

Sort + groupby shift + transform, and a per-day aggregate with a 90-day time-based rolling
window for the history averages. It follows `etl_job.definition` rule for rule so the
benchmark compares like with like; the shipped engines never use it.
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
    "Cancelled": "float64", "Diverted": "float64", "LateAircraftDelay": "float64",
}  # fmt: skip


def _bad_hhmm(t: pd.Series, allow_null: bool) -> pd.Series:
    bad = (t != np.floor(t)) | (t < 0) | (t > 2400) | (t % 100 >= 60)
    return bad.fillna(False) if allow_null else bad.fillna(True)


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


def _history(kept: pd.DataFrame, keys: list[str]) -> pd.Series:
    daily = kept.groupby([*keys, "flight_date"], observed=True)["arrdelay"].agg(["sum", "count"]).reset_index()
    daily = daily.sort_values([*keys, "flight_date"]).set_index("flight_date")
    rolled = daily.groupby(keys, observed=True)[["sum", "count"]].rolling(f"{HISTORY_DAYS}D", closed="left").sum()
    rolled = rolled.reset_index()
    rolled["avg"] = rolled["sum"] / rolled["count"].where(rolled["count"] > 0)
    merged = kept[[*keys, "flight_date"]].merge(
        rolled[[*keys, "flight_date", "avg"]], how="left", on=[*keys, "flight_date"]
    )
    return pd.Series(merged["avg"].to_numpy(), index=kept.index)


def _rotation(kept: pd.DataFrame) -> pd.DataFrame:
    order = ["tail_number", "sched_dep", "flight_number", "origin", "dest", "carrier", "sched_arr"]
    legs = kept[kept["tail_number"].notna()].sort_values(order)
    g = legs.groupby("tail_number", sort=False, observed=True)
    prev_valid = (g["dest"].shift(1) == legs["origin"]) & (legs["sched_dep"] - g["sched_arr"].shift(1)).between(
        0, CHAIN_MAX_GAP_MINUTES
    )
    next_gap = g["sched_dep"].shift(-1) - legs["sched_arr"]
    next_valid = (g["origin"].shift(-1) == legs["dest"]) & next_gap.between(0, CHAIN_MAX_GAP_MINUTES)
    out = pd.DataFrame(index=legs.index)
    out["prevflightarrdelay"] = g["arrdelay"].shift(1).where(prev_valid)
    out["turnaroundminutes"] = (legs["sched_dep"] - g["sched_arr"].shift(1)).where(prev_valid)
    out["next_turnaroundminutes"] = next_gap.where(next_valid)
    out["cascade"] = (
        (legs["arrdelay"] >= CASCADE_DELAY_MINUTES) & next_valid & (g["depdelay"].shift(-1) >= CASCADE_DELAY_MINUTES)
    )
    out["leg_number"] = legs.groupby(["tail_number", "flight_date"], sort=False, observed=True).cumcount() + 1
    return out


def pandas_features(csv_path: Path, out_dir: Path) -> dict[str, int]:
    """Features of one ASA CSV written as Parquet under out_dir; returns counts per reason."""
    df = pd.read_csv(csv_path, usecols=list(_USE), dtype=_USE, na_values=["NA", ""], engine="pyarrow")
    df["flight_date"] = pd.to_datetime(
        pd.DataFrame({"year": df["Year"], "month": df["Month"], "day": df["DayofMonth"]}), errors="coerce"
    )
    df["reason"] = _classify(df)
    counts = {str(k): int(v) for k, v in df["reason"].value_counts().items()}
    kept = df[df["reason"] == "kept"].rename(
        columns={"UniqueCarrier": "carrier", "Origin": "origin", "Dest": "dest", "DepDelay": "depdelay",
                 "ArrDelay": "arrdelay", "Distance": "distance", "LateAircraftDelay": "late_aircraft_delay"}
    )  # fmt: skip
    tail = kept["TailNum"].str.strip().str.upper()
    placeholder = tail.isna() | tail.isin(PLACEHOLDER_TAILS) | (tail.str.replace(r"[0\-]", "", regex=True) == "")
    kept["tail_number"] = tail.mask(placeholder)
    kept["flight_number"] = kept["FlightNum"].astype("Int32")
    kept["crs_dep_time"] = kept["CRSDepTime"].astype("int32")
    kept["crs_arr_time"] = kept["CRSArrTime"].astype("int32")
    day = (kept["flight_date"] - pd.Timestamp("1970-01-01")).dt.days
    dep_min = (kept["crs_dep_time"] // 100) * 60 + kept["crs_dep_time"] % 100
    arr_min = (kept["crs_arr_time"] // 100) * 60 + kept["crs_arr_time"] % 100
    kept["sched_dep"] = day * 1440 + dep_min
    kept["sched_arr"] = day * 1440 + arr_min + np.where(kept["crs_arr_time"] < kept["crs_dep_time"], 1440, 0)
    kept["year"] = kept["flight_date"].dt.year.astype("int32")
    kept["month"] = kept["flight_date"].dt.month.astype("int32")
    kept["day_of_week"] = (kept["flight_date"].dt.dayofweek + 1).astype("int32")
    kept["dep_hour"] = (kept["crs_dep_time"] // 100).astype("int32")
    kept = kept.join(_rotation(kept))
    kept["cascade"] = kept["cascade"].astype("boolean").fillna(False).astype(bool)
    kept["routeavgarrdelay"] = _history(kept, ["origin", "dest"])
    kept["carrieravgarrdelay"] = _history(kept, ["carrier"])
    kept["flight_date"] = kept["flight_date"].dt.date
    kept[list(FEATURE_NAMES)].to_parquet(out_dir, partition_cols=["year", "month"], index=False)
    return counts

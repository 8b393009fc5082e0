"""Hand-made ASA rows and BTS files for the feature-engineering tests."""

import csv
from pathlib import Path
from typing import Any

from airline_shared.raw_formats import ASA_COLUMNS, BTS_TO_ASA

#: A valid leg; tests override only what they are about.
BASE_ROW: dict[str, Any] = {
    "Year": 2008, "Month": 1, "DayofMonth": 10, "DayOfWeek": 4, "DepTime": "NA", "CRSDepTime": 800,
    "ArrTime": "NA", "CRSArrTime": 1000, "UniqueCarrier": "WN", "FlightNum": 1, "TailNum": "N100",
    "ActualElapsedTime": "NA", "CRSElapsedTime": 120, "AirTime": "NA", "ArrDelay": 0, "DepDelay": 0,
    "Origin": "AAA", "Dest": "BBB", "Distance": 500, "TaxiIn": "NA", "TaxiOut": "NA", "Cancelled": 0,
    "CancellationCode": "NA", "Diverted": 0, "CarrierDelay": "NA", "WeatherDelay": "NA", "NASDelay": "NA",
    "SecurityDelay": "NA", "LateAircraftDelay": "NA",
}  # fmt: skip


def asa_row(**overrides: Any) -> dict[str, Any]:
    """A valid ASA row with the given fields replaced (None is written as NA)."""
    unknown = set(overrides) - set(BASE_ROW)
    assert not unknown, f"not ASA columns: {unknown}"
    return {**BASE_ROW, **overrides}


def leg(day: int, dep: int, arr: int, origin: str, dest: str, **extra: Any) -> dict[str, Any]:
    """One leg of tail N100 on 2008-01-<day> with scheduled HHMM times (flight number = departure time)."""
    fields: dict[str, Any] = {"DayofMonth": day, "CRSDepTime": dep, "CRSArrTime": arr, "Origin": origin, "Dest": dest}
    fields["FlightNum"] = extra.pop("FlightNum", dep)
    return asa_row(**fields, **extra)


def write_asa_csv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = ASA_COLUMNS) -> Path:
    """Write rows in the ASA layout (header order as given, NA for None)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["NA" if row[c] is None else row[c] for c in columns])
    return path


_BTS_FILLERS = [f"Extra{i}" for i in range(109 - len(BTS_TO_ASA) - 1)]
BTS_HEADER = ["FlightDate", *BTS_TO_ASA, *_BTS_FILLERS]


def bts_line(values: dict[str, str]) -> str:
    """One quoted BTS line: 109 named fields and the trailing empty one."""
    return ",".join(f'"{values.get(name, "")}"' for name in BTS_HEADER) + ","


def bts_csv_text(rows: list[dict[str, str]]) -> str:
    """A BTS monthly CSV (quoted header and fields, trailing empty column); absent fields are empty."""
    header = ",".join(f'"{name}"' for name in BTS_HEADER) + ","
    return "\n".join([header, *(bts_line(r) for r in rows)]) + "\n"

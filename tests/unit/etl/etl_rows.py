"""Hand-made ASA rows for the feature-engineering tests."""

import csv
from pathlib import Path
from typing import Any

from airline_shared.raw_formats import ASA_COLUMNS

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


def write_asa_csv(path: Path, rows: list[dict[str, Any]], columns: tuple[str, ...] = ASA_COLUMNS) -> Path:
    """Write rows in the ASA layout (header order as given, NA for None)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["NA" if row[c] is None else row[c] for c in columns])
    return path

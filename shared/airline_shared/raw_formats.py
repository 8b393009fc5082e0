"""The raw input layouts the pipeline accepts, matched by column name, never by position."""

from typing import Final

from airline_shared._compat import StrEnum


class RawFormat(StrEnum):
    """What a raw file holds, decided from its header."""

    ASA = "asa"  # ASA Data Expo / Kaggle airline.csv(.shuffle)
    BTS = "bts"  # BTS Reporting Carrier On-Time Performance monthly CSV
    CARRIERS = "carriers"  # carriers.csv lookup


class Compression(StrEnum):
    NONE = "none"
    GZIP = "gzip"
    ZIP = "zip"


ASA_NULL: Final = "NA"

#: The 29 ASA columns in the documented order (the real file's header is alphabetical).
ASA_COLUMNS: Final[tuple[str, ...]] = (
    "Year", "Month", "DayofMonth", "DayOfWeek", "DepTime", "CRSDepTime", "ArrTime",
    "CRSArrTime", "UniqueCarrier", "FlightNum", "TailNum", "ActualElapsedTime",
    "CRSElapsedTime", "AirTime", "ArrDelay", "DepDelay", "Origin", "Dest", "Distance",
    "TaxiIn", "TaxiOut", "Cancelled", "CancellationCode", "Diverted", "CarrierDelay",
    "WeatherDelay", "NASDelay", "SecurityDelay", "LateAircraftDelay",
)  # fmt: skip

#: ASA columns whose values are text; every other ASA column is numeric.
ASA_TEXT_COLUMNS: Final = frozenset({"UniqueCarrier", "TailNum", "Origin", "Dest", "CancellationCode"})

#: BTS monthly columns the pipeline reads, mapped to their ASA equivalent.
#: BTS FlightDate (YYYY-MM-DD) replaces Year/Month/DayofMonth; times are "HHMM" strings,
#: flags are "0.00"/"1.00"; the file has 109 named columns and a trailing empty one.
BTS_TO_ASA: Final[dict[str, str]] = {
    "Year": "Year",
    "Month": "Month",
    "DayofMonth": "DayofMonth",
    "DayOfWeek": "DayOfWeek",
    "Reporting_Airline": "UniqueCarrier",
    "Flight_Number_Reporting_Airline": "FlightNum",
    "Tail_Number": "TailNum",
    "Origin": "Origin",
    "Dest": "Dest",
    "CRSDepTime": "CRSDepTime",
    "DepTime": "DepTime",
    "DepDelay": "DepDelay",
    "TaxiOut": "TaxiOut",
    "TaxiIn": "TaxiIn",
    "CRSArrTime": "CRSArrTime",
    "ArrTime": "ArrTime",
    "ArrDelay": "ArrDelay",
    "Cancelled": "Cancelled",
    "CancellationCode": "CancellationCode",
    "Diverted": "Diverted",
    "CRSElapsedTime": "CRSElapsedTime",
    "ActualElapsedTime": "ActualElapsedTime",
    "AirTime": "AirTime",
    "Distance": "Distance",
    "CarrierDelay": "CarrierDelay",
    "WeatherDelay": "WeatherDelay",
    "NASDelay": "NASDelay",
    "SecurityDelay": "SecurityDelay",
    "LateAircraftDelay": "LateAircraftDelay",
}

#: Columns whose presence identifies a BTS monthly file.
BTS_SIGNATURE: Final = frozenset({"FlightDate", "Reporting_Airline", "Tail_Number", "Flight_Number_Reporting_Airline"})

CARRIERS_COLUMNS: Final[tuple[str, ...]] = ("Code", "Description")

#: Tail numbers that identify no aircraft; compared after trimming and upper-casing.
PLACEHOLDER_TAILS: Final = frozenset(
    {"", "0", "00", "000", "0000", "00000", "000000", "NA", "NONE", "NULL", "UNKNOW", "UNKNOWN", "UNKNWN", "-", "?"}
)


def is_placeholder_tail(tail: str | None) -> bool:
    """True when a tail number cannot identify an aircraft (no rotation features for it)."""
    if tail is None:
        return True
    cleaned = tail.strip().upper()
    return cleaned in PLACEHOLDER_TAILS or set(cleaned) <= {"0", "-"}

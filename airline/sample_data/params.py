"""Constants, errors and the tunable parameters of the sample-data simulation."""

from __future__ import annotations

from typing import Literal

SampleFormat = Literal["asa", "bts"]
ASA_FILE = "airline.csv.shuffle"
CARRIERS_FILE = "carriers.csv"
BTS_ZIP_NAME = "On_Time_Reporting_Carrier_On_Time_Performance_1987_present_{year}_{month}.zip"
BTS_CSV_NAME = "On_Time_Reporting_Carrier_On_Time_Performance_(1987_present)_{year}_{month}.csv"
PLACEHOLDER_TAIL_VALUES = ("", "0", "000000", "UNKNOW")
CANCELLATION_CODES = ("", "A", "B", "C", "D")
CAUSE_COLUMNS = ("CarrierDelay", "WeatherDelay", "NASDelay", "SecurityDelay", "LateAircraftDelay")

_CHUNK_ROWS = 100_000
_BUCKET_ROWS = 100_000
_MAX_BUCKETS = 256  # open temporary files; buckets grow beyond _BUCKET_ROWS past 25.6M flights
_LAST_DEPARTURE = 22 * 60 + 45  # latest scheduled local departure of a normal line


class SampleDataError(ValueError):
    """Invalid sample-data arguments (flights, months, format)."""

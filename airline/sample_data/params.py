"""Constants, errors and the tunable parameters of the sample-data simulation."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class SampleDataParams:
    """The simulated phenomena, each with its knob; defaults aim at published BTS figures (README, "Sample data").

    Set a share or probability to 0 to switch its phenomenon off.
    """

    #: Flights written twice, identically (ASA: twice in the file; BTS: again in the next month's zip).
    duplicate_share: float = 0.003
    #: Flights written twice where the copy is a re-export with one more taxi-in minute (same flight key).
    near_duplicate_share: float = 0.001
    #: Weight multiplier of short hops (< 300 miles) between time zones; westbound ones arrive before they
    #: depart on the local clock (CHA 08:00 -> BNA 07:52).
    short_hop_weight: float = 4.0
    #: Schedule padding of each carrier: a fixed 0-6 minutes plus this range's share of the air time.
    block_padding_share: tuple[float, float] = (0.02, 0.25)
    #: Scheduled turnarounds that are long sits of 2-4 hours (the rest: tight 25-45 min or 45-120 min).
    long_turn_share: float = 0.2
    #: Mean ground time beyond the minimum that a turn takes (cleaning, catering, boarding), minutes.
    turn_service_minutes: float = 10.0
    #: A late aircraft's turn is cut below the minimum ground time by up to this many minutes ...
    quick_turn_minutes: float = 8.0
    #: ... with this probability (crews hurry when the aircraft is late).
    quick_turn_prob: float = 0.6
    #: Departures whose crew, connecting from another flight, is not ready (more late in the day, on storm days).
    crew_not_ready_share: float = 0.035
    #: Mean crew wait, minutes.
    crew_delay_minutes: float = 30.0
    #: Arrivals at hubs that wait for a gate (late in the day), mean wait `gate_wait_minutes`.
    gate_not_ready_share: float = 0.1
    gate_wait_minutes: float = 20.0
    #: Probability that a hub runs a ground-delay programme some afternoon (more on storm days); flights
    #: scheduled to arrive in it are held at their origin, mean `gdp_delay_minutes`.
    hub_gdp_prob: float = 0.1
    gdp_delay_minutes: float = 45.0
    #: An inbound aircraft at least this late at its base may lose its next excursion (cancelled, code A) ...
    delay_cancel_minutes: float = 75.0
    #: ... with this probability.
    delay_cancel_prob: float = 0.3
    #: An inbound aircraft at least this late at its base may be swapped for a ready spare of the same base ...
    swap_minutes: float = 20.0
    #: ... with this probability (when a spare is there); the late aircraft becomes the spare.
    swap_prob: float = 0.7


DEFAULT_PARAMS = SampleDataParams()

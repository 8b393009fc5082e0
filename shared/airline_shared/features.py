"""The features table: the single source of truth for ETL, training and prediction.

Definitions (the data contract, version 2; tested rule by rule in the ETL, SQL in etl_job.definition):
- Times are HHMM local clock values converted as hours*60 + minutes (2400 = 24:00).
  Scheduled departure = flight date + CRSDepTime; scheduled arrival = flight date + CRSArrTime + k days,
  k = round((CRSDepTime + CRSElapsedTime - CRSArrTime) / 1440) when CRSElapsedTime is 1..1440 minutes,
  else 1 when CRSArrTime < CRSDepTime, else 0 (so k is -1..2).
- Duplicates: kept rows with the same (flight_date, carrier, flight_number, origin, dest, crs_dep_time)
  are one flight; the first in rotation order is kept, the others are dropped as `duplicate`.
- Rotation: the kept legs of one tail number and its cancelled legs with valid scheduled times, ordered
  by scheduled departure (ties broken deterministically); cancelled legs get no row. The previous leg
  is *valid* when it was not cancelled, its dest equals this origin and this scheduled departure is
  0..1440 minutes after its scheduled arrival; the next leg is valid on the same rule, cancelled or not.
  Placeholder tails get no rotation features.
- cascade: arrdelay >= 15 and the next valid leg's depdelay >= 15 or it was cancelled; no valid next
  leg: false.
- routeavgarrdelay / carrieravgarrdelay: mean ArrDelay of kept flights of the same route /
  carrier over the 90 days before the flight date (that date excluded); null without history.
"""

from typing import Final, NamedTuple

from airline_shared._compat import StrEnum


class ArrowType(StrEnum):
    """Arrow types by name, so the contract needs no pyarrow import."""

    DATE32 = "date32"
    INT32 = "int32"
    FLOAT64 = "float64"
    STRING = "string"
    BOOL = "bool"


class FeatureColumn(NamedTuple):
    name: str
    arrow_type: ArrowType
    nullable: bool
    description: str


CASCADE_DELAY_MINUTES: Final = 15
CHAIN_MAX_GAP_MINUTES: Final = 1440
HISTORY_DAYS: Final = 90
VALID_DELAY_RANGE: Final = (-120.0, 1440.0)
VALID_HHMM_RANGE: Final = (0, 2400)

LABEL: Final = "cascade"
PARTITION_COLUMNS: Final = ("year", "month")

_T = ArrowType
#: Every column of the features table, in order.
FEATURE_COLUMNS: Final[tuple[FeatureColumn, ...]] = (
    FeatureColumn("flight_date", _T.DATE32, False, "Scheduled flight date (local)."),
    FeatureColumn("year", _T.INT32, False, "Year of flight_date (partition key)."),
    FeatureColumn("month", _T.INT32, False, "Month of flight_date, 1-12 (partition key)."),
    FeatureColumn("day_of_week", _T.INT32, False, "ISO day of week, 1 = Monday."),
    FeatureColumn("carrier", _T.STRING, False, "Carrier code (UniqueCarrier / Reporting_Airline)."),
    FeatureColumn("flight_number", _T.INT32, True, "Flight number."),
    FeatureColumn("tail_number", _T.STRING, True, "Aircraft tail number; null for placeholders."),
    FeatureColumn("origin", _T.STRING, False, "Origin airport code."),
    FeatureColumn("dest", _T.STRING, False, "Destination airport code."),
    FeatureColumn("crs_dep_time", _T.INT32, False, "Scheduled departure, HHMM as in the source."),
    FeatureColumn("crs_arr_time", _T.INT32, False, "Scheduled arrival, HHMM as in the source."),
    FeatureColumn("dep_hour", _T.INT32, False, "Hour of scheduled departure, 0-24."),
    FeatureColumn("distance", _T.FLOAT64, False, "Great-circle distance, miles."),
    FeatureColumn("depdelay", _T.FLOAT64, True, "Departure delay of this leg, minutes."),
    FeatureColumn("arrdelay", _T.FLOAT64, True, "Arrival delay of this leg, minutes (outcome, not a model input)."),
    FeatureColumn("late_aircraft_delay", _T.FLOAT64, True, "Delay minutes attributed to the late inbound aircraft (source column, analysis only)."),
    FeatureColumn("prevflightarrdelay", _T.FLOAT64, True, "ArrDelay of the previous valid leg; null when none."),
    FeatureColumn("turnaroundminutes", _T.FLOAT64, True, "Previous valid leg's scheduled arrival to this scheduled departure, minutes; null when none."),
    FeatureColumn("routeavgarrdelay", _T.FLOAT64, True, "Mean ArrDelay of the route over the 90 days before flight_date; null without history."),
    FeatureColumn("carrieravgarrdelay", _T.FLOAT64, True, "Mean ArrDelay of the carrier over the 90 days before flight_date; null without history."),
    FeatureColumn("leg_number", _T.INT32, True, "1-based position of this leg among the tail's legs scheduled that day (cancelled ones included); null for placeholder tails."),
    FeatureColumn("next_turnaroundminutes", _T.FLOAT64, True, "Scheduled turnaround before the next valid leg, cancelled or not (known from the schedule); null when none."),
    FeatureColumn("cascade", _T.BOOL, False, "Label: arrdelay >= 15 and the next valid leg departs >= 15 late or is cancelled."),
)  # fmt: skip

FEATURE_NAMES: Final[tuple[str, ...]] = tuple(c.name for c in FEATURE_COLUMNS)

#: The seed model's five inputs, in the seed's order.
SEED_MODEL_FEATURES: Final[tuple[str, ...]] = (
    "depdelay", "prevflightarrdelay", "turnaroundminutes", "routeavgarrdelay", "carrieravgarrdelay",
)  # fmt: skip

#: The default model's inputs, in order. Every one is known before departure.
MODEL_FEATURES: Final[tuple[str, ...]] = (
    *SEED_MODEL_FEATURES, "dep_hour", "day_of_week", "month", "distance", "leg_number", "next_turnaroundminutes",
)  # fmt: skip

"""The one definition of cleaning, rotations, features and label (data contract version 2), as DuckDB SQL.

Both engines run exactly these statements: DuckDB as written, Spark after `to_spark` (sqlglot).
Only portable constructs are used: TRY_CAST, DATE_DIFF('day', ...), integer `//` and `%`,
LAG/LEAD/ROW_NUMBER windows and a RANGE window over an integer day number. Times become
integer minutes since 1970-01-01 (day_num * 1440 + hours * 60 + minutes), so no interval
arithmetic is needed in either engine.

Pipeline of relations (each engine registers the named inputs as views):
  src (one per raw file, all VARCHAR) --normalise_sql--> raw_flights (canonical, typed)
  raw_flights --CLASSIFY_SQL--> classified (canonical + drop_reason, NULL when kept)
  classified --TYPED_SQL--> typed rows; those of ROTATION_ROWS (kept rows and cancelled legs) = flights
  flights --RANKED_LEGS_SQL--> ranked_legs (scheduled minutes; copy_number 1 = the row used for a flight)
  ranked_legs --DAILY_SQL--> route_carrier_daily (per-day delay sums, duplicates) -> route_daily, carrier_daily
  ranked_legs + route_daily + carrier_daily --features_sql(days)--> features (shared schema)
Spark runs it over the whole table at once; DuckDB stores the typed rows by flight month in a first,
streaming pass and then runs `features_sql` month by month with the overlap it needs, so memory
stays bounded at any input size (the result is the same: the parity test compares the two).

Cleaning (CLASSIFY_SQL): each row gets the first matching reason of DROP_REASONS:
missing date part / carrier / origin / dest; a date that does not exist; cancelled; diverted;
CRS times missing or not HHMM in 0000-2400 (also DepTime/ArrTime when present); distance
missing or <= 0; DepDelay or ArrDelay outside [-120, 1440]. Nothing is ever set to 0; a missing
delay stays NULL. Then duplicates (RANKED_LEGS_SQL): of the rows that would otherwise be kept,
those with the same FLIGHT_KEY are one flight; the first in rotation order is kept, the others
count as `duplicate` (across all files of a run). Dropped rows feed neither features, chains nor
history, except cancelled legs: a cancelled row with a real tail and valid scheduled times keeps
its place in the tail's rotation (it was scheduled for that aircraft) but gets no features row;
of several copies of one flight, only one (a flown one if any) takes that place.

Feature documentation (beyond `airline_shared.features` descriptions):
- scheduled arrival: flight date + CRSArrTime + k days, k = round((CRSDepTime + CRSElapsedTime -
  CRSArrTime) / 1440) in minutes (half up; -1..2) when CRSElapsedTime is 1..1440, else 1 when
  CRSArrTime < CRSDepTime, else 0: local clocks, so a westbound hop may "arrive before it leaves"
  (the rounding assumes the two clocks differ by less than 12 hours).
- rotation window: the tail's legs (kept and cancelled) ordered by flight date and scheduled departure
  minute (the same order as the departure minute alone, except that a 2400 departure precedes a 0000
  departure of the next day), then flight number, origin, dest, carrier, scheduled arrival and
  the delay values (a total order, so shuffled input gives the same chain). Placeholder tails
  (`PLACEHOLDER_TAILS`, or only zeros / dashes) become NULL and get no rotation features.
- prevflightarrdelay / turnaroundminutes: from the LAG leg when it is valid (not cancelled,
  prev.dest = origin, 0 <= sched_dep - prev.sched_arr <= 1440); NULL otherwise.
- cascade: arrdelay >= 15 and the LEAD leg is valid (next.origin = dest,
  0 <= next.sched_dep - sched_arr <= 1440) and it was cancelled or its depdelay >= 15; otherwise false.
- next_turnaroundminutes: next.sched_dep - sched_arr for a valid next leg, cancelled or not (known
  from the schedule before departure); NULL otherwise.
- leg_number: position of the leg among the tail's scheduled legs (cancelled ones included) on the
  same flight_date, computed as the leg's row number in the rotation window minus the tail's legs
  on earlier dates (one window sort instead of two).
- dep_hour: crs_dep_time // 100 (0-24). day_of_week: ISO 1 = Monday, computed from the date.
- routeavgarrdelay / carrieravgarrdelay: per-day SUM / COUNT of ArrDelay of kept flights (duplicates
  and cancelled legs excluded), then a RANGE window over day numbers [d-90, d-1]: the flight's own
  day and later never count.
"""

from collections.abc import Mapping

from airline_shared.features import (
    CASCADE_DELAY_MINUTES,
    CHAIN_MAX_GAP_MINUTES,
    FEATURE_COLUMNS,
    HISTORY_DAYS,
    VALID_DELAY_RANGE,
    VALID_HHMM_RANGE,
    ArrowType,
)
from airline_shared.raw_formats import PLACEHOLDER_TAILS

#: Drop reasons in precedence order: a row is counted under the first that applies (`duplicate`, decided
#: after the others, only among rows that would otherwise be kept).
DROP_REASONS: tuple[str, ...] = (
    "missing_key_fields",
    "invalid_date",
    "cancelled",
    "diverted",
    "invalid_time",
    "invalid_distance",
    "invalid_delay",
    "duplicate",
)

#: Canonical raw columns (ASA names as keys) every input is normalised to, before the shared SQL.
CANONICAL_SOURCE_COLUMNS: tuple[str, ...] = (
    "UniqueCarrier", "FlightNum", "TailNum", "Origin", "Dest", "CRSDepTime", "CRSArrTime",
    "DepTime", "ArrTime", "DepDelay", "ArrDelay", "Distance", "Cancelled", "Diverted", "LateAircraftDelay",
    "CRSElapsedTime",
)  # fmt: skip

#: Columns a raw file may lack (NULL then); every other canonical column is required.
OPTIONAL_SOURCE_COLUMNS: frozenset[str] = frozenset({"DepTime", "ArrTime", "LateAircraftDelay", "CRSElapsedTime"})

_SQL_TYPES: Mapping[ArrowType, str] = {
    ArrowType.DATE32: "DATE",
    ArrowType.INT32: "INTEGER",
    ArrowType.FLOAT64: "DOUBLE",
    ArrowType.STRING: "VARCHAR",
    ArrowType.BOOL: "BOOLEAN",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(column: str | None) -> str:
    """Trimmed text of a source column, NULL when absent or blank."""
    return "NULL" if column is None else f"NULLIF(TRIM({_quote(column)}), '')"


def _number(column: str | None) -> str:
    """A numeric source column (both engines ignore surrounding blanks and give NULL for '' / junk)."""
    return "NULL" if column is None else f"TRY_CAST({_quote(column)} AS DOUBLE)"


_NORMALISED_PASS_THROUGH = (
    "origin", "dest", "crs_dep_raw", "crs_arr_raw", "dep_time_raw", "arr_time_raw", "dep_delay", "arr_delay",
    "distance", "cancelled", "diverted", "late_aircraft_delay", "crs_elapsed",
)  # fmt: skip


def normalise_sql(
    source_view: str,
    columns: Mapping[str, str | None],
    date_text_sql: str,
    trimmed: Mapping[str, str] | None = None,
) -> str:
    """SQL projecting one raw file (all VARCHAR) onto the canonical typed relation.

    `columns` maps each canonical (ASA) name to the file's column name, or None when absent;
    `date_text_sql` yields the 'YYYY-MM-DD' text of the flight date (NULL when a part is missing);
    it may use the `trimmed` aliases (alias -> file column, as trimmed text, NULL when blank), which
    are computed once per row rather than once per use.
    Numbers are read as DOUBLE so "1.00" flags and "0730" times parse alike in both engines.
    """
    source = source_view
    if trimmed:
        parts = ", ".join(f"{_text(column)} AS {alias}" for alias, column in trimmed.items())
        source = f"(SELECT *, {parts} FROM {source_view}) AS trimmed"
    placeholders = ", ".join(f"'{t}'" for t in sorted(PLACEHOLDER_TAILS) if t)
    return f"""
SELECT
  date_text,
  CASE WHEN LENGTH(date_text) = 10 THEN TRY_CAST(date_text AS DATE) END AS flight_date,
  carrier,
  flight_number_raw,
  CASE WHEN tail_text IN ({placeholders}) OR REPLACE(REPLACE(tail_text, '0', ''), '-', '') = ''
       THEN NULL ELSE tail_text END AS tail_number,
  {", ".join(_NORMALISED_PASS_THROUGH)}
FROM (
SELECT
  {date_text_sql} AS date_text,
  UPPER({_text(columns["UniqueCarrier"])}) AS carrier,
  {_number(columns["FlightNum"])} AS flight_number_raw,
  UPPER({_text(columns["TailNum"])}) AS tail_text,
  UPPER({_text(columns["Origin"])}) AS origin,
  UPPER({_text(columns["Dest"])}) AS dest,
  {_number(columns["CRSDepTime"])} AS crs_dep_raw,
  {_number(columns["CRSArrTime"])} AS crs_arr_raw,
  {_number(columns["DepTime"])} AS dep_time_raw,
  {_number(columns["ArrTime"])} AS arr_time_raw,
  {_number(columns["DepDelay"])} AS dep_delay,
  {_number(columns["ArrDelay"])} AS arr_delay,
  {_number(columns["Distance"])} AS distance,
  COALESCE({_number(columns["Cancelled"])}, 0) = 1 AS cancelled,
  COALESCE({_number(columns["Diverted"])}, 0) = 1 AS diverted,
  {_number(columns["LateAircraftDelay"])} AS late_aircraft_delay,
  {_number(columns["CRSElapsedTime"])} AS crs_elapsed
FROM {source}
) AS normalised
"""


def _two_digits(text: str) -> str:
    """'1' -> '01'; longer text is left whole (LPAD would truncate '123' to '12')."""
    return f"CASE WHEN LENGTH({text}) = 1 THEN '0' || {text} ELSE {text} END"


#: Aliases of the trimmed ASA date parts (see `normalise_sql`'s `trimmed`).
_ASA_DATE_PARTS = {"Year": "date_year_text", "Month": "date_month_text", "DayofMonth": "date_day_text"}


def asa_date_parts(columns: Mapping[str, str]) -> dict[str, str]:
    """The `trimmed` aliases `asa_date_text_sql` uses -> the file's Year / Month / DayofMonth columns."""
    return {alias: columns[name] for name, alias in _ASA_DATE_PARTS.items()}


def asa_date_text_sql() -> str:
    """'YYYY-MM-DD' from ASA Year / Month / DayofMonth (NULL when any part is missing).

    Uses the trimmed parts of `asa_date_parts` (each trimmed once per row: half the cost of trimming inline).
    """
    y, m, d = _ASA_DATE_PARTS.values()
    return (
        f"CASE WHEN {y} IS NULL OR {m} IS NULL OR {d} IS NULL THEN NULL "
        f"ELSE {y} || '-' || {_two_digits(m)} || '-' || {_two_digits(d)} END"
    )


def bts_date_text_sql(flight_date_column: str) -> str:
    return _text(flight_date_column)


def _bad_hhmm(value: str, allow_null: bool) -> str:
    lo, hi = VALID_HHMM_RANGE
    bad = f"({value} <> FLOOR({value}) OR {value} < {lo} OR {value} > {hi} OR {value} % 100 >= 60)"
    return bad if allow_null else f"({value} IS NULL OR {bad})"


_DELAY_LO, _DELAY_HI = VALID_DELAY_RANGE

CLASSIFY_SQL = f"""
SELECT *,
  CASE
    WHEN date_text IS NULL OR carrier IS NULL OR origin IS NULL OR dest IS NULL THEN 'missing_key_fields'
    WHEN flight_date IS NULL THEN 'invalid_date'
    WHEN cancelled THEN 'cancelled'
    WHEN diverted THEN 'diverted'
    WHEN {_bad_hhmm("crs_dep_raw", False)} OR {_bad_hhmm("crs_arr_raw", False)}
      OR {_bad_hhmm("dep_time_raw", True)} OR {_bad_hhmm("arr_time_raw", True)} THEN 'invalid_time'
    WHEN distance IS NULL OR distance <= 0 THEN 'invalid_distance'
    WHEN dep_delay < {_DELAY_LO} OR dep_delay > {_DELAY_HI}
      OR arr_delay < {_DELAY_LO} OR arr_delay > {_DELAY_HI} THEN 'invalid_delay'
    ELSE NULL
  END AS drop_reason
FROM raw_flights
"""

DROP_COUNTS_SQL = "SELECT COALESCE(drop_reason, 'kept') AS reason, COUNT(*) AS n FROM classified GROUP BY 1"

_LEG_ORDER = (
    "flight_date, sched_dep_min, flight_number NULLS LAST, origin, dest, carrier, sched_arr_min, "
    "dep_delay NULLS LAST, arr_delay NULLS LAST, distance, late_aircraft_delay NULLS LAST"
)

#: The same order, qualified for the joined rotation query (legs of one day are contiguous: flight_date leads).
_LEG_ORDER_L = ", ".join("l." + key.strip() for key in _LEG_ORDER.split(","))

#: What makes two rows one flight (a NULL flight number matches a NULL one, as in any PARTITION BY).
FLIGHT_KEY: tuple[str, ...] = ("flight_date", "carrier", "flight_number", "origin", "dest", "crs_dep_time")

_GAP = CHAIN_MAX_GAP_MINUTES
_CASCADE = CASCADE_DELAY_MINUTES

_FEATURE_EXPRESSIONS: Mapping[str, str] = {
    "year": "YEAR(f.flight_date)",
    "month": "MONTH(f.flight_date)",
    "day_of_week": "(((f.day_num + 3) % 7) + 7) % 7 + 1",
    "dep_hour": "f.crs_dep_time // 100",
    "depdelay": "f.dep_delay",
    "arrdelay": "f.arr_delay",
    "prevflightarrdelay": "f.prev_arr_delay",
    "turnaroundminutes": "f.turnaround",
    "routeavgarrdelay": "rh.avg_arr_delay",
    "carrieravgarrdelay": "ch.avg_arr_delay",
    "next_turnaroundminutes": "f.next_turnaround",
}


def _final_select() -> str:
    """The output projection: names, types and order from `FEATURE_COLUMNS`."""
    items = [
        f"CAST({_FEATURE_EXPRESSIONS.get(c.name, 'f.' + c.name)} AS {_SQL_TYPES[c.arrow_type]}) AS {c.name}"
        for c in FEATURE_COLUMNS
    ]
    return ",\n  ".join(items)


#: Classified rows with integer times and day number: what the first pass stores per flight month.
#: cancelled_leg: a cancelled row that still takes its place in its tail's rotation (real tail, valid
#: scheduled times). TRY_CAST: a flight number beyond INTEGER is NULL, not a failed run (times are validated).
TYPED_SQL = f"""
SELECT
  flight_date, carrier, tail_number, origin, dest, distance, dep_delay, arr_delay, late_aircraft_delay,
  TRY_CAST(flight_number_raw AS INTEGER) AS flight_number,
  TRY_CAST(crs_dep_raw AS INTEGER) AS crs_dep_time,
  TRY_CAST(crs_arr_raw AS INTEGER) AS crs_arr_time,
  crs_elapsed,
  DATE_DIFF('day', DATE '1970-01-01', flight_date) AS day_num,
  drop_reason,
  COALESCE(drop_reason = 'cancelled', FALSE) AND tail_number IS NOT NULL
    AND NOT {_bad_hhmm("crs_dep_raw", False)} AND NOT {_bad_hhmm("crs_arr_raw", False)} AS cancelled_leg
FROM classified
"""

#: The typed rows the rotations, features and history are made of (`flights`): kept rows and cancelled legs.
ROTATION_ROWS = "drop_reason IS NULL OR cancelled_leg"


def _clock(hhmm: str) -> str:
    """Minutes since local midnight of an HHMM integer (2400 -> 1440)."""
    return f"(({hhmm} // 100) * 60 + {hhmm} % 100)"


#: Days the scheduled arrival is after the flight date: from CRSElapsedTime when it is 1..1440 minutes
#: (the local clocks then differ by the time zones: rounded half up to whole days, -1..2), otherwise
#: one day when the arrival clock reads earlier than the departure clock.
_ARRIVAL_DAYS = f"""CASE
      WHEN crs_elapsed >= 1 AND crs_elapsed <= 1440 THEN
        CAST(FLOOR(({_clock("crs_dep_time")} + crs_elapsed - {_clock("crs_arr_time")} + 720) / 1440.0) AS INTEGER)
      WHEN crs_arr_time < crs_dep_time THEN 1
      ELSE 0
    END"""

#: `flights` with scheduled minutes since 1970-01-01 and copy_number: 1 for the one row of each flight
#: (FLIGHT_KEY) the pipeline uses, the first in rotation order with kept rows before cancelled legs; the
#: tail and arrival time break the last ties, so duplicates resolve the same way in any input order.
RANKED_LEGS_SQL = f"""
SELECT *,
  ROW_NUMBER() OVER (
    PARTITION BY {", ".join(FLIGHT_KEY)}
    ORDER BY cancelled_leg, {_LEG_ORDER}, tail_number NULLS LAST, crs_arr_time
  ) AS copy_number
FROM (
  SELECT *,
    day_num * 1440 + {_clock("crs_dep_time")} AS sched_dep_min,
    day_num * 1440 + {_clock("crs_arr_time")} + 1440 * {_ARRIVAL_DAYS} AS sched_arr_min
  FROM flights
) AS timed
"""

#: Per-day sums of arrival delay (of kept, non-duplicate flights) the 90-day history windows add up, and
#: the duplicates per day; small, and additive over disjoint sets of days, so they can be computed month
#: by month. In order: each relation reads the ones before it (and `ranked_legs`).
DAILY_SQL: Mapping[str, str] = {
    "route_carrier_daily": (
        "SELECT origin, dest, carrier, day_num, "
        "SUM(CASE WHEN copy_number = 1 THEN arr_delay END) AS s, "
        "COUNT(CASE WHEN copy_number = 1 THEN arr_delay END) AS c, "
        "COUNT(CASE WHEN copy_number > 1 THEN 1 END) AS duplicates "
        "FROM ranked_legs WHERE NOT cancelled_leg GROUP BY origin, dest, carrier, day_num"
    ),
    "route_daily": (
        "SELECT origin, dest, day_num, SUM(s) AS s, SUM(c) AS c FROM route_carrier_daily GROUP BY origin, dest, day_num"
    ),
    "carrier_daily": "SELECT carrier, day_num, SUM(s) AS s, SUM(c) AS c FROM route_carrier_daily GROUP BY carrier, day_num",
}

#: The relations of DAILY_SQL that `features_sql` reads.
HISTORY_RELATIONS: tuple[str, ...] = ("route_daily", "carrier_daily")

#: Rows that would otherwise be kept and are a further copy of a kept flight (drop reason `duplicate`).
DUPLICATES_SQL = "SELECT CAST(COALESCE(SUM(duplicates), 0) AS BIGINT) AS n FROM route_carrier_daily"


def count_duplicates(counts: Mapping[str, int], duplicates: int) -> dict[str, int]:
    """Classification counts with the duplicates moved from `kept` to their own reason."""
    moved = dict(counts)
    moved["kept"] = moved.get("kept", 0) - duplicates
    moved["duplicate"] = moved.get("duplicate", 0) + duplicates
    return moved


#: Days a rotation can reach across: a neighbour leg further away than this is never valid (a leg's
#: scheduled arrival is at most 2 days (k <= 2) + 24:00 after its flight date and at most 1 day before it
#: (k >= -1), and the gap to the next leg is at most 1440 minutes, so a valid neighbour's flight date is
#: within 4 days), so features of days [lo, hi] need the rotation rows of [lo - margin, hi + margin] only.
ROTATION_MARGIN_DAYS = 5


def features_sql(days: tuple[int, int] | None = None) -> str:
    """Features and label of the kept legs of `ranked_legs` with history from `route_daily` / `carrier_daily`.

    With `days` = (lo, hi) day numbers, only flights of those days are output; `ranked_legs` must then be
    computed from the rotation rows (TYPED_SQL, ROTATION_ROWS) of [lo - ROTATION_MARGIN_DAYS,
    hi + ROTATION_MARGIN_DAYS] and the daily sums must hold [lo - HISTORY_DAYS, hi]: the result equals that
    of the whole table restricted to those days.
    """
    where = "" if days is None else f"WHERE f.day_num BETWEEN {int(days[0])} AND {int(days[1])}"
    return f"""
WITH legs AS (
  SELECT * FROM ranked_legs WHERE copy_number = 1
),
tail_days AS (
  SELECT tail_number, day_num, COUNT(*) AS legs FROM legs WHERE tail_number IS NOT NULL
  GROUP BY tail_number, day_num
),
tail_day_offsets AS (
  SELECT tail_number, day_num,
    COALESCE(SUM(legs) OVER (PARTITION BY tail_number ORDER BY day_num
                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS legs_before
  FROM tail_days
),
neighbours AS (
  SELECT l.*,
    LAG(dest) OVER w AS prev_dest,
    LAG(sched_arr_min) OVER w AS prev_sched_arr,
    LAG(arr_delay) OVER w AS prev_arr_delay_raw,
    LAG(cancelled_leg) OVER w AS prev_cancelled,
    LEAD(origin) OVER w AS next_origin,
    LEAD(sched_dep_min) OVER w AS next_sched_dep,
    LEAD(dep_delay) OVER w AS next_dep_delay,
    LEAD(cancelled_leg) OVER w AS next_cancelled,
    (ROW_NUMBER() OVER w) - o.legs_before AS leg_number
  FROM legs l
  JOIN tail_day_offsets o ON o.tail_number = l.tail_number AND o.day_num = l.day_num
  WINDOW w AS (PARTITION BY l.tail_number ORDER BY {_LEG_ORDER_L})
),
rotated AS (
  SELECT
    flight_date, carrier, flight_number, tail_number, origin, dest, crs_dep_time, crs_arr_time, distance,
    dep_delay, arr_delay, late_aircraft_delay, day_num,
    CASE WHEN prev_valid THEN prev_arr_delay_raw END AS prev_arr_delay,
    CASE WHEN prev_valid THEN sched_dep_min - prev_sched_arr END AS turnaround,
    leg_number,
    CASE WHEN next_valid THEN next_sched_dep - sched_arr_min END AS next_turnaround,
    COALESCE(
      arr_delay >= {_CASCADE} AND next_valid AND (next_cancelled OR next_dep_delay >= {_CASCADE}), FALSE
    ) AS cascade
  FROM (
    SELECT *,
      NOT prev_cancelled AND prev_dest = origin AND sched_dep_min - prev_sched_arr BETWEEN 0 AND {_GAP}
        AS prev_valid,
      next_origin = dest AND next_sched_dep - sched_arr_min BETWEEN 0 AND {_GAP} AS next_valid
    FROM neighbours
    WHERE NOT cancelled_leg
  ) AS chained
  UNION ALL
  SELECT
    flight_date, carrier, flight_number, tail_number, origin, dest, crs_dep_time, crs_arr_time, distance,
    dep_delay, arr_delay, late_aircraft_delay, day_num,
    NULL, NULL, NULL, NULL, FALSE
  FROM legs
  WHERE tail_number IS NULL AND NOT cancelled_leg
),
route_history AS (
  SELECT origin, dest, day_num,
    SUM(s) OVER r / NULLIF(SUM(c) OVER r, 0) AS avg_arr_delay
  FROM route_daily
  WINDOW r AS (PARTITION BY origin, dest ORDER BY day_num RANGE BETWEEN {HISTORY_DAYS} PRECEDING AND 1 PRECEDING)
),
carrier_history AS (
  SELECT carrier, day_num,
    SUM(s) OVER r / NULLIF(SUM(c) OVER r, 0) AS avg_arr_delay
  FROM carrier_daily
  WINDOW r AS (PARTITION BY carrier ORDER BY day_num RANGE BETWEEN {HISTORY_DAYS} PRECEDING AND 1 PRECEDING)
)
SELECT
  {_final_select()}
FROM rotated f
LEFT JOIN route_history rh ON rh.origin = f.origin AND rh.dest = f.dest AND rh.day_num = f.day_num
LEFT JOIN carrier_history ch ON ch.carrier = f.carrier AND ch.day_num = f.day_num
{where}
"""


#: Output row order within a partition (all columns; rows equal in all of them are identical).
OUTPUT_ORDER: tuple[str, ...] = (
    "flight_date", "carrier", "flight_number", "origin", "dest", "crs_dep_time", "tail_number",
    "crs_arr_time", "distance", "depdelay", "arrdelay", "late_aircraft_delay",
)  # fmt: skip


def to_spark(sql: str) -> str:
    """The same statement in Spark SQL (sqlglot); raises sqlglot.ParseError on non-portable SQL."""
    import sqlglot  # only the Spark engine needs it (0.15 s of import)

    return sqlglot.transpile(sql, read="duckdb", write="spark")[0]

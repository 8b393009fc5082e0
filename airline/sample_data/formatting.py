"""Simulated rows to CSV text: the ASA layout and the BTS layout, vectorised with pyarrow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
from airline_shared.raw_formats import ASA_COLUMNS, ASA_NULL

from airline.sample_data.params import (
    CANCELLATION_CODES,
    CAUSE_COLUMNS,
    PLACEHOLDER_TAIL_VALUES,
)
from airline.sample_data_reference import AIRPORTS, BTS_COLUMNS, CARRIERS, STATES

if TYPE_CHECKING:
    import pyarrow as pa


def _hhmm(minutes: np.ndarray, midnight_as_2400: bool) -> np.ndarray:
    m = np.mod(minutes, 1440)
    hhmm = (m // 60) * 100 + m % 60
    return np.where((hhmm == 0) & midnight_as_2400, 2400, hhmm)


@dataclass
class _Rows:
    """A chunk of simulated rows plus the derived, output-ready values."""

    cols: dict[str, np.ndarray]
    dates: np.ndarray  # (n,) index into `day_dates`
    day_dates: list[date]

    @property
    def n(self) -> int:
        return len(self.dates)

    def derived(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """ASA-named integer columns with their null masks."""
        c = self.cols
        cancelled, diverted = c["cancelled"].astype(bool), c["diverted"].astype(bool)
        flown = ~cancelled & ~diverted
        no = np.zeros(self.n, dtype=bool)
        arr_actual = c["crs_arr"] + c["arr_delay"]
        elapsed = c["taxi_out"] + c["air_time"] + c["taxi_in"]
        late = flown & (c["arr_delay"] >= 15)
        out = {
            "DepTime": (_hhmm(c["crs_dep"] + c["dep_delay"], True), cancelled),
            "CRSDepTime": (_hhmm(c["crs_dep"], False), no),
            "ArrTime": (_hhmm(arr_actual, True), ~flown),
            "CRSArrTime": (_hhmm(c["crs_arr"], True), no),
            "FlightNum": (c["flight_num"], no),
            "ActualElapsedTime": (elapsed, ~flown),
            "CRSElapsedTime": (c["crs_elapsed"], no),
            "AirTime": (c["air_time"], ~flown),
            "ArrDelay": (c["arr_delay"], ~flown),
            "DepDelay": (c["dep_delay"], cancelled),
            "Distance": (c["distance"], no),
            "TaxiIn": (c["taxi_in"], ~flown),
            "TaxiOut": (c["taxi_out"], cancelled),
            "Cancelled": (cancelled.astype(np.int64), no),
            "Diverted": (diverted.astype(np.int64), no),
            "WheelsOff": (_hhmm(c["crs_dep"] + c["dep_delay"] + c["taxi_out"], True), cancelled),
            "WheelsOn": (_hhmm(arr_actual - c["taxi_in"], True), ~flown),
        }
        out.update({k: (c[k], ~late) for k in CAUSE_COLUMNS})
        return out


def _text_table(values: list[str]) -> pa.Array:
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def _int_strings(values: np.ndarray, null: np.ndarray) -> pa.Array:
    """Integers as decimal strings, null where `null` is set."""
    import pyarrow as pa

    return pa.array(np.asarray(values, dtype=np.int64), mask=np.asarray(null, dtype=bool)).cast(pa.string())


def _ints(values: np.ndarray, null: np.ndarray, null_text: str) -> pa.Array:
    import pyarrow.compute as pc

    return pc.fill_null(_int_strings(values, null), null_text)


def _tail_text(tail: np.ndarray, tails: list[str]) -> pa.Array:
    table = _text_table([*tails, *reversed(PLACEHOLDER_TAIL_VALUES)])
    idx = np.where(tail >= 0, tail, len(tails) + len(PLACEHOLDER_TAIL_VALUES) + tail)
    return table.take(idx)


def _lines_bytes(columns: list[Any]) -> pa.Array:
    """Join string columns (arrays or scalars) with commas, one newline-terminated line per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    joined = pc.binary_join_element_wise(*columns, ",")
    return pc.binary_join_element_wise(joined, pa.scalar(""), "\n")


def _buffer_bytes(lines: pa.Array) -> memoryview:
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)
    start, stop = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    return memoryview(lines.buffers()[2])[start:stop]


def _asa_lines(rows: _Rows, tails: list[str]) -> pa.Array:

    c, derived = rows.cols, rows.derived()
    dates = rows.day_dates
    per_day = {
        "Year": np.array([d.year for d in dates]),
        "Month": np.array([d.month for d in dates]),
        "DayofMonth": np.array([d.day for d in dates]),
        "DayOfWeek": np.array([d.isoweekday() for d in dates]),
    }
    no = np.zeros(rows.n, dtype=bool)
    carriers = _text_table([x.code for x in CARRIERS])
    airports = _text_table([a.code for a in AIRPORTS])
    codes = _text_table([x or ASA_NULL for x in CANCELLATION_CODES])
    text: dict[str, pa.Array] = {
        "UniqueCarrier": carriers.take(c["carrier"]),
        "TailNum": _tail_text(c["tail"], tails),
        "Origin": airports.take(c["origin"]),
        "Dest": airports.take(c["dest"]),
        "CancellationCode": codes.take(c["cancel_code"]),
    }
    columns: list[pa.Array] = []
    for name in sorted(ASA_COLUMNS):
        if name in text:
            columns.append(text[name])
        elif name in per_day:
            columns.append(_ints(per_day[name][rows.dates], no, ASA_NULL))
        else:
            values, null = derived[name]
            columns.append(_ints(values, null, ASA_NULL))
    return _lines_bytes(columns)


def _quoted(arr: pa.Array) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.binary_join_element_wise(pa.scalar('"'), arr, pa.scalar('"'), "")


def _decimal2(values: np.ndarray, null: np.ndarray) -> pa.Array:
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.fill_null(pc.binary_join_element_wise(_int_strings(values, null), pa.scalar(".00"), ""), "")


def _hhmm_quoted(values: np.ndarray, null: np.ndarray) -> pa.Array:
    import pyarrow.compute as pc

    return _quoted(pc.fill_null(pc.utf8_lpad(_int_strings(values, null), 4, "0"), ""))


_TIME_BLOCKS = ["0001-0559", *[f"{h:02d}00-{h:02d}59" for h in range(6, 24)]]


def _time_block(hhmm: np.ndarray) -> np.ndarray:
    """Index into `_TIME_BLOCKS` of an HHMM value (2400 falls in the last hour)."""
    return np.maximum(np.minimum(hhmm // 100, 23) - 5, 0)


def _delay_group(delay: np.ndarray) -> np.ndarray:
    return np.clip(np.floor_divide(delay, 15), -2, 12)


def _airport_columns(prefix: str, idx: np.ndarray) -> dict[str, pa.Array]:
    ids = np.array([10135 + 47 * i for i in range(len(AIRPORTS))])[np.argsort(np.argsort([a.code for a in AIRPORTS]))]
    pick = {
        "AirportID": _text_table([str(x) for x in ids]),
        "AirportSeqID": _text_table([f"{x}0{2 + i % 4}" for i, x in enumerate(ids)]),
        "CityMarketID": _text_table([str(30000 + 13 * i) for i in range(len(AIRPORTS))]),
        "": _text_table([f'"{a.code}"' for a in AIRPORTS]),
        "CityName": _text_table([f'"{a.city}"' for a in AIRPORTS]),
        "State": _text_table([f'"{a.state}"' for a in AIRPORTS]),
        "StateFips": _text_table([f'"{STATES[a.state][0]}"' for a in AIRPORTS]),
        "StateName": _text_table([f'"{STATES[a.state][1]}"' for a in AIRPORTS]),
        "Wac": _text_table([str(STATES[a.state][2]) for a in AIRPORTS]),
    }
    return {f"{prefix}{k}": v.take(idx) for k, v in pick.items()}


def _bts_lines(rows: _Rows, tails: list[str]) -> pa.Array:
    import pyarrow as pa

    c, derived = rows.cols, rows.derived()
    dates = rows.day_dates
    no = np.zeros(rows.n, dtype=bool)
    day_ints = {
        "Year": [d.year for d in dates],
        "Quarter": [(d.month - 1) // 3 + 1 for d in dates],
        "Month": [d.month for d in dates],
        "DayofMonth": [d.day for d in dates],
        "DayOfWeek": [d.isoweekday() for d in dates],
    }
    cols: dict[str, Any] = {k: _text_table([str(v) for v in vals]).take(rows.dates) for k, vals in day_ints.items()}
    cols["FlightDate"] = _text_table([d.isoformat() for d in dates]).take(rows.dates)
    carrier_q = _text_table([f'"{x.code}"' for x in CARRIERS]).take(c["carrier"])
    cols["Reporting_Airline"] = carrier_q
    cols["DOT_ID_Reporting_Airline"] = _text_table([str(x.dot_id) for x in CARRIERS]).take(c["carrier"])
    cols["IATA_CODE_Reporting_Airline"] = carrier_q
    cols["Tail_Number"] = _quoted(_tail_text(c["tail"], tails))
    cols["Flight_Number_Reporting_Airline"] = _ints(c["flight_num"], no, "")
    cols |= _airport_columns("Origin", c["origin"]) | _airport_columns("Dest", c["dest"])
    for name in ("CRSDepTime", "DepTime", "WheelsOff", "WheelsOn", "CRSArrTime", "ArrTime"):
        cols[name] = _hhmm_quoted(*derived[name])
    for name in (
        "DepDelay",
        "TaxiOut",
        "TaxiIn",
        "ArrDelay",
        "Cancelled",
        "Diverted",
        "CRSElapsedTime",
        "ActualElapsedTime",
        "AirTime",
        "Distance",
        *CAUSE_COLUMNS,
    ):
        cols[name] = _decimal2(*derived[name])
    for prefix, key, blk_src in (("Dep", "DepDelay", "CRSDepTime"), ("Arr", "ArrDelay", "CRSArrTime")):
        delay, null = derived[key]
        cols[f"{prefix}DelayMinutes"] = _decimal2(np.maximum(delay, 0), null)
        cols[f"{prefix}Del15"] = _decimal2((delay >= 15).astype(np.int64), null)
        group_name = "DepartureDelayGroups" if prefix == "Dep" else "ArrivalDelayGroups"
        cols[group_name] = _ints(_delay_group(delay), null, "")
        cols[f"{prefix}TimeBlk"] = _text_table([f'"{b}"' for b in _TIME_BLOCKS]).take(_time_block(derived[blk_src][0]))
    cols["CancellationCode"] = _text_table([f'"{x}"' for x in CANCELLATION_CODES]).take(c["cancel_code"])
    cols["Flights"] = pa.scalar("1.00")
    cols["DistanceGroup"] = _ints(np.minimum(c["distance"] // 250 + 1, 11), no, "")
    cols["DivAirportLandings"] = _ints(c["diverted"].astype(np.int64), no, "")
    quoted_empty = ("FirstDepTime", "Airport", "WheelsOn", "WheelsOff", "TailNum")
    columns = [cols.get(name, pa.scalar('""' if name.endswith(quoted_empty) else "")) for name in BTS_COLUMNS]
    return _lines_bytes([*columns, pa.scalar("")])

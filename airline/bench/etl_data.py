"""Generated ASA-layout flights for the ETL benchmark and the engine parity test."""

from pathlib import Path

_ASA_HEADER = (
    "Year", "Month", "DayofMonth", "DayOfWeek", "DepTime", "CRSDepTime", "ArrTime", "CRSArrTime", "UniqueCarrier",
    "FlightNum", "TailNum", "ActualElapsedTime", "CRSElapsedTime", "AirTime", "ArrDelay", "DepDelay", "Origin",
    "Dest", "Distance", "TaxiIn", "TaxiOut", "Cancelled", "CancellationCode", "Diverted", "CarrierDelay",
    "WeatherDelay", "NASDelay", "SecurityDelay", "LateAircraftDelay",
)  # fmt: skip


def generate_asa_csv(path: Path, flights: int, seed: int = 7) -> None:
    """Shuffled ASA-layout CSV of ~`flights` rows: tails flying chained legs over 120 days.

    About 5 legs per tail-day, 3% broken chains, 2% cancelled, 0.3% diverted, 1% placeholder
    tails, 0.1% invalid delays; written by DuckDB with NA for nulls, header alphabetical.
    """
    import duckdb
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed)
    days, legs_per_day = 120, 5
    tails = max(1, -(-flights // (days * legs_per_day)))
    n = tails * days * legs_per_day
    tail_idx = np.repeat(np.arange(tails), days * legs_per_day)
    day = np.tile(np.repeat(np.arange(days), legs_per_day), tails)
    leg = np.tile(np.arange(legs_per_day), tails * days)
    airports = np.array([f"A{i:02d}" for i in range(100)])
    hop = rng.integers(1, 100, n)
    chain_airport = np.cumsum(hop) % 100  # origin of leg k+1 = dest of leg k within a tail
    origin = np.roll(chain_airport, 1)
    origin[::legs_per_day] = rng.integers(0, 100, n // legs_per_day)
    origin = np.where(rng.random(n) < 0.03, rng.integers(0, 100, n), origin)
    dest = chain_airport
    dep_min = 360 + leg * 200 + rng.integers(0, 40, n)
    dur = rng.integers(50, 170, n)
    arr_min = (dep_min + dur) % 1440
    dep_delay = np.round(rng.exponential(12, n) - 5)
    arr_delay = np.round(dep_delay + rng.normal(0, 8, n))
    arr_delay = np.where(rng.random(n) < 0.001, 2000, arr_delay)
    cancelled = (rng.random(n) < 0.02).astype(np.int32)
    diverted = ((rng.random(n) < 0.003) & (cancelled == 0)).astype(np.int32)
    tail_names = np.char.add("N", (tail_idx + 100).astype(str))
    tail_names = np.where(rng.random(n) < 0.01, "000000", tail_names)
    date = np.datetime64("2008-01-01") + day.astype("timedelta64[D]")
    table = pa.table(
        {
            "Year": date.astype("datetime64[Y]").astype(int) + 1970,
            "Month": date.astype("datetime64[M]").astype(int) % 12 + 1,
            "DayofMonth": (date - date.astype("datetime64[M]")).astype(int) + 1,
            "DayOfWeek": (day + 1) % 7 + 1,
            "DepTime": np.where(cancelled == 1, None, (dep_min // 60) * 100 + dep_min % 60),
            "CRSDepTime": (dep_min // 60) * 100 + dep_min % 60,
            "ArrTime": np.where(cancelled == 1, None, (arr_min // 60) * 100 + arr_min % 60),
            "CRSArrTime": (arr_min // 60) * 100 + arr_min % 60,
            "UniqueCarrier": np.array(["WN", "AA", "DL", "UA", "US", "NW"])[tail_idx % 6],
            "FlightNum": rng.integers(1, 5000, n),
            "TailNum": tail_names,
            "ActualElapsedTime": dur,
            "CRSElapsedTime": dur,
            "AirTime": dur - 20,
            "ArrDelay": np.where(cancelled == 1, None, arr_delay),
            "DepDelay": np.where(cancelled == 1, None, dep_delay),
            "Origin": airports[origin],
            "Dest": airports[dest],
            "Distance": dur * 7,
            "TaxiIn": np.full(n, 5),
            "TaxiOut": np.full(n, 12),
            "Cancelled": cancelled,
            "CancellationCode": np.where(cancelled == 1, "A", None),
            "Diverted": diverted,
            "CarrierDelay": np.full(n, None),
            "WeatherDelay": np.full(n, None),
            "NASDelay": np.full(n, None),
            "SecurityDelay": np.full(n, None),
            "LateAircraftDelay": np.where(arr_delay > 15, np.maximum(0, arr_delay - 15), 0),
        }
    )
    order = rng.permutation(n)
    table = table.take(pa.array(order))
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ", ".join(f'"{c}"' for c in sorted(_ASA_HEADER))
    tmp = path.with_suffix(".tmp")
    con = duckdb.connect()
    con.register("flights", table)
    con.execute(f"COPY (SELECT {columns} FROM flights) TO '{tmp}' (HEADER, DELIMITER ',', NULLSTR 'NA')")
    con.close()
    tmp.rename(path)

"""The embedded engine: the shared SQL on DuckDB, streaming CSV, spilling to disk beyond memory_limit."""

from collections.abc import Callable
from pathlib import Path

import duckdb

from etl_job.definition import CLASSIFY_SQL, DROP_COUNTS_SQL, FEATURES_SQL, OUTPUT_ORDER
from etl_job.inputs import ENCODING, NULL_STRINGS, RawInput
from etl_job.models import EtlError

DEFAULT_MEMORY_LIMIT = "1536MB"  # process peak stays under 2 GB with Python and Arrow on top
#: Canonical columns only the classification needs; not materialised.
_RAW_ONLY = "date_text, dep_time_raw, arr_time_raw, cancelled, diverted"


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _read_csv_sql(raw: RawInput) -> str:
    """read_csv with an explicit all-VARCHAR schema in header order (no sniffing, strict rows)."""
    columns = ", ".join(f"{_sql_str(name)}: 'VARCHAR'" for name in raw.columns)
    nulls = ", ".join(_sql_str(n) for n in NULL_STRINGS)
    return (
        f"read_csv({_sql_str(raw.path)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {{{columns}}}, nullstr = [{nulls}], encoding = {_sql_str(ENCODING)}, "
        "compression = 'auto', strict_mode = true)"
    )


def run_duckdb(
    inputs: list[RawInput],
    out_dir: Path,
    work_dir: Path,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write the features of `inputs` under out_dir (year=YYYY/month=MM) and return row counts per reason.

    Raises EtlError when DuckDB rejects the input (e.g. a row with the wrong number of fields).
    """
    say = progress or (lambda _msg: None)
    con = duckdb.connect()  # in-memory; temp tables spill to temp_directory beyond memory_limit
    try:
        con.execute(f"SET memory_limit = {_sql_str(memory_limit)}")
        con.execute(f"SET temp_directory = {_sql_str(str(work_dir / 'spill'))}")
        con.execute("SET preserve_insertion_order = false")  # lets every step stream and spill
        con.execute("SET enable_progress_bar = false")
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        sources = []
        for i, raw in enumerate(inputs):
            con.execute(f"CREATE VIEW src_{i} AS SELECT * FROM {_read_csv_sql(raw)}")
            sources.append(raw.normalise_sql(f"src_{i}"))
        con.execute("CREATE VIEW raw_flights AS " + "\nUNION ALL\n".join(sources))
        say(f"reading {len(inputs)} file(s) and classifying rows")
        con.execute(f"CREATE TEMP TABLE classified AS SELECT * EXCLUDE ({_RAW_ONLY}) FROM ({CLASSIFY_SQL})")
        counts = {str(reason): int(n) for reason, n in con.execute(DROP_COUNTS_SQL).fetchall()}
        con.execute("CREATE VIEW kept_flights AS SELECT * FROM classified WHERE drop_reason IS NULL")
        say(f"computing features of {counts.get('kept', 0)} kept rows")
        order = ", ".join(f"{c} NULLS LAST" for c in OUTPUT_ORDER)
        # One write: DuckDB partitions and sorts each month into one file (same bytes on every rerun).
        con.execute(
            f"COPY (SELECT * REPLACE (LPAD(CAST(month AS VARCHAR), 2, '0') AS month) FROM ({FEATURES_SQL})) "
            f"TO {_sql_str(str(out_dir))} (FORMAT PARQUET, PARTITION_BY (year, month), ORDER_BY ({order}), "
            "FILENAME_PATTERN 'part-{i}', COMPRESSION zstd)"
        )
    except duckdb.Error as exc:
        raise EtlError(f"DuckDB engine failed: {exc}") from exc
    finally:
        con.close()
    return counts

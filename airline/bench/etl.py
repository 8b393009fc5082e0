"""`airline bench etl`: the DuckDB engine vs a straightforward pandas implementation.

A third row, `csv-copy`, is a ceiling rather than an implementation: DuckDB converting the columns the
features use from the same CSV to Parquet, with no cleaning, rotations or history at all: the DuckDB
engine cannot run faster than that on the machine.

Each (implementation, size) runs in a fresh subprocess; its peak RSS comes from `os.wait4`
(the child's own rusage, i.e. getrusage(RUSAGE_CHILDREN) of a fresh parent) and its time
from the child (CSV in -> Parquet out, interpreter start excluded). Data is generated once
per size (airline.sample_data, ASA layout, shuffled) and cached under bench-output/data/.
"""

import json
import os
import shutil
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from airline.bench.child import run_measured

DEFAULT_OUT = Path("bench-output")


def _cached_sample(directory: Path, flights: int) -> Path:
    """The generated ASA file for `flights` (12 months of 2007, seed 7), generated on first use."""
    from airline.sample_data import ASA_FILE, generate_sample_data

    path = directory / ASA_FILE
    if not path.exists():
        typer.echo(f"generating {flights:,} flights -> {path}")
        generate_sample_data(directory, flights, "asa", seed=7, start_date=date(2007, 1, 1), months=12)
    return path


def _worker(impl: str, csv_path: Path, out_dir: Path) -> None:
    """Child process body: run one implementation and print its timing as JSON."""
    shutil.rmtree(out_dir, ignore_errors=True)
    started = time.perf_counter()
    if impl == "duckdb":
        from etl_job.run import run_etl

        summary = run_etl([csv_path], out_dir, engine="duckdb")
        rows_read, rows_written = summary.rows_read, summary.rows_written
    elif impl == "csv-copy":
        rows_read = rows_written = _csv_copy(csv_path, out_dir)
    else:
        from airline.bench.etl_pandas import pandas_features

        out_dir.mkdir(parents=True)
        counts = pandas_features(csv_path, out_dir)
        rows_read, rows_written = sum(counts.values()), counts.get("kept", 0)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rows_read": rows_read, "rows_written": rows_written}))


def _csv_copy(csv_path: Path, out_dir: Path) -> int:
    """The ceiling: the source columns the features use, CSV to one Parquet file, nothing computed.

    Types come from DuckDB's sniffer (numbers stay numbers), the cheapest conversion DuckDB makes.
    """
    import duckdb
    import pyarrow.parquet as pq
    from etl_job.definition import CANONICAL_SOURCE_COLUMNS
    from etl_job.inputs import NULL_STRINGS

    out_dir.mkdir(parents=True)
    columns = ", ".join(f'"{c}"' for c in ("Year", "Month", "DayofMonth", *CANONICAL_SOURCE_COLUMNS))
    nulls = ", ".join(f"'{n}'" for n in NULL_STRINGS)
    source = f"read_csv('{csv_path}', header = true, nullstr = [{nulls}])"
    target = out_dir / "copy.parquet"
    duckdb.execute(f"COPY (SELECT {columns} FROM {source}) TO '{target}' (FORMAT PARQUET, COMPRESSION zstd)")
    return int(pq.ParquetFile(target).metadata.num_rows)


def _measure(impl: str, csv_path: Path, out_dir: Path) -> dict[str, Any]:
    """Run the worker in a fresh process; peak RSS from that child's own rusage."""
    cmd = [sys.executable, "-m", "airline.bench.etl", impl, str(csv_path), str(out_dir)]
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    run = run_measured(cmd, out_dir.with_suffix(".log"))
    if run.returncode != 0:
        return {"impl": impl, "error": run.output_tail[-2000:]}
    result = json.loads(run.last_line)
    result.update(impl=impl, peak_rss_mb=run.peak_rss_mb, cpu_seconds=run.cpu_seconds)
    result["rows_per_s"] = round(result["rows_read"] / result["seconds"])
    shutil.rmtree(out_dir, ignore_errors=True)
    return result


def _markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| flights | implementation | seconds | rows/s | peak RSS (MB) | vs pandas |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['flights']:,} | {r['impl']} | failed | | | |")
            continue
        ratio = f"{r['speedup_vs_pandas']:.1f}x" if r.get("speedup_vs_pandas") else ""
        if r["impl"] == "csv-copy":
            ratio = "(ceiling: no features)"
        lines.append(
            f"| {r['flights']:,} | {r['impl']} | {r['seconds']:.1f} | {r['rows_per_s']:,} | {r['peak_rss_mb']:,.0f} | {ratio} |"
        )
    return "\n".join(lines) + "\n"


def run_etl_benchmark(flights: list[int], out: Path = DEFAULT_OUT, pandas_max: int = 10_000_000) -> dict[str, Any]:
    """Run every size through DuckDB and (up to pandas_max) pandas; write etl.json and etl.md into out."""
    results: list[dict[str, Any]] = []
    for n in flights:
        csv_path = _cached_sample(out / "data" / f"etl-{n}-12m-s7", n)
        impls = ["csv-copy", "duckdb", "pandas"] if n <= pandas_max else ["csv-copy", "duckdb"]
        by_impl = {}
        for impl in impls:
            typer.echo(f"running {impl} on {n:,} flights")
            result = _measure(impl, csv_path, out / "work" / f"{impl}_{n}")
            result["flights"] = n
            by_impl[impl] = result
            results.append(result)
            typer.echo(json.dumps(result))
        duck, pand = by_impl.get("duckdb", {}), by_impl.get("pandas", {})
        if "seconds" in duck and "seconds" in pand:
            duck["speedup_vs_pandas"] = round(pand["seconds"] / duck["seconds"], 2)
    report = {"created_at": datetime.now(UTC).isoformat(), "cpu_count": os.cpu_count(), "results": results}
    out.mkdir(parents=True, exist_ok=True)
    (out / "etl.json").write_text(json.dumps(report, indent=2))
    table = _markdown(results)
    (out / "etl.md").write_text("# ETL benchmark\n\n" + table)
    typer.echo(table)
    return report


def bench_etl_command(
    flights: Annotated[
        list[int] | None, typer.Option("--flights", help="Sizes to run (repeatable; default 1000000 and 10000000).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Where data, JSON and markdown go.")] = DEFAULT_OUT,
    pandas_max: Annotated[
        int, typer.Option("--pandas-max", help="Run pandas only up to this many flights.")
    ] = 10_000_000,
) -> None:
    """ETL benchmark: DuckDB engine vs a pandas implementation (rows/s, peak memory, ratio).

    Also runs `csv-copy`, DuckDB copying the used CSV columns to Parquet with no feature work: the ceiling.
    """
    run_etl_benchmark(flights or [1_000_000, 10_000_000], out, pandas_max)


if __name__ == "__main__":
    _worker(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown (pyarrow's thread pool can abort at exit after a large run)

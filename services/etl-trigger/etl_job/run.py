"""`run_etl`: raw files to a features directory, staged beside the target and swapped in on success."""

import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from etl_job.definition import DROP_REASONS
from etl_job.inputs import prepare_inputs
from etl_job.models import SUMMARY_FILE, Engine, RunSummary

Progress = Callable[[str], None]


def new_run_id() -> str:
    """A sortable, unique run id (UTC timestamp + random suffix)."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + uuid.uuid4().hex[:8]


def describe_output(root: Path) -> tuple[list[str], int]:
    """Partitions (`year=YYYY/month=MM`, sorted) and total rows of a local features directory."""
    import pyarrow.parquet as pq  # not needed by the Glue path

    partitions: set[str] = set()
    rows = 0
    for file in sorted(root.glob("year=*/month=*/*.parquet")):
        partitions.add(f"{file.parent.parent.name}/{file.parent.name}")
        rows += pq.ParquetFile(file).metadata.num_rows
    return sorted(partitions), rows


def build_summary(
    run_id: str,
    engine: Engine,
    inputs: list[str],
    lookups: list[str],
    counts: dict[str, int],
    output: tuple[list[str], int],
    seconds: float,
) -> RunSummary:
    """The run summary from engine counts (`kept` + one count per drop reason, all reasons listed)."""
    dropped = {reason: counts.get(reason, 0) for reason in DROP_REASONS}
    partitions, rows_written = output
    return RunSummary(
        run_id=run_id,
        engine=engine,
        input_files=inputs,
        lookup_files=lookups,
        rows_read=sum(counts.values()),
        rows_kept=counts.get("kept", 0),
        rows_written=rows_written,
        dropped=dropped,
        partitions=partitions,
        seconds=round(seconds, 3),
    )


def _restore_interrupted_swap(out_dir: Path) -> None:
    """Put back the previous output when a run died between the two renames of `_swap_in`."""
    if out_dir.exists():
        return
    retired = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if retired:
        retired[-1].rename(out_dir)


def _swap_in(staging: Path, out_dir: Path, run_id: str) -> None:
    """Replace out_dir by staging with two renames; the old output is removed only afterwards."""
    retired = out_dir.with_name(f".{out_dir.name}.old-{run_id}")
    if out_dir.exists():
        out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)


def run_etl(
    inputs: list[Path],
    out_dir: Path,
    engine: Engine = "duckdb",
    run_id: str | None = None,
    progress: Progress | None = None,
    spark: Any = None,
    memory_limit: str | None = None,
) -> RunSummary:
    """Build the features of `inputs` into out_dir; on any failure out_dir is left as it was.

    Raises InputFormatError for unusable files and EtlError when an engine fails.
    """
    run_id = run_id or new_run_id()
    say = progress or (lambda _msg: None)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _restore_interrupted_swap(out_dir)
    staging = out_dir.with_name(f".{out_dir.name}.staging-{run_id}")
    work = out_dir.with_name(f".{out_dir.name}.work-{run_id}")
    started = time.perf_counter()
    try:
        work.mkdir()
        prepared = prepare_inputs([Path(p) for p in inputs], work)
        flights, lookups = prepared.flights, prepared.lookups
        if engine == "duckdb":
            from etl_job.duckdb_engine import DEFAULT_MEMORY_LIMIT, run_duckdb

            result = run_duckdb(flights, staging, work, memory_limit or DEFAULT_MEMORY_LIMIT, progress=say)
            counts, rejected = result.counts, result.rejected
        else:
            from etl_job.spark_engine import create_local_session, run_spark

            counts, rejected = run_spark(spark or create_local_session(), flights, str(staging), progress=say), []
        staging.mkdir(exist_ok=True)
        for marker in [*staging.glob("_SUCCESS"), *staging.rglob(".*.crc")]:
            marker.unlink()
        summary = build_summary(
            run_id,
            engine,
            [str(p) for p in inputs],
            [str(p) for p in lookups],
            counts,
            describe_output(staging),
            time.perf_counter() - started,
        ).model_copy(update={"rejected_files": [*prepared.rejected, *rejected]})
        (staging / SUMMARY_FILE).write_text(summary.model_dump_json(indent=2))
        _swap_in(staging, out_dir, run_id)
        say(f"wrote {summary.rows_written} rows in {len(summary.partitions)} partition(s) to {out_dir}")
        return summary
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)

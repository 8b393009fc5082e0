"""The DuckDB engine's memory is bounded: a tiny memory limit gives the same features, month by month."""

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from etl_job.run import run_etl

from airline.sample_data import generate_sample_data


def _months(root: Path) -> dict[str, bytes]:
    """Each month's rows, as the Parquet table's canonical bytes (same rows and values <=> same bytes)."""
    tables = {
        f.parent.parent.name + "/" + f.parent.name: pq.read_table(f) for f in root.glob("year=*/month=*/*.parquet")
    }
    return {month: table.to_pandas().to_csv(index=False).encode() for month, table in sorted(tables.items())}


def test_a_tiny_memory_limit_gives_the_same_features(tmp_path: Path) -> None:
    # Given 150,000 shuffled flights over 14 months (rotations and 90-day windows cross every month boundary)
    sample = generate_sample_data(tmp_path / "raw", 150_000, "asa", seed=3, start_date=date(2006, 11, 1), months=14)
    inputs = [*sample.data_files, sample.carriers_file]

    # When the engine runs with its default limit and with a limit far below the data's size
    roomy = run_etl(inputs, tmp_path / "roomy")
    tight = run_etl(inputs, tmp_path / "tight", memory_limit="64MB")

    # Then both runs complete with the same counts and the same rows in every month
    assert tight.rows_written == roomy.rows_written > 140_000
    assert tight.dropped == roomy.dropped
    assert len(tight.partitions) == 14
    assert _months(tmp_path / "tight") == _months(tmp_path / "roomy")

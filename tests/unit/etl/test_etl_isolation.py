"""One unreadable raw file is left out of a run (with the reason and row), never the whole run."""

import gzip
from pathlib import Path

import pytest
from etl_job.models import EtlError
from etl_job.run import run_etl
from etl_job.schema import read_features
from etl_rows import asa_row, write_asa_csv

GOOD_ROWS = [asa_row(FlightNum=n, TailNum=f"N{n}") for n in range(1, 1501)]


def _good_file(tmp_path: Path) -> Path:
    return write_asa_csv(tmp_path / "good" / "flights.csv", GOOD_ROWS)


def test_misaligned_row_after_the_ingest_sample_leaves_only_that_file_out(tmp_path: Path) -> None:
    # Given a file whose row 1,201 has an extra field (ingest only samples the first 1,000 rows)
    bad = write_asa_csv(tmp_path / "bad" / "flights.csv", GOOD_ROWS)
    lines = bad.read_text().splitlines()
    lines[1201] += ",EXTRA"
    bad.write_text("\n".join(lines) + "\n")

    # When a run reads it together with a good file
    summary = run_etl([_good_file(tmp_path), bad], tmp_path / "out")

    # Then the good file's flights are published and the bad file is named with its line
    assert summary.rows_written == len(GOOD_ROWS)
    assert [r.file for r in summary.rejected_files] == [str(bad)]
    assert summary.rejected_files[0].row == 1202
    assert read_features(tmp_path / "out").num_rows == len(GOOD_ROWS)


def test_truncated_gzip_is_left_out_with_a_reason(tmp_path: Path) -> None:
    # Given a gzip file cut off before its end
    plain = write_asa_csv(tmp_path / "src" / "flights.csv", GOOD_ROWS * 20)
    data = gzip.compress(plain.read_bytes())
    truncated = tmp_path / "cut" / "flights.csv.gz"
    truncated.parent.mkdir()
    truncated.write_bytes(data[: len(data) // 2])

    # When a run reads it together with a good file
    summary = run_etl([_good_file(tmp_path), truncated], tmp_path / "out")

    # Then the run goes on without it
    assert summary.rows_written == len(GOOD_ROWS)
    assert [r.file for r in summary.rejected_files] == [str(truncated)]
    assert summary.rejected_files[0].reason


def test_junk_tail_is_left_out_and_its_rows_are_not_counted(tmp_path: Path) -> None:
    # Given a file that ends in binary junk after its good rows
    junk = write_asa_csv(tmp_path / "junk" / "flights.csv", GOOD_ROWS)
    with junk.open("ab") as handle:
        handle.write(b"\x00\xff" * 5000 + b"\n" + b"a,b\n")

    # When a run reads it together with a good file
    summary = run_etl([_good_file(tmp_path), junk], tmp_path / "out")

    # Then only the good file counts
    assert summary.rows_read == len(GOOD_ROWS)
    assert [r.file for r in summary.rejected_files] == [str(junk)]


def test_a_run_whose_every_file_is_unreadable_fails_and_keeps_the_previous_output(tmp_path: Path) -> None:
    # Given a published output and a run over one unreadable file
    out = tmp_path / "out"
    run_etl([_good_file(tmp_path)], out)
    bad = tmp_path / "bad.csv"
    bad.write_text(_good_file(tmp_path).read_text() + "1,2,3\n")

    # When the run fails
    with pytest.raises(EtlError, match="no input file could be read"):
        run_etl([bad], out)

    # Then the earlier features are still there
    assert read_features(out).num_rows == len(GOOD_ROWS)

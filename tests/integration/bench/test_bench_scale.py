"""The scale benchmark runs ETL, training and the report on one generated size, each stage measured alone."""

import json

from airline.bench.scale import run_scale_benchmark


def test_a_small_run_measures_every_stage_and_records_it_by_size(tmp_path):
    # Given a tiny size (6 months: enough for the temporal split)
    # When the benchmark runs it
    run = run_scale_benchmark(6000, 6, tmp_path)

    # Then every stage finished with its own time and peak memory
    stages = {s["stage"]: s for s in run["stages"]}
    assert list(stages) == ["etl", "train", "report"]
    assert all("error" not in s for s in stages.values()), stages
    assert all(s["peak_rss_mb"] > 0 and s["seconds"] > 0 for s in stages.values())
    data = tmp_path / "data" / "scale-6000x6" / "airline.csv.shuffle"
    assert stages["etl"]["rows_read"] == sum(1 for _ in data.open()) - 1  # every line (the generator duplicates some)
    assert 0.9 * 6000 < stages["etl"]["rows_written"] <= 6000
    assert 0.5 < stages["train"]["roc_auc"] <= 1
    assert (tmp_path / "work" / "scale-6000x6" / "efficiency-report.html").stat().st_size > 1000

    # And the results are kept per size in scale.json and scale.md
    assert json.loads((tmp_path / "scale.json").read_text())["runs"] == [run]
    assert "| 6,000 |" in (tmp_path / "scale.md").read_text()

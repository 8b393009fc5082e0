"""On generated operations, the default model clearly beats the simple rules (the generator is not trivial)."""

from datetime import date
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_model_ranks_cascades_clearly_better_than_departure_delay_alone(tmp_path: Path) -> None:
    # Given 200k generated flights over 12 months, through the DuckDB ETL
    from etl_job.run import run_etl
    from training.pipeline import train_bundle

    from airline.sample_data import generate_sample_data

    raw = generate_sample_data(tmp_path / "raw", 200_000, "asa", seed=7, start_date=date(2007, 1, 1), months=12)
    run_etl([*raw.data_files, raw.carriers_file], tmp_path / "features")
    # When the default model is trained (eval = the last 2 months)
    manifest = train_bundle(tmp_path / "features", tmp_path / "model", "hgb", 2)
    # Then it is clearly above depdelay alone and prevflightarrdelay alone, on both ROC-AUC and PR-AUC
    model = manifest.metrics
    rules = {b.feature: b for b in manifest.baselines}
    assert model.roc_auc > rules["depdelay"].roc_auc + 0.015
    assert model.pr_auc > rules["depdelay"].pr_auc + 0.1
    assert model.roc_auc > rules["prevflightarrdelay"].roc_auc + 0.15
    assert model.pr_auc > rules["prevflightarrdelay"].pr_auc + 0.3

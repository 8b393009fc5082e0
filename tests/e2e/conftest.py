"""The whole chain on the embedded AWS: one local cloud per module, small generated data."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from airline.local.pipeline import LocalPipeline, start_local_pipeline


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPipeline]:
    workdir = tmp_path_factory.mktemp("local-cloud")
    # Every candidate is promoted here so the retrain test does not depend on sampling noise.
    with start_local_pipeline(
        workdir, params={"gateTolerance": "1.0"}, env_overrides={"POWERTOOLS_LOG_LEVEL": "ERROR"}
    ) as running:
        yield running


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from datetime import date

    from airline.sample_data import generate_sample_data

    first = generate_sample_data(
        tmp_path_factory.mktemp("first"), 24_000, "asa", seed=11, start_date=date(2007, 1, 1), months=8
    )
    second = generate_sample_data(
        tmp_path_factory.mktemp("second"), 9_000, "asa", seed=12, start_date=date(2007, 9, 1), months=3
    )
    return {"first": first.data_files[0], "carriers": first.carriers_file, "second": second.data_files[0]}


@pytest.fixture(autouse=True)
def _aws_test_environment() -> None:
    """Overrides the root fixture: e2e tests keep the local cloud's AWS_ENDPOINT_URL and credentials."""

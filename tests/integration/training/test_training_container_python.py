"""train.py runs unchanged on the SageMaker scikit-learn container's stack (Python 3.10, scikit-learn 1.4.2,
numpy 1.26), from the shipped source archive, and its bundle is served by today's numpy evaluator."""

import hashlib
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest
from airline_shared.bundle import MANIFEST_FILE, MODEL_FILE, BundleManifest
from airline_shared.scoring import load_ensemble, verify_bundle_files

REPO = Path(__file__).resolve().parents[3]
TRAINING = REPO / "services" / "trainer" / "training"
VENV = REPO / ".venv-sagemaker-py310"
pytestmark = pytest.mark.slow


def _python310() -> str | None:
    """A working Python 3.10 interpreter (pyenv's own first: its shims need a selected version)."""
    candidates = [str(p) for p in sorted(Path("/root/.pyenv/versions").glob("3.10*/bin/python"))]
    candidates += [c for c in (shutil.which("python3.10"),) if c]
    for candidate in candidates:
        if subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="module")
def container_python() -> Path:
    """A Python 3.10 venv with the container's libraries plus training/requirements.txt (cached by content)."""
    base = _python310()
    if base is None:
        pytest.skip("no python3.10 on this machine: the SageMaker container stack cannot be reproduced here")
    requirements = [TRAINING / "container-constraints.txt", TRAINING / "requirements.txt"]
    stamp = hashlib.sha256(b"".join(p.read_bytes() for p in requirements)).hexdigest()
    python = VENV / "bin" / "python"
    if not (VENV / stamp).exists():
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([base, "-m", "venv", str(VENV)], check=True)
        args = [str(python), "-m", "pip", "install", "-q", "--only-binary=:all:"]
        subprocess.run([*args, "-r", str(requirements[0]), "-r", str(requirements[1])], check=True)
        (VENV / stamp).touch()
    return python


def test_train_py_from_the_source_archive_runs_on_the_container_stack(container_python: Path, tmp_path: Path) -> None:
    # Given the source archive SageMaker receives and a small features table
    from datetime import date

    from etl_job.run import run_etl

    from airline.sample_data import generate_sample_data

    sys.path.insert(0, str(REPO / "services" / "trainer" / "scripts"))
    import build_source_archive

    archive = tmp_path / "sourcedir.tar.gz"
    archive.write_bytes(build_source_archive.build_archive(build_source_archive.collect_sources()))
    code = tmp_path / "code"
    with tarfile.open(archive) as tar:
        tar.extractall(code, filter="data")
    raw = generate_sample_data(tmp_path / "raw", 20_000, "asa", seed=5, start_date=date(2007, 1, 1), months=6)
    run_etl(list(raw.data_files), tmp_path / "features")
    model_dir = tmp_path / "model"

    # When train.py runs with the SageMaker contract on Python 3.10 / scikit-learn 1.4.2
    env = {
        "SM_CHANNEL_TRAIN": str(tmp_path / "features"),
        "SM_MODEL_DIR": str(model_dir),
        "SM_FAILURE_FILE": str(tmp_path / "failure"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [str(container_python), "train.py", "--model", "hgb", "--eval-months", "1"],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )

    # Then it succeeds, records the container's versions, and today's evaluator serves the bundle
    assert done.returncode == 0, (tmp_path / "failure").read_text() if (tmp_path / "failure").exists() else done.stderr
    manifest = BundleManifest.model_validate_json((model_dir / MANIFEST_FILE).read_text())
    assert manifest.library_versions["python"].startswith("3.10")
    assert manifest.library_versions["scikit-learn"] == "1.4.2"
    files = {p.name: p.read_bytes() for p in model_dir.iterdir() if p.name != MANIFEST_FILE}
    verify_bundle_files(manifest, files)
    ensemble = load_ensemble(files[MODEL_FILE])
    probabilities = ensemble.predict_proba(np.full((3, len(manifest.feature_names)), np.nan))
    assert np.all((probabilities >= 0) & (probabilities <= 1))

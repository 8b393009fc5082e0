"""services/trainer/scripts/build_source_archive.py: deterministic SageMaker sourcedir.tar.gz."""

import importlib.util
import io
import tarfile
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "services" / "trainer" / "scripts" / "build_source_archive.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trainer_build_source_archive", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_sources(root: Path) -> tuple[Path, Path]:
    training, shared = root / "training", root / "airline_shared"
    for package in (training, shared, training / "__pycache__"):
        package.mkdir(parents=True)
    (training / "__init__.py").write_text("")
    (training / "train.py").write_text("print('train')\n")
    (training / "__pycache__" / "train.cpython-311.pyc").write_bytes(b"\x00")
    (shared / "__init__.py").write_text("")
    (shared / "bundle.py").write_text("X = 1\n")
    return training, shared


def test_same_sources_give_byte_identical_archives(script: ModuleType, tmp_path: Path) -> None:
    training, shared = _fake_sources(tmp_path)
    first = script.build_archive(script.collect_sources(training, shared))
    (training / "train.py").touch()  # a newer mtime must not change the archive
    second = script.build_archive(script.collect_sources(training, shared))
    assert first == second


def test_archive_has_entry_point_packages_and_requirements_at_the_root(script: ModuleType, tmp_path: Path) -> None:
    training, shared = _fake_sources(tmp_path)
    archive = script.build_archive(script.collect_sources(training, shared))
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        names = tar.getnames()
        requirements = tar.extractfile("requirements.txt").read().decode()  # type: ignore[union-attr]
    assert names == sorted(names)
    assert {"train.py", "training/train.py", "training/__init__.py", "airline_shared/bundle.py"} <= set(names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert "pydantic" in requirements


def test_missing_training_package_is_a_clear_error(script: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(script.SourceArchiveError, match="cannot build"):
        script.collect_sources(tmp_path / "nope", tmp_path / "nope2")


def test_the_repository_sources_build(script: ModuleType) -> None:
    files = script.collect_sources()
    assert "train.py" in files and "airline_shared/scoring.py" in files

"""Bytecode added to a Lambda package is unchecked-hash .pyc for the running Python, used without the source."""

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from predictor_packaging.precompile import (
    InterpreterMismatchError,
    check_interpreter,
    main,
    precompile_directory,
    precompile_zip,
)

UNCHECKED_HASH_FLAGS = (1).to_bytes(4, "little")  # PEP 552: hash-based, check_source = 0


def _package(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "answer.py").write_text("VALUE = 'compiled'\n")
    return root


def test_every_module_gets_an_unchecked_hash_pyc_for_this_python(tmp_path: Path) -> None:
    # Given a package tree without bytecode
    root = _package(tmp_path / "task")
    # When it is precompiled
    report = precompile_directory(root)
    # Then each .py has a .pyc in __pycache__ with this interpreter's magic number and unchecked-hash flags
    assert report.compiled == 2 and report.failed == []
    pyc = Path(importlib.util.cache_from_source(str(root / "pkg" / "answer.py"))).read_bytes()
    assert pyc[:4] == importlib.util.MAGIC_NUMBER
    assert pyc[4:8] == UNCHECKED_HASH_FLAGS
    assert report.added_bytes > 0


def test_the_bytecode_is_used_without_checking_the_source(tmp_path: Path) -> None:
    # Given a precompiled package whose source changes afterwards (as mtimes do through zip packaging)
    root = _package(tmp_path / "task")
    precompile_directory(root)
    (root / "pkg" / "answer.py").write_text("VALUE = 'source'\n")
    # When a fresh interpreter imports it without writing bytecode (/var/task is read-only on Lambda)
    done = subprocess.run(
        [sys.executable, "-I", "-B", "-c", "import sys; sys.path.insert(0, sys.argv[1]); import pkg.answer as a; print(a.VALUE)", str(root)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    # Then the precompiled module is what runs
    assert done.stdout.strip() == "compiled"


def test_a_module_that_does_not_compile_is_reported_and_the_rest_compiled(tmp_path: Path) -> None:
    root = _package(tmp_path / "task")
    (root / "pkg" / "broken.py").write_text("def (:\n")
    report = precompile_directory(root)
    assert report.failed == ["pkg/broken.py"]
    assert report.compiled == 2


def test_a_zip_gets_pyc_entries_next_to_its_sources_and_keeps_its_other_entries(tmp_path: Path) -> None:
    # Given a deployment zip with sources and a data file
    archive = tmp_path / "function.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("pkg/__init__.py", "")
        zipped.writestr("pkg/answer.py", "VALUE = 'compiled'\n")
        zipped.writestr("openapi.json", "{}")
    # When it is precompiled twice
    first = precompile_zip(archive)
    precompile_zip(archive)
    # Then each source has one bytecode entry, and nothing else changed
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert zipped.read("openapi.json") == b"{}"
    tag = sys.implementation.cache_tag
    assert first.compiled == 2
    assert sorted(n for n in names if n.endswith(".pyc")) == [
        f"pkg/__pycache__/__init__.{tag}.pyc",
        f"pkg/__pycache__/answer.{tag}.pyc",
    ]
    assert len(names) == len(set(names)) == 5


def test_another_runtime_version_is_refused() -> None:
    with pytest.raises(InterpreterMismatchError, match=r"python3\.99"):
        check_interpreter("python3.99")
    check_interpreter(f"python{sys.version_info.major}.{sys.version_info.minor}")


def test_the_command_exits_2_for_the_wrong_interpreter_and_leaves_the_package_alone(tmp_path: Path) -> None:
    root = _package(tmp_path / "task")
    assert main(["--runtime", "python3.99", str(root)]) == 2
    assert not list(root.rglob("*.pyc"))

"""Packaging finds a working Python of the Lambda runtime's version to compile the predictor's bytecode."""

import stat
from pathlib import Path

from airline.deploy import find_lambda_python, osls_environment


def _fake_python(path: Path, prints: str, exit_code: int = 0) -> Path:
    """An executable that answers the version probe like a Python interpreter would."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {prints}\nexit {exit_code}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_a_broken_shim_on_path_is_skipped_for_a_working_pyenv_interpreter(tmp_path):
    # Given a python3.12 shim on PATH that fails, and a pyenv-installed 3.12 that works
    _fake_python(tmp_path / "shims" / "python3.12", "no such version", exit_code=127)
    real = _fake_python(tmp_path / "pyenv" / "versions" / "3.12.9" / "bin" / "python3.12", "3.12")
    env = {"PATH": str(tmp_path / "shims"), "PYENV_ROOT": str(tmp_path / "pyenv")}
    # When the interpreter is looked for, Then the working one is chosen
    assert find_lambda_python(env) == str(real)


def test_an_interpreter_of_another_version_is_not_used(tmp_path):
    # Given only a python3.12 name that is really another version
    _fake_python(tmp_path / "bin" / "python3.12", "3.11")
    env = {"PATH": str(tmp_path / "bin"), "PYENV_ROOT": str(tmp_path / "none")}
    # Then none is found (packaging goes on without bytecode, with a warning)
    assert find_lambda_python(env) is None


def test_an_explicit_lambda_python_bin_is_kept(tmp_path):
    # Given the user chose the interpreter
    env = {"PATH": "/usr/bin", "LAMBDA_PYTHON_BIN": "/opt/python3.12", "PYENV_ROOT": str(tmp_path)}
    # Then the osls environment keeps that choice
    assert osls_environment(env, root=tmp_path)["LAMBDA_PYTHON_BIN"] == "/opt/python3.12"

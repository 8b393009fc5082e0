"""Add unchecked-hash bytecode (PEP 552) to a Lambda package, compiled by the runtime's Python version.

Why: serverless-python-requirements' `slim` strips every .pyc, the service's own package patterns drop
__pycache__, and /var/task is read-only, so without this step every cold start compiles each imported
module from source (measured: ~850 ms instead of ~300 ms for the predict function). Unchecked-hash .pyc
files are loaded without comparing source mtimes, which zip packaging does not preserve.

Bytecode is specific to the Python minor version: run this with the runtime's interpreter, e.g.
    python3.12 predictor_packaging/precompile.py --runtime python3.12 .serverless/airline-predictor.zip
It also accepts a directory (the benchmark's Lambda-like package). Exit status 2: wrong interpreter.
Standard library only (it runs under whatever python3.12 the packaging machine has).
"""

import argparse
import importlib.util
import json
import py_compile
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

#: Where Lambda unpacks the code: the file names recorded in the bytecode (tracebacks).
LAMBDA_TASK_ROOT = "/var/task"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # deterministic archives


class InterpreterMismatchError(Exception):
    """This interpreter cannot produce bytecode for the requested runtime (bytecode is version-specific)."""


@dataclass
class CompileReport:
    """How many modules were compiled, which failed (unimportable anyway), and the bytes added."""

    compiled: int = 0
    failed: list[str] = field(default_factory=list)
    added_bytes: int = 0


def check_interpreter(runtime: str) -> None:
    """Raise InterpreterMismatchError unless this interpreter is the runtime's version ('python3.12')."""
    wanted = runtime.removeprefix("python")
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if wanted != running:
        raise InterpreterMismatchError(
            f"runtime {runtime} needs Python {wanted} bytecode but this is Python {running} ({sys.executable}); "
            f"run this script with python{wanted}"
        )


def _compile(source: Path, relative: PurePosixPath, report: CompileReport) -> Path | None:
    cached = Path(importlib.util.cache_from_source(str(source)))
    try:
        py_compile.compile(
            str(source),
            cfile=str(cached),
            dfile=f"{LAMBDA_TASK_ROOT}/{relative}",
            doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
    except py_compile.PyCompileError:
        report.failed.append(str(relative))
        return None
    report.compiled += 1
    report.added_bytes += cached.stat().st_size
    return cached


def precompile_directory(root: Path) -> CompileReport:
    """Write __pycache__/<module>.<tag>.pyc (unchecked hash) next to every .py under `root`."""
    report = CompileReport()
    for source in sorted(root.rglob("*.py")):
        _compile(source, PurePosixPath(source.relative_to(root).as_posix()), report)
    return report


def precompile_zip(archive: Path) -> CompileReport:
    """Append an unchecked-hash .pyc for every .py in the zip (entries already present are kept as they are)."""
    report = CompileReport()
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        sources = [n for n in zipped.namelist() if n.endswith(".py") and not n.startswith("/") and ".." not in n]
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for name in sources:
                zipped.extract(name, root)
            compiled = []
            for name in sources:
                cached = _compile(root / name, PurePosixPath(name), report)
                if cached is not None:
                    entry = cached.relative_to(root).as_posix()
                    if entry not in names:
                        compiled.append((entry, cached.read_bytes()))
    with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_DEFLATED) as zipped:
        for entry, data in compiled:
            info = zipfile.ZipInfo(entry, date_time=_FIXED_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, data)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="a Lambda package: .zip, or a directory")
    parser.add_argument("--runtime", help="Lambda runtime the bytecode is for, e.g. python3.12 (checked)")
    args = parser.parse_args(argv)
    try:
        if args.runtime:
            check_interpreter(args.runtime)
    except InterpreterMismatchError as exc:
        print(f"precompile: {exc}", file=sys.stderr)
        return 2
    report = precompile_zip(args.path) if args.path.suffix == ".zip" else precompile_directory(args.path)
    print(json.dumps({"python": sys.version.split()[0], **report.__dict__, "failed": report.failed[:20]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

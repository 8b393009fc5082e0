#!/usr/bin/env python3
"""Build the Glue job's artifacts: the job script and every wheel the job installs, none from an index at run time.

The Glue job (services/etl-trigger/serverless.yml, GlueJob) reads, from the processed bucket:
    glue/glue_main.py                                     the script (copy of etl_job/glue_main.py)
    glue/wheels/<sha256[:16]>/<wheel file name>           every wheel, each under its content hash:
        airline_shared-<version>-py3-none-any.whl           built here from shared/ (pure Python)
        etl_job-<version>-py3-none-any.whl                  built here from etl_job/ (pure Python)
        the pinned third-party wheels of requirements-glue.txt (sqlglot, pydantic, pydantic-core, ...)
All wheels are listed in --additional-python-modules and installed with --python-modules-installer-option
--no-index: pip resolves the dependencies among them and never asks PyPI. The content-hashed keys change
whenever a wheel does (a new pin, an edit to shared/ or etl_job/), so a deploy uploads new objects and
never overwrites what a run in flight installs.

CloudFormation cannot upload files, so the local osls plugin `scripts/etl-deploy-plugin.js` resolves
`${glueArtifacts:additionalPythonModules}` with `--print-keys`, runs this script while packaging (artifacts next
to the package) and uploads the result after `serverless deploy` (the bucket exists only once the stack does).
By hand:

    python services/etl-trigger/scripts/build_glue_artifacts.py --out build/glue \
        [--upload s3://airline-dev-processed-<account>-<region>/glue/]

Our own wheels are built without pip or setuptools and are deterministic (sorted members, fixed timestamps).
The third-party wheels come from a local wheelhouse (build/glue-wheelhouse/); only a wheel missing there is
downloaded, by `pip download` from the package index, checked against the hashes of requirements-glue.txt.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

ETL_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = ETL_DIR.parents[1]
SHARED_ROOT = REPO_ROOT / "shared"
ETL_JOB_PACKAGE = ETL_DIR / "etl_job"
ETL_JOB_VERSION = "0.1.0"
GLUE_REQUIREMENTS = ETL_DIR / "requirements-glue.txt"
DEFAULT_WHEELHOUSE = REPO_ROOT / "build" / "glue-wheelhouse"
# Glue 5.0 runs CPython 3.11 on x86_64 Linux: the wheels pip may pick for it.
GLUE_PIP_TARGET = (
    "--platform",
    "manylinux2014_x86_64",
    "--python-version",
    "3.11",
    "--implementation",
    "cp",
    "--only-binary=:all:",
)
_SKIP_PARTS = {"__pycache__", "tests", ".pytest_cache", ".mypy_cache"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)((?:\s+--hash=sha256:[0-9a-f]{64})+)\s*$")


class GlueArtifactError(Exception):
    """A source package or pinned wheel is missing, a pin is malformed, or an --upload destination is not s3://."""


@dataclass(frozen=True)
class Pin:
    """One pinned third-party distribution of the Glue job: normalised name, exact version, allowed sha256s."""

    name: str
    version: str
    hashes: frozenset[str]


def normalise_name(name: str) -> str:
    """A distribution name as wheel file names spell it (PEP 503 normalised, `_` for separators)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def read_pins(requirements: Path = GLUE_REQUIREMENTS) -> list[Pin]:
    """The `name==version --hash=sha256:...` lines of a requirements file; raises on any other requirement."""
    text = re.sub(r"\\\n", " ", requirements.read_text())
    pins = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = _PIN.match(line)
        if match is None:
            raise GlueArtifactError(f"{requirements}: {line!r} is not `name==version --hash=sha256:...`")
        name, version, hashes = match.groups()
        pins.append(Pin(normalise_name(name), version, frozenset(re.findall(r"[0-9a-f]{64}", hashes))))
    return pins


def _pinned_wheel(pin: Pin, wheelhouse: Path) -> Path | None:
    for path in sorted(wheelhouse.rglob(f"*-{pin.version}-*.whl")):
        name = path.name.split("-", 1)[0].lower()
        if name == pin.name and hashlib.sha256(path.read_bytes()).hexdigest() in pin.hashes:
            return path
    return None


def fetch_dependency_wheels(
    requirements: Path = GLUE_REQUIREMENTS, wheelhouse: Path = DEFAULT_WHEELHOUSE
) -> list[Path]:
    """The pinned third-party wheels for Glue 5.0: from the wheelhouse, else downloaded into it (pip, package index).

    Raises GlueArtifactError when pip fails (no network, an unpinned or unhashed dependency, a hash mismatch)."""
    pins = read_pins(requirements)
    wheelhouse.mkdir(parents=True, exist_ok=True)
    found = [_pinned_wheel(pin, wheelhouse) for pin in pins]
    if None in found:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
        command += ["--require-hashes", *GLUE_PIP_TARGET, "--dest", str(wheelhouse), "-r", str(requirements)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise GlueArtifactError(f"pip download of {requirements.name} failed:\n{done.stderr[-3000:]}")
        found = [_pinned_wheel(pin, wheelhouse) for pin in pins]
    missing = [f"{pin.name}=={pin.version}" for pin, path in zip(pins, found, strict=True) if path is None]
    if missing:
        raise GlueArtifactError(f"no wheel matching the pinned hashes for {', '.join(missing)} in {wheelhouse}")
    return [path for path in found if path is not None]


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def package_files(package: Path) -> dict[str, bytes]:
    """Wheel member name -> bytes for a package directory (no caches, no tests); raises when it is no package."""
    if not (package / "__init__.py").is_file():
        raise GlueArtifactError(f"{package} is not a Python package (no __init__.py)")
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if not path.is_file() or _SKIP_PARTS & set(relative.parts) or path.suffix in _SKIP_SUFFIXES:
            continue
        files[f"{package.name}/{relative.as_posix()}"] = path.read_bytes()
    return files


def build_wheel(distribution: str, version: str, files: dict[str, bytes]) -> tuple[str, bytes]:
    """A deterministic pure-Python wheel (py3-none-any) holding `files`; returns (file name, bytes)."""
    dist_info = f"{distribution}-{version}.dist-info"
    members = dict(files)
    members[f"{dist_info}/METADATA"] = f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n".encode()
    members[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: airline build_glue_artifacts\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    record_name = f"{dist_info}/RECORD"
    record_lines = [f"{name},{_record_hash(data)},{len(data)}" for name, data in sorted(members.items())]
    members[record_name] = ("\n".join([*record_lines, f"{record_name},,"]) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, members[name])
    return f"{distribution}-{version}-py3-none-any.whl", buffer.getvalue()


def shared_version(shared_root: Path = SHARED_ROOT) -> str:
    """The airline-shared version declared in shared/pyproject.toml."""
    project = tomllib.loads((shared_root / "pyproject.toml").read_text())["project"]
    return str(project["version"])


def wheel_key(name: str, data: bytes) -> str:
    """The content-hashed key of a wheel under the Glue prefix: wheels/<sha256[:16]>/<file name>."""
    return f"wheels/{hashlib.sha256(data).hexdigest()[:16]}/{name}"


def collect_wheels(requirements: Path = GLUE_REQUIREMENTS, wheelhouse: Path = DEFAULT_WHEELHOUSE) -> dict[str, bytes]:
    """Every wheel the job installs, by content-hashed key: ours (built) and the pinned third-party ones."""
    ours = [
        build_wheel("airline_shared", shared_version(), package_files(SHARED_ROOT / "airline_shared")),
        build_wheel("etl_job", ETL_JOB_VERSION, package_files(ETL_JOB_PACKAGE)),
    ]
    theirs = [(path.name, path.read_bytes()) for path in fetch_dependency_wheels(requirements, wheelhouse)]
    return {wheel_key(name, data): data for name, data in [*ours, *theirs]}


def build_artifacts(
    out: Path, requirements: Path = GLUE_REQUIREMENTS, wheelhouse: Path = DEFAULT_WHEELHOUSE
) -> dict[str, Path]:
    """Write glue_main.py, the wheels (out/wheels/<hash>/) and manifest.json; returns S3-relative key -> path."""
    script = ETL_JOB_PACKAGE / "glue_main.py"
    if not script.is_file():
        raise GlueArtifactError(f"missing {script}: the Glue job script")
    wheels = collect_wheels(requirements, wheelhouse)
    shutil.rmtree(out / "wheels", ignore_errors=True)  # a changed pin must not leave its old wheel to upload
    out.mkdir(parents=True, exist_ok=True)
    built: dict[str, Path] = {"glue_main.py": out / "glue_main.py"}
    built["glue_main.py"].write_bytes(script.read_bytes())
    for key, data in wheels.items():
        (out / key).parent.mkdir(parents=True, exist_ok=True)
        (out / key).write_bytes(data)
        built[key] = out / key
    manifest = {key: hashlib.sha256(path.read_bytes()).hexdigest() for key, path in sorted(built.items())}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return built


def upload_artifacts(built: dict[str, Path], prefix_uri: str) -> list[str]:
    """Upload every artifact under s3://bucket/prefix/ (boto3, so AWS_ENDPOINT_URL is honoured); returns URIs."""
    import boto3

    if not prefix_uri.startswith("s3://") or len(prefix_uri) <= 5:
        raise GlueArtifactError(f"--upload needs s3://bucket/prefix/, got {prefix_uri!r}")
    bucket, _, prefix = prefix_uri[5:].partition("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    client = boto3.client("s3")
    uris = []
    for key, path in sorted(built.items()):
        client.put_object(Bucket=bucket, Key=prefix + key, Body=path.read_bytes())
        uris.append(f"s3://{bucket}/{prefix}{key}")
    return uris


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ETL_DIR / ".serverless" / "glue")
    parser.add_argument("--upload", metavar="S3_PREFIX", help="also upload under this s3://bucket/prefix/")
    parser.add_argument("--wheelhouse", type=Path, default=DEFAULT_WHEELHOUSE, help="third-party wheel cache")
    parser.add_argument(
        "--print-keys", action="store_true", help="only print the wheels' keys (one a line), write nothing else"
    )
    args = parser.parse_args(argv)
    try:
        if args.print_keys:
            print("\n".join(collect_wheels(wheelhouse=args.wheelhouse)))
            return 0
        built = build_artifacts(args.out, wheelhouse=args.wheelhouse)
        uploaded = upload_artifacts(built, args.upload) if args.upload else []
    except GlueArtifactError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for key, path in sorted(built.items()):
        print(f"built {key} ({path.stat().st_size} bytes)")
    for uri in uploaded:
        print(f"uploaded {uri}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Build the Glue job's artifacts: the job script and pure-Python wheels of `airline_shared` and `etl_job`.

The Glue job (services/etl-trigger/serverless.yml, GlueJob) reads, from the processed bucket:
    glue/glue_main.py                                the script (copy of etl_job/glue_main.py)
    glue/wheels/airline_shared-<version>-py3-none-any.whl
    glue/wheels/etl_job-<version>-py3-none-any.whl   (both in --additional-python-modules / --extra-py-files)

CloudFormation cannot upload files, so the local osls plugin `scripts/etl-deploy-plugin.js` runs this script
while packaging (artifacts next to the package, offline) and uploads the result after `serverless deploy`
(the bucket exists only once the stack does). By hand:

    python services/etl-trigger/scripts/build_glue_artifacts.py --out build/glue \
        [--upload s3://airline-dev-processed-<account>/glue/]

The wheels are built without pip or setuptools (no network, no build isolation) and are deterministic:
sorted members, fixed timestamps, so the same sources give byte-identical files. Third-party
dependencies (pydantic, sqlglot) come from the job's `glueExtraPipModules` parameter, not from the wheels.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
import tomllib
import zipfile
from pathlib import Path

ETL_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = ETL_DIR.parents[1]
SHARED_ROOT = REPO_ROOT / "shared"
ETL_JOB_PACKAGE = ETL_DIR / "etl_job"
ETL_JOB_VERSION = "0.1.0"
_SKIP_PARTS = {"__pycache__", "tests", ".pytest_cache", ".mypy_cache"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class GlueArtifactError(Exception):
    """A source package is missing, or an --upload destination is not an s3:// prefix."""


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
    import io

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


def build_artifacts(out: Path) -> dict[str, Path]:
    """Write glue_main.py and the two wheels under `out` (wheels in out/wheels); returns S3-relative key -> path."""
    script = ETL_JOB_PACKAGE / "glue_main.py"
    if not script.is_file():
        raise GlueArtifactError(f"missing {script}: the Glue job script")
    built: dict[str, Path] = {}
    (out / "wheels").mkdir(parents=True, exist_ok=True)
    (out / "glue_main.py").write_bytes(script.read_bytes())
    built["glue_main.py"] = out / "glue_main.py"
    wheels = [
        build_wheel("airline_shared", shared_version(), package_files(SHARED_ROOT / "airline_shared")),
        build_wheel("etl_job", ETL_JOB_VERSION, package_files(ETL_JOB_PACKAGE)),
    ]
    for name, data in wheels:
        (out / "wheels" / name).write_bytes(data)
        built[f"wheels/{name}"] = out / "wheels" / name
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
    args = parser.parse_args(argv)
    try:
        built = build_artifacts(args.out)
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

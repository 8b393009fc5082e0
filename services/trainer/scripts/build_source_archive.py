#!/usr/bin/env python3
"""Build the SageMaker source archive `sourcedir.tar.gz` (what `sagemaker_submit_directory` points at).

Layout (the SageMaker scikit-learn container extracts it and runs `python train.py --name value ...`):
    train.py            copy of services/trainer/training/train.py (it finds `training/` next to itself)
    training/           the training package (no tests, no caches)
    airline_shared/     the shared contracts (bundle manifest, features, scoring)
    requirements.txt    installed by the container at start (training/requirements.txt, else DEFAULT_REQUIREMENTS)

Deterministic: sorted members, mtime 0, uid/gid 0, mode 0644, gzip header without name or time, so the same
sources give byte-identical archives (and the same SHA-256).

Content-hashed key: the archive lives at `code/sourcedir-<sha256[:16]>.tar.gz` in the models bucket, so a change
to training/ or shared/ gives a new key (and a new upload), and a job always runs the code its function names.
Used by the trainer's deploy plugin (scripts/trainer-deploy-plugin.js: `${trainingSource:key}` in serverless.yml,
build while packaging, upload after deploy), the local cloud, and by hand:

    python services/trainer/scripts/build_source_archive.py --print-key          # code/sourcedir-<hash>.tar.gz
    python services/trainer/scripts/build_source_archive.py --output DIR/sourcedir-<hash>.tar.gz
    python services/trainer/scripts/build_source_archive.py --upload-to-bucket airline-dev-models-<account>-<region>

Uploads use boto3 (so AWS_ENDPOINT_URL reaches a local moto server too).
"""

import argparse
import gzip
import hashlib
import io
import sys
import tarfile
from pathlib import Path

TRAINER_DIR = Path(__file__).resolve().parents[1]
#: Where archives live in the models bucket (the SageMaker role may read only this prefix).
KEY_PREFIX = "code/"
REPO_ROOT = TRAINER_DIR.parents[1]
SHARED_PACKAGE = REPO_ROOT / "shared" / "airline_shared"
TRAINING_PACKAGE = TRAINER_DIR / "training"
#: Used only when training/requirements.txt does not exist: what train.py needs beyond the sklearn image.
DEFAULT_REQUIREMENTS = "pydantic==2.14.4\npydantic-settings==2.16.3\n"
_SKIP_PARTS = {"__pycache__", "tests", ".pytest_cache", ".mypy_cache"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}


class SourceArchiveError(Exception):
    """A required source (training package, train.py, shared package) is missing."""


def _package_files(package: Path, arc_root: str) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if not path.is_file() or _SKIP_PARTS & set(relative.parts) or path.suffix in _SKIP_SUFFIXES:
            continue
        files[f"{arc_root}/{relative.as_posix()}"] = path.read_bytes()
    return files


def collect_sources(training: Path = TRAINING_PACKAGE, shared: Path = SHARED_PACKAGE) -> dict[str, bytes]:
    """Archive member name -> bytes; raises SourceArchiveError when a required source is missing."""
    entry = training / "train.py"
    for required in (training / "__init__.py", entry, shared / "__init__.py"):
        if not required.is_file():
            raise SourceArchiveError(f"missing {required}: cannot build the training source archive")
    files = _package_files(training, "training") | _package_files(shared, "airline_shared")
    files["train.py"] = entry.read_bytes()
    requirements = training / "requirements.txt"
    files["requirements.txt"] = requirements.read_bytes() if requirements.is_file() else DEFAULT_REQUIREMENTS.encode()
    files.pop("training/requirements.txt", None)
    return files


def build_archive(files: dict[str, bytes]) -> bytes:
    """Deterministic tar.gz of `files` (same input, same bytes)."""
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(files[name]), 0, 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    gz_buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=gz_buffer, mtime=0, compresslevel=9) as gz:
        gz.write(tar_buffer.getvalue())
    return gz_buffer.getvalue()


def archive_key(archive: bytes) -> str:
    """The content-hashed models-bucket key of `archive`: code/sourcedir-<sha256[:16]>.tar.gz."""
    return f"{KEY_PREFIX}sourcedir-{hashlib.sha256(archive).hexdigest()[:16]}.tar.gz"


def upload(archive: bytes, uri: str) -> None:
    import boto3

    if not uri.startswith("s3://") or "/" not in uri[5:]:
        raise SourceArchiveError(f"--upload needs s3://bucket/key, got {uri!r}")
    bucket, key = uri[5:].split("/", 1)
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=archive, ContentType="application/gzip")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, help="write the archive here (default .build/<hashed name>)")
    parser.add_argument("--print-key", action="store_true", help="only print the content-hashed key, write nothing")
    parser.add_argument("--upload-to-bucket", metavar="BUCKET", help="also upload to s3://BUCKET/<hashed key>")
    parser.add_argument("--upload", metavar="S3_URI", help="also upload to this exact s3://bucket/key")
    args = parser.parse_args(argv)
    try:
        archive = build_archive(collect_sources())
        key = archive_key(archive)
        if args.print_key:
            print(key)
            return 0
        output = args.output or TRAINER_DIR / ".build" / key.removeprefix(KEY_PREFIX)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(archive)
        targets = [f"s3://{args.upload_to_bucket}/{key}"] if args.upload_to_bucket else []
        targets += [args.upload] if args.upload else []
        for uri in targets:
            upload(archive, uri)
    except SourceArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{output} key={key} sha256={hashlib.sha256(archive).hexdigest()} bytes={len(archive)}")
    for uri in targets:
        print(f"uploaded to {uri}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

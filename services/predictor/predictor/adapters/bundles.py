"""Read bundle files from a local folder or an S3 prefix (the only place touching files / S3)."""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from airline_shared.bundle import MANIFEST_FILE
from airline_shared.events import split_s3_uri

from predictor.models.domain import BundleRefusedError, SourceUnavailableError

#: A file a manifest may list: a plain name in the bundle folder (no `..`, no absolute path, no sub-folder).
_PLAIN_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


@cache
def s3_client() -> "S3Client":
    """The S3 client, created on first use (AWS_ENDPOINT_URL redirects it to a local moto server)."""
    import boto3  # lazily: serving a local bundle never pays for the boto3 import

    return boto3.client("s3")


def _listed_files(manifest_raw: bytes, source: str) -> list[str]:
    try:
        files: Any = json.loads(manifest_raw).get("files", {})
    except (ValueError, AttributeError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError included
        raise BundleRefusedError("<unknown>", f"{source}/{MANIFEST_FILE} is not a JSON object: {exc}") from exc
    if not isinstance(files, dict):
        raise BundleRefusedError("<unknown>", f"{source}/{MANIFEST_FILE} 'files' must map plain file names to hashes")
    unsafe = sorted(repr(n) for n in files if not (isinstance(n, str) and _PLAIN_FILE_NAME.fullmatch(n)))
    if unsafe:
        raise BundleRefusedError(
            "<unknown>",
            f"{source}/{MANIFEST_FILE} lists {', '.join(unsafe)}: only plain file names of the bundle folder",
        )
    return sorted(files)


def read_local_bundle(directory: Path) -> dict[str, bytes]:
    """manifest.json plus every file it lists, from a folder.

    Raises BundleRefusedError when one is missing or unreadable, or the manifest lists a path outside the folder.
    """
    try:
        manifest_raw = (directory / MANIFEST_FILE).read_bytes()
        files = {MANIFEST_FILE: manifest_raw}
        for name in _listed_files(manifest_raw, str(directory)):
            files[name] = (directory / name).read_bytes()
    except FileNotFoundError as exc:
        raise BundleRefusedError("<unknown>", f"missing bundle file {exc.filename}") from exc
    except OSError as exc:  # a folder, a device, no permission: not a bundle file either way
        raise BundleRefusedError("<unknown>", f"unreadable bundle file {exc.filename}: {exc.strerror}") from exc
    return files


def read_s3_bundle(bundle_uri: str) -> dict[str, bytes]:
    """manifest.json plus every file it lists, from an S3 prefix.

    Raises BundleRefusedError when a file is missing, SourceUnavailableError when S3 cannot be read.
    """
    from botocore.exceptions import BotoCoreError, ClientError

    bucket, key = split_s3_uri(bundle_uri)
    prefix = key.rstrip("/") + "/" if key else ""
    s3 = s3_client()

    def get(name: str) -> bytes:
        try:
            return s3.get_object(Bucket=bucket, Key=prefix + name)["Body"].read()
        except s3.exceptions.NoSuchKey as exc:
            raise BundleRefusedError("<unknown>", f"missing bundle file s3://{bucket}/{prefix}{name}") from exc
        except (ClientError, BotoCoreError) as exc:
            raise SourceUnavailableError(f"cannot read s3://{bucket}/{prefix}{name}: {exc}") from exc

    manifest_raw = get(MANIFEST_FILE)
    names = _listed_files(manifest_raw, bundle_uri)
    # Concurrent GETs: on S3 each costs a round trip, and a cold start waits for all of them.
    with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
        bodies = list(pool.map(get, names))
    return {MANIFEST_FILE: manifest_raw, **dict(zip(names, bodies, strict=True))}

"""S3 access for training artifacts and bundles."""

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import boto3
from airline_shared.bundle import MANIFEST_FILE
from airline_shared.events import split_s3_uri
from botocore.exceptions import ClientError

from trainer.logic.errors import ArtifactNotFoundError, ArtifactTooLargeError

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_CONTENT_TYPES = {".json": "application/json", ".html": "text/html; charset=utf-8", ".npz": "application/octet-stream"}


class S3ArtifactStore:
    """Reads model.tar.gz with a size cap and writes bundle folders (manifest last, so a reader never sees a
    manifest whose files are missing)."""

    @cached_property
    def _s3(self) -> Any:
        return boto3.client("s3")

    def read_object(self, uri: str, max_bytes: int) -> bytes:
        """Raises ArtifactNotFoundError, ArtifactTooLargeError; other S3 errors propagate (retried)."""
        bucket, key = split_s3_uri(uri)
        try:
            response = self._s3.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _NOT_FOUND:
                raise ArtifactNotFoundError(f"training output {uri} does not exist") from exc
            raise
        body, size = response["Body"], int(response["ContentLength"])
        if size > max_bytes:
            body.close()  # refused before reading the body
            raise ArtifactTooLargeError(f"training output {uri} is {size} bytes, over the {max_bytes} byte cap")
        data: bytes = body.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ArtifactTooLargeError(f"training output {uri} grew over the {max_bytes} byte cap while reading")
        return data

    def write_bundle(self, bundle_uri: str, files: Mapping[str, bytes]) -> None:
        bucket, prefix = split_s3_uri(bundle_uri)
        ordered = sorted(files, key=lambda name: (name == MANIFEST_FILE, name))
        for name in ordered:
            suffix = name[name.rfind(".") :] if "." in name else ""
            self._s3.put_object(
                Bucket=bucket,
                Key=f"{prefix.rstrip('/')}/{name}",
                Body=files[name],
                ContentType=_CONTENT_TYPES.get(suffix, "application/octet-stream"),
            )

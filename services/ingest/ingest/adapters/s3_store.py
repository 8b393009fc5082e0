"""S3 access of the ingest service: locate, ranged reads of one exact version, quarantine copies."""

import json
from typing import Any

import boto3
from botocore.exceptions import ClientError

from ingest.logic.errors import ObjectChanged, ObjectGone, QuarantineFailed
from ingest.logic.ingest import StoredObject
from ingest.logic.ranged_reader import RangedReader
from ingest.models.files import QuarantineNote

NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
PRECONDITION_FAILED = {"412", "PreconditionFailed"}


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class S3ObjectStore:
    """The raw bucket as the ingest logic sees it; the boto3 client is created on first use."""

    def __init__(self, client: Any = None, block_size: int = 1024 * 1024) -> None:
        self._client = client
        self._block_size = block_size

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = boto3.client("s3")
        return self._client

    def locate(self, bucket: str, keys: list[str]) -> StoredObject | None:
        """HEAD each candidate key in turn; None when none exists."""
        for key in keys:
            try:
                head = self.client.head_object(Bucket=bucket, Key=key)
            except ClientError as error:
                if _error_code(error) in NOT_FOUND:
                    continue
                raise
            return StoredObject(bucket=bucket, key=key, etag=head["ETag"].strip('"'), size=head["ContentLength"])
        return None

    def open(self, stored: StoredObject) -> RangedReader:
        """Seekable reader of that exact version (If-Match on the ETag); raises ObjectChanged / ObjectGone."""

        def fetch(start: int, stop: int) -> bytes:
            try:
                response = self.client.get_object(
                    Bucket=stored.bucket, Key=stored.key, Range=f"bytes={start}-{stop - 1}", IfMatch=f'"{stored.etag}"'
                )
            except ClientError as error:
                code = _error_code(error)
                if code in PRECONDITION_FAILED:
                    raise ObjectChanged(f"{stored.uri} changed while being read (ETag {stored.etag})") from error
                if code in NOT_FOUND:
                    raise ObjectGone(f"{stored.uri} was deleted while being read") from error
                raise
            with response["Body"] as body:
                return bytes(body.read())

        return RangedReader(fetch, stored.size, block_size=self._block_size)

    def quarantine(self, stored: StoredObject, quarantine_key: str, note: QuarantineNote) -> None:
        """Copy (multipart when large, only that ETag) and verify the size before writing the reason; never deletes."""
        self.client.copy(
            CopySource={"Bucket": stored.bucket, "Key": stored.key},
            Bucket=stored.bucket,
            Key=quarantine_key,
            ExtraArgs={"CopySourceIfMatch": f'"{stored.etag}"'},
        )
        copied = self.client.head_object(Bucket=stored.bucket, Key=quarantine_key)
        if copied["ContentLength"] != stored.size:
            raise QuarantineFailed(
                f"copy of {stored.uri} to {quarantine_key} has {copied['ContentLength']} bytes, expected {stored.size}"
            )
        self.client.put_object(
            Bucket=stored.bucket,
            Key=f"{quarantine_key}.reason.json",
            Body=json.dumps(note.model_dump(mode="json"), indent=2).encode(),
            ContentType="application/json",
        )

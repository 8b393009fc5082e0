"""The raw bucket as etl-trigger sees it: does an accepted file still exist, quarantine copies and notes."""

import json
from functools import cached_property
from typing import Any

import boto3
from airline_shared.events import split_s3_uri
from botocore.exceptions import ClientError

from etl_trigger.logic.ports import CopyResult
from etl_trigger.models.runs import QuarantineNote

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_PRECONDITION_FAILED = {"412", "PreconditionFailed"}


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class S3RawFiles:
    @cached_property
    def _s3(self) -> Any:
        return boto3.client("s3")

    def exists(self, uri: str) -> bool:
        """HeadObject; False on 404 (needs s3:ListBucket, else S3 answers 403), other errors propagate."""
        bucket, key = split_s3_uri(uri)
        try:
            self._s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if _error_code(exc) in _NOT_FOUND:
                return False
            raise
        return True

    def copy_to_quarantine(self, uri: str, etag: str, quarantine_key: str) -> CopyResult:
        """Managed copy (multipart when large) of exactly that etag; the original is never deleted."""
        bucket, key = split_s3_uri(uri)
        try:
            self._s3.copy(
                CopySource={"Bucket": bucket, "Key": key},
                Bucket=bucket,
                Key=quarantine_key,
                ExtraArgs={"CopySourceIfMatch": f'"{etag}"'},
            )
        except ClientError as exc:
            code = _error_code(exc)
            if code in _NOT_FOUND:
                return "missing"
            if code in _PRECONDITION_FAILED:
                return "changed"
            raise
        return "copied"

    def write_note(self, uri: str, note_key: str, note: QuarantineNote) -> None:
        bucket, _ = split_s3_uri(uri)
        self._s3.put_object(
            Bucket=bucket,
            Key=note_key,
            Body=json.dumps(note.model_dump(mode="json"), indent=2).encode(),
            ContentType="application/json",
        )

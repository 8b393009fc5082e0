"""S3 JSON objects by s3:// URI (inputs lists, run summaries)."""

import json
from functools import cached_property
from typing import Any

import boto3
from airline_shared.events import split_s3_uri
from botocore.exceptions import ClientError

from etl_trigger.logic.errors import ObjectMissingError


class S3ObjectStore:
    @cached_property
    def _s3(self) -> Any:
        return boto3.client("s3")

    def write_json(self, uri: str, data: Any) -> None:
        bucket, key = split_s3_uri(uri)
        body = json.dumps(data, indent=1).encode()
        self._s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")

    def read_json(self, uri: str) -> Any:
        """Raises ObjectMissingError when absent, ValueError when not JSON."""
        bucket, key = split_s3_uri(uri)
        try:
            body = self._s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404", "NotFound"}:
                raise ObjectMissingError(f"{uri} does not exist") from exc
            raise
        return json.loads(body)

"""The manifest table (DynamoDB): one item per raw object, keyed by its S3 URI."""

from typing import Any

import boto3

from ingest.models.files import ManifestRecord


class DynamoManifest:
    """Writes `ManifestRecord`s to the table named by MANIFEST_TABLE (partition key `uri`)."""

    def __init__(self, table_name: str, resource: Any = None) -> None:
        self._table_name = table_name
        self._resource = resource
        self._table: Any = None

    def put(self, record: ManifestRecord) -> None:
        """Overwrite the object's item: the latest version of a key is what the manifest describes."""
        if self._table is None:
            self._table = (self._resource or boto3.resource("dynamodb")).Table(self._table_name)
        self._table.put_item(Item=record.model_dump(mode="json", exclude_none=True))

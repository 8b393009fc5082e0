"""The manifest table (DynamoDB): one item per raw object keyed by its S3 URI, and one content claim per
distinct bytes keyed `content:<size>:<etag>` (attribute `kind` = "content")."""

from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from ingest.models.files import ContentClaim, ManifestRecord


class DynamoManifest:
    """Writes `ManifestRecord`s and `ContentClaim`s to the table named by MANIFEST_TABLE (partition key `uri`)."""

    def __init__(self, table_name: str, resource: Any = None) -> None:
        self._table_name = table_name
        self._resource = resource
        self._table: Any = None

    @property
    def table(self) -> Any:
        if self._table is None:
            self._table = (self._resource or boto3.resource("dynamodb")).Table(self._table_name)
        return self._table

    def put(self, record: ManifestRecord) -> None:
        """Overwrite the object's item: the latest version of a key is what the manifest describes."""
        self.table.put_item(Item=record.model_dump(mode="json", exclude_none=True))

    def claim_content(self, claim: ContentClaim) -> ContentClaim:
        """Store `claim` unless its identity is claimed (conditional put); returns the claim that holds."""
        try:
            self.table.put_item(
                Item=claim.model_dump(mode="json"),
                ConditionExpression="attribute_not_exists(uri)",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            held: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
            return _held_claim(held) or self._read_claim(claim.uri) or claim
        return claim

    def reassign_content(self, claim: ContentClaim, previous_owner_uri: str) -> bool:
        """Take the identity over from an owner that no longer holds the bytes; False if someone else did first."""
        try:
            self.table.put_item(
                Item=claim.model_dump(mode="json"),
                ConditionExpression="owner_uri = :previous",
                ExpressionAttributeValues={":previous": previous_owner_uri},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def _read_claim(self, identity: str) -> ContentClaim | None:
        item = self.table.get_item(Key={"uri": identity}, ConsistentRead=True).get("Item")
        return None if item is None else ContentClaim.model_validate(_plain(item))


def _held_claim(typed_item: dict[str, Any] | None) -> ContentClaim | None:
    """The claim returned by a failed condition (low-level, typed attribute values)."""
    if not typed_item:
        return None
    deserializer = TypeDeserializer()
    return ContentClaim.model_validate(_plain({k: deserializer.deserialize(v) for k, v in typed_item.items()}))


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    """DynamoDB numbers come back as Decimal."""
    return {k: int(v) if k == "size" else v for k, v in item.items()}

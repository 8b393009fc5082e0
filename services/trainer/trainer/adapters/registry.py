"""The model registry in DynamoDB: `pk = "CURRENT"` (the pointer) and `pk = "VERSION#<version>"` (history).

Each item stores its pydantic record as JSON in `record` (no float/Decimal conversion); `version` and `status`
are plain attributes for console readers. Every write is conditional, so two promotions never interleave.
"""

from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from trainer.logic.errors import RegistryConflictError
from trainer.models.registry import CurrentPointer, ModelVersion

CURRENT_KEY = "CURRENT"
VERSION_PREFIX = "VERSION#"


def _version_item(entry: ModelVersion) -> dict[str, Any]:
    return {
        "pk": {"S": VERSION_PREFIX + entry.version},
        "version": {"S": entry.version},
        "status": {"S": entry.status},
        "record": {"S": entry.model_dump_json()},
    }


def _pointer_item(pointer: CurrentPointer) -> dict[str, Any]:
    return {"pk": {"S": CURRENT_KEY}, "version": {"S": pointer.version}, "record": {"S": pointer.model_dump_json()}}


def _pointer_condition(expected_current: str | None) -> dict[str, Any]:
    if expected_current is None:
        return {"ConditionExpression": "attribute_not_exists(pk)"}
    return {
        "ConditionExpression": "#v = :expected",
        "ExpressionAttributeNames": {"#v": "version"},
        "ExpressionAttributeValues": {":expected": {"S": expected_current}},
    }


class DynamoModelRegistry:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    @cached_property
    def _ddb(self) -> Any:
        return boto3.client("dynamodb")

    def _get(self, pk: str) -> str | None:
        item = self._ddb.get_item(TableName=self.table_name, Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item")
        return item["record"]["S"] if item else None

    def get_current(self) -> CurrentPointer | None:
        raw = self._get(CURRENT_KEY)
        return CurrentPointer.model_validate_json(raw) if raw else None

    def get_version(self, version: str) -> ModelVersion | None:
        raw = self._get(VERSION_PREFIX + version)
        return ModelVersion.model_validate_json(raw) if raw else None

    def list_versions(self) -> list[ModelVersion]:
        entries: list[ModelVersion] = []
        paginator = self._ddb.get_paginator("scan")
        pages = paginator.paginate(
            TableName=self.table_name,
            FilterExpression="begins_with(pk, :prefix)",
            ExpressionAttributeValues={":prefix": {"S": VERSION_PREFIX}},
            ConsistentRead=True,
        )
        for page in pages:
            entries += [ModelVersion.model_validate_json(item["record"]["S"]) for item in page.get("Items", [])]
        return entries

    def record_promotion(self, entry: ModelVersion, pointer: CurrentPointer, expected_current: str | None) -> None:
        """Raises RegistryConflictError when the version exists or the pointer moved since it was read."""
        try:
            self._ddb.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": _version_item(entry),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": _pointer_item(pointer),
                            **_pointer_condition(expected_current),
                        }
                    },
                ]
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "TransactionCanceledException":
                raise RegistryConflictError(
                    f"promotion of {entry.version} lost a race (version recorded or pointer no longer "
                    f"{expected_current!r}): {exc.response.get('CancellationReasons', exc)}"
                ) from exc
            raise

    def record_rejection(self, entry: ModelVersion) -> None:
        try:
            self._ddb.put_item(
                TableName=self.table_name, Item=_version_item(entry), ConditionExpression="attribute_not_exists(pk)"
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise RegistryConflictError(f"version {entry.version} is already recorded") from exc
            raise

    def move_pointer(self, pointer: CurrentPointer, expected_current: str | None) -> None:
        try:
            self._ddb.put_item(
                TableName=self.table_name, Item=_pointer_item(pointer), **_pointer_condition(expected_current)
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise RegistryConflictError(
                    f"the current model is no longer {expected_current!r}; re-run to see the new state"
                ) from exc
            raise

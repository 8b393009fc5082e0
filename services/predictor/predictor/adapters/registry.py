"""Read the trainer's model registry (DynamoDB): the CURRENT item and version items, read-only.

Layout (owned by the trainer): `pk = "CURRENT"` and `pk = "VERSION#<version>"`, each holding its record as JSON
in the `record` attribute. Reads are strongly consistent, so a ModelUpdated never finds the registry behind it.
"""

from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from predictor.models.domain import RegistryCurrent, RegistryUnreadableError, RegistryVersion, SourceUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

CURRENT_KEY = "CURRENT"
VERSION_PREFIX = "VERSION#"

RecordT = TypeVar("RecordT", bound=BaseModel)


class RegistryReader:
    """GetItem on the registry table (the predictor's only DynamoDB permission)."""

    def __init__(self, table_name: str, client: "DynamoDBClient | None" = None) -> None:
        import boto3  # lazily: only the reload function reads the registry

        self.table_name = table_name
        self._client = client or boto3.client("dynamodb")

    def current(self) -> RegistryCurrent | None:
        """The CURRENT item, or None before the first promotion.

        Raises SourceUnavailableError when DynamoDB cannot be read, RegistryUnreadableError for a malformed item.
        """
        return self._get(CURRENT_KEY, RegistryCurrent)

    def version(self, version: str) -> RegistryVersion | None:
        """The version's item, or None when the registry never judged it (same errors as `current`)."""
        return self._get(VERSION_PREFIX + version, RegistryVersion)

    def _get(self, pk: str, model: type[RecordT]) -> RecordT | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            item: dict[str, Any] | None = self._client.get_item(
                TableName=self.table_name, Key={"pk": {"S": pk}}, ConsistentRead=True
            ).get("Item")
        except (ClientError, BotoCoreError) as exc:
            raise SourceUnavailableError(f"cannot read {pk} from the model registry {self.table_name}: {exc}") from exc
        if item is None:
            return None
        try:
            return model.model_validate_json(item["record"]["S"])
        except (KeyError, TypeError, ValidationError) as exc:
            raise RegistryUnreadableError(f"registry item {pk} in {self.table_name} is malformed: {exc}") from exc

"""The predictor's current-version pointer: an SSM parameter holding {"version", "bundle_uri"}."""

import json
from functools import lru_cache
from typing import TYPE_CHECKING

from pydantic import ValidationError

from predictor.models.domain import ModelPointer, ModelUnavailableError, SourceUnavailableError

if TYPE_CHECKING:
    from mypy_boto3_ssm import SSMClient


class PointerStore:
    """Reads the pointer through Powertools parameters (cached for max_age seconds) and writes it."""

    def __init__(self, name: str, max_age_seconds: int, client: "SSMClient | None" = None) -> None:
        self.name = name
        self.max_age_seconds = max_age_seconds
        import boto3  # lazily: serving a local bundle never pays for the boto3 import
        from aws_lambda_powertools.utilities.parameters import SSMProvider

        self._client = client or boto3.client("ssm")
        self._provider = SSMProvider(boto3_client=self._client)

    def read(self) -> ModelPointer | None:
        """The promoted pointer, or None when the parameter is absent or holds no version yet.

        Raises SourceUnavailableError when SSM cannot be read, ModelUnavailableError for a malformed value.
        """
        from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError

        try:
            raw = self._provider.get(self.name, max_age=self.max_age_seconds)
        except GetParameterError as exc:
            if "ParameterNotFound" in str(exc):  # Powertools re-raises every client error as GetParameterError
                return None
            raise SourceUnavailableError(f"cannot read the model pointer {self.name}: {exc}") from exc
        return parse_pointer(str(raw))

    def write(self, pointer: ModelPointer) -> None:
        """Move the pointer (the promotion's commit point)."""
        self._client.put_parameter(Name=self.name, Value=pointer.model_dump_json(), Type="String", Overwrite=True)
        self._provider.clear_cache()


@lru_cache(maxsize=8)  # the API reads the (Powertools-cached) value per request: parse each value once
def parse_pointer(raw: str) -> ModelPointer | None:
    """The pointer in a parameter value; None for the deploy-time placeholder ({"version": null}).

    Raises ModelUnavailableError when the value is neither.
    """
    try:
        value = json.loads(raw)
        if isinstance(value, dict) and value.get("version") is None:
            return None
        return ModelPointer.model_validate(value)
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ModelUnavailableError(f"model pointer is malformed ({exc}); promote a model to rewrite it") from exc

"""The S3 "Object Created" event as EventBridge delivers it (and as the SQS queue wraps it)."""

from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel, SqsRecordModel
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, Json, field_validator


class S3BucketRef(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str = Field(min_length=3)


class S3ObjectRef(BaseModel):
    """The object part of the event; AWS writes `etag`, moto writes `eTag`: both accepted."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    key: str = Field(min_length=1)
    size: int = Field(default=0, ge=0)
    etag: str = Field(default="", validation_alias=AliasChoices("etag", "eTag", "ETag"))
    sequencer: str | None = None
    version_id: str | None = Field(default=None, validation_alias=AliasChoices("version-id", "versionId", "version_id"))

    @field_validator("etag")
    @classmethod
    def _unquote_etag(cls, value: str) -> str:
        return value.strip('"')


class ObjectCreatedDetail(BaseModel):
    """`detail` of an "Object Created" event (source aws.s3)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    bucket: S3BucketRef
    object: S3ObjectRef
    reason: str | None = None

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket.name}/{self.object.key}"

    def key_candidates(self) -> list[str]:
        """The key as written, then URL-decoded if that differs (S3 notifications may encode keys)."""
        decoded = unquote_plus(self.object.key)
        return [self.object.key] if decoded == self.object.key else [self.object.key, decoded]


class ObjectCreatedEnvelope(EventBridgeModel):
    """The full EventBridge envelope of an "Object Created" event."""

    detail: ObjectCreatedDetail  # type: ignore[assignment]


class ObjectCreatedSqsRecord(SqsRecordModel):
    """An SQS record whose body is the EventBridge envelope (rule -> queue -> Lambda)."""

    body: Json[ObjectCreatedEnvelope]  # type: ignore[assignment]


def parse_object_created(event: dict | ObjectCreatedEnvelope | ObjectCreatedDetail) -> ObjectCreatedDetail:
    """Accept a full envelope or just its detail; raises pydantic.ValidationError when it is neither."""
    if isinstance(event, ObjectCreatedDetail):
        return event
    if isinstance(event, ObjectCreatedEnvelope):
        return event.detail
    if isinstance(event, dict) and "detail" in event:
        return ObjectCreatedDetail.model_validate(event["detail"])
    return ObjectCreatedDetail.model_validate(event)

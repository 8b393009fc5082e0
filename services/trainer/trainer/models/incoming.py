"""The EventBridge envelopes the trainer consumes, parsed at the edge with Powertools' EventBridgeModel."""

from typing import Any

from airline_shared.events import FeaturesReady
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict, Field


class FeaturesReadyEnvelope(EventBridgeModel):
    detail: FeaturesReady


class S3DataSourceSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    S3Uri: str


class DataSourceSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    S3DataSource: S3DataSourceSpec | None = None


class InputChannel(BaseModel):
    model_config = ConfigDict(extra="ignore")

    ChannelName: str
    DataSource: DataSourceSpec | None = None


class OutputDataSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")

    S3OutputPath: str = Field(min_length=1)


class TrainingJobStateChange(BaseModel):
    """The `detail` of "SageMaker Training Job State Change" (the DescribeTrainingJob shape; extra fields ignored)."""

    model_config = ConfigDict(extra="ignore")

    TrainingJobName: str = Field(min_length=1, max_length=63)
    TrainingJobArn: str | None = None
    TrainingJobStatus: str
    SecondaryStatus: str | None = None
    FailureReason: str | None = None
    OutputDataConfig: OutputDataSpec | None = None
    InputDataConfig: list[InputChannel] = Field(default_factory=list)
    HyperParameters: dict[str, Any] = Field(default_factory=dict)

    def channel_uri(self, name: str) -> str | None:
        """The S3 URI of input channel `name` (case-insensitive), or None."""
        for channel in self.InputDataConfig:
            if channel.ChannelName.lower() == name.lower() and channel.DataSource and channel.DataSource.S3DataSource:
                return channel.DataSource.S3DataSource.S3Uri
        return None


class TrainingJobStateChangeEnvelope(EventBridgeModel):
    detail: TrainingJobStateChange

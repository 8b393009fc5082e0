"""Build the logic's dependencies from settings (used by handlers, the CLI and the local cloud)."""

from trainer.adapters.artifacts import S3ArtifactStore
from trainer.adapters.events import EventBridgePublisher
from trainer.adapters.registry import DynamoModelRegistry
from trainer.adapters.sagemaker import SageMakerTrainingJobs
from trainer.logic.ports import EvaluationDeps, LaunchDeps, RegistryDeps
from trainer.models.settings import EvaluationSettings, RegistrySettings, TrainingLaunchSettings


def build_launch_deps(settings: TrainingLaunchSettings) -> LaunchDeps:
    return LaunchDeps(
        jobs=SageMakerTrainingJobs(), events=EventBridgePublisher(settings.event_bus_name), settings=settings
    )


def build_evaluation_deps(settings: EvaluationSettings) -> EvaluationDeps:
    return EvaluationDeps(
        artifacts=S3ArtifactStore(),
        registry=DynamoModelRegistry(settings.registry_table),
        events=EventBridgePublisher(settings.event_bus_name),
        settings=settings,
    )


def build_registry_deps(settings: RegistrySettings) -> RegistryDeps:
    return RegistryDeps(
        registry=DynamoModelRegistry(settings.registry_table), events=EventBridgePublisher(settings.event_bus_name)
    )

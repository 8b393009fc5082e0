"""Build the logic's dependencies from a settings model (boto3 clients are created lazily)."""

from etl_trigger.adapters.events import EventBridgePublisher
from etl_trigger.adapters.glue import GlueFeaturesCatalog, GlueJobRunner
from etl_trigger.adapters.objects import S3ObjectStore
from etl_trigger.adapters.raw_files import S3RawFiles
from etl_trigger.adapters.runs_table import DynamoRunsStore
from etl_trigger.logic.ports import TriggerConfig, TriggerDeps
from etl_trigger.models.settings import GlueStateChangeSettings, TriggerSettings


def build_trigger_deps(settings: TriggerSettings) -> TriggerDeps:
    """AWS-backed deps; the features-table pointer only for settings that name the catalog table."""
    catalog = (
        GlueFeaturesCatalog(settings.glue_database, settings.features_table)
        if isinstance(settings, GlueStateChangeSettings)
        else None
    )
    return TriggerDeps(
        config=TriggerConfig(
            glue_job_name=settings.glue_job_name,
            processed_bucket=settings.processed_bucket,
            features_prefix=settings.features_prefix,
            runs_prefix=settings.runs_prefix,
            run_lock_ttl_minutes=settings.run_lock_ttl_minutes,
            quarantine_prefix=settings.quarantine_prefix,
        ),
        runs=DynamoRunsStore(settings.runs_table),
        objects=S3ObjectStore(),
        glue=GlueJobRunner(),
        events=EventBridgePublisher(settings.event_bus_name),
        raw_files=S3RawFiles(),
        catalog=catalog,
    )

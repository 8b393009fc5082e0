"""Builds the real adapters from the settings (used by the Lambda handler and the local cloud)."""

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

from ingest.adapters.event_bus import EventBridgePublisher
from ingest.adapters.manifest import DynamoManifest
from ingest.adapters.s3_store import S3ObjectStore
from ingest.logic.ingest import IngestDeps
from ingest.models.settings import IngestSettings


def build_ingest_deps(settings: IngestSettings) -> IngestDeps:
    """Adapters for S3, DynamoDB (manifest + idempotency) and EventBridge; clients honour AWS_ENDPOINT_URL."""
    return IngestDeps(
        store=S3ObjectStore(),
        manifest=DynamoManifest(settings.manifest_table),
        events=EventBridgePublisher(settings.event_bus_name),
        idempotency_store=DynamoDBPersistenceLayer(table_name=settings.idempotency_table),
        limits=settings.sniff_limits(),
        quarantine_prefix=settings.quarantine_prefix,
        idempotency_config=IdempotencyConfig(expires_after_seconds=settings.idempotency_ttl_seconds),
    )

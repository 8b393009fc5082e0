"""Trainer test support: a tiny valid model bundle (real scoring/bundle contracts), its model.tar.gz,
in-memory fakes of the trainer ports and settings factories."""

import io
import json
import tarfile
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import boto3
import numpy as np
from airline_shared.bundle import (
    LOOKUPS_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    REPORT_FILE,
    BundleManifest,
    DelayLookups,
    ModelMetrics,
    TierThresholds,
    TrainingData,
)
from airline_shared.events import EventDetail
from airline_shared.features import MODEL_FEATURES
from airline_shared.scoring import save_ensemble, sha256_hex
from trainer.logic.errors import ArtifactNotFoundError, ArtifactTooLargeError, RegistryConflictError
from trainer.models.registry import CurrentPointer, ModelVersion
from trainer.models.settings import EvaluationSettings, TrainingLaunchSettings

FEATURES_URI = "s3://airline-test-processed/features/snapshots/run-0001/"


def tiny_model_npz(n_features: int = len(MODEL_FEATURES), leaf_high: float = 1.5) -> bytes:
    """Two stumps on depdelay (feature 0) and prevflightarrdelay (feature 1), logit aggregation."""
    return save_ensemble(
        feature=np.array([[0, -1, -1], [1, -1, -1]], dtype=np.int32),
        threshold=np.array([[15.0, 0.0, 0.0], [20.0, 0.0, 0.0]]),
        missing_left=np.array([[1, 0, 0], [1, 0, 0]], dtype=np.uint8),
        left=np.array([[1, -1, -1], [1, -1, -1]], dtype=np.int32),
        right=np.array([[2, -1, -1], [2, -1, -1]], dtype=np.int32),
        value=np.array([[0.0, -1.0, leaf_high], [0.0, -0.5, leaf_high]]),
        aggregation="sum_logit",
        baseline=-2.0,
        n_features=n_features,
    )


def bundle_files(
    version: str = "v-0001",
    roc_auc: float = 0.80,
    pr_auc: float = 0.40,
    model_npz: bytes | None = None,
    feature_names: tuple[str, ...] = MODEL_FEATURES,
) -> dict[str, bytes]:
    """A complete, valid bundle folder: manifest.json, model.npz, lookups.json, report.html."""
    files = {
        MODEL_FILE: model_npz if model_npz is not None else tiny_model_npz(len(feature_names)),
        LOOKUPS_FILE: DelayLookups(
            as_of=date(2008, 12, 31),
            route_avg_arr_delay={"ORD-LGA": 12.5},
            carrier_avg_arr_delay={"AA": 8.0},
            global_route_avg_arr_delay=7.0,
            global_carrier_avg_arr_delay=6.5,
        )
        .model_dump_json()
        .encode(),
        REPORT_FILE: b"<html><body>report</body></html>",
    }
    manifest = BundleManifest(
        version=version,
        created_at=datetime(2026, 11, 26, 1, 0, tzinfo=UTC),
        model_kind="hgb",
        training_data=TrainingData(
            uri=FEATURES_URI,
            rows=1000,
            train_period=(date(2008, 1, 1), date(2008, 10, 31)),
            eval_period=(date(2008, 11, 1), date(2008, 12, 31)),
        ),
        feature_names=list(feature_names),
        library_versions={"numpy": np.__version__},
        metrics=ModelMetrics(
            roc_auc=roc_auc,
            pr_auc=pr_auc,
            brier=0.1,
            positive_rate=0.05,
            eval_rows=200,
            train_rows=800,
            train_seconds=1.5,
        ),
        thresholds=TierThresholds(medium=0.1, high=0.3, critical=0.6, decision=0.3),
        files={name: sha256_hex(data) for name, data in files.items()},
    )
    files[MANIFEST_FILE] = manifest.model_dump_json().encode()
    return files


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def tar_gz(files: dict[str, bytes], prefix: str = "") -> bytes:
    """model.tar.gz as SageMaker writes it (optionally with a './' style prefix and root dir entry)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        if prefix:
            root = tarfile.TarInfo(prefix.rstrip("/") or ".")
            root.type = tarfile.DIRTYPE
            tar.addfile(root)
        for name, data in sorted(files.items()):
            _add(tar, prefix + name, data)
    return buf.getvalue()


def tar_gz_with_member(files: dict[str, bytes], member: tarfile.TarInfo, data: bytes = b"") -> bytes:
    """A bundle archive plus one hand-made (possibly malicious) member."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, content in sorted(files.items()):
            _add(tar, name, content)
        tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return buf.getvalue()


FIXED_NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


class FakeLauncher:
    def __init__(self) -> None:
        self.jobs: dict[str, Mapping[str, Any]] = {}

    def start(self, request: Mapping[str, Any]) -> bool:
        if request["TrainingJobName"] in self.jobs:
            return False
        self.jobs[request["TrainingJobName"]] = request
        return True


class FakeArtifacts:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def read_object(self, uri: str, max_bytes: int) -> bytes:
        if uri not in self.objects:
            raise ArtifactNotFoundError(f"{uri} does not exist")
        if len(self.objects[uri]) > max_bytes:
            raise ArtifactTooLargeError(f"{uri} too large")
        return self.objects[uri]

    def write_bundle(self, bundle_uri: str, files: Mapping[str, bytes]) -> None:
        for name, data in files.items():
            self.objects[f"{bundle_uri}/{name}"] = data


class FakeRegistry:
    def __init__(self) -> None:
        self.current: CurrentPointer | None = None
        self.versions: dict[str, ModelVersion] = {}

    def get_current(self) -> CurrentPointer | None:
        return self.current

    def get_version(self, version: str) -> ModelVersion | None:
        return self.versions.get(version)

    def list_versions(self) -> list[ModelVersion]:
        return list(self.versions.values())

    def _check_pointer(self, expected_current: str | None) -> None:
        actual = self.current.version if self.current else None
        if actual != expected_current:
            raise RegistryConflictError(f"pointer is {actual!r}, expected {expected_current!r}")

    def record_promotion(self, entry: ModelVersion, pointer: CurrentPointer, expected_current: str | None) -> None:
        if entry.version in self.versions:
            raise RegistryConflictError(f"{entry.version} exists")
        self._check_pointer(expected_current)
        self.versions[entry.version] = entry
        self.current = pointer

    def record_rejection(self, entry: ModelVersion) -> None:
        if entry.version in self.versions:
            raise RegistryConflictError(f"{entry.version} exists")
        self.versions[entry.version] = entry

    def move_pointer(self, pointer: CurrentPointer, expected_current: str | None) -> None:
        self._check_pointer(expected_current)
        self.current = pointer


class FakeEvents:
    def __init__(self) -> None:
        self.published: list[EventDetail] = []

    def publish(self, detail: EventDetail) -> None:
        self.published.append(detail)

    def of_type(self, detail_type: str) -> list[Any]:
        return [e for e in self.published if detail_type == e.DETAIL_TYPE]


# --- the stage's names and settings (unit tests build settings from them, integration tests set ENV) ---

STAGE = "dev"
MODELS_BUCKET = "airline-dev-models-123456789012-us-east-1"
REGISTRY_TABLE = "airline-dev-model-registry"
EVENT_BUS = "airline-dev"
ENV = {
    "MODELS_BUCKET": MODELS_BUCKET,
    "REGISTRY_TABLE": REGISTRY_TABLE,
    "EVENT_BUS_NAME": EVENT_BUS,
    "JOB_NAME_PREFIX": f"airline-{STAGE}",
    "TRAINING_IMAGE_URI": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.4-2-cpu-py3",
    "SAGEMAKER_ROLE_ARN": "arn:aws:iam::123456789012:role/airline-dev-sagemaker-training",
    "SOURCE_ARCHIVE_URI": f"s3://{MODELS_BUCKET}/code/sourcedir.tar.gz",
    "AWS_REGION": "us-east-1",
}
#: The settings values ENV gives (AWS_REGION left out: unit tests build requests without a region).
_SETTINGS_VALUES: dict[str, Any] = {name.lower(): value for name, value in ENV.items() if name != "AWS_REGION"}


def launch_settings(**overrides: Any) -> TrainingLaunchSettings:
    return TrainingLaunchSettings(**(_SETTINGS_VALUES | overrides))


def evaluation_settings(**overrides: Any) -> EvaluationSettings:
    return EvaluationSettings(**(_SETTINGS_VALUES | overrides))


# --- moto helpers (integration tests) ---


def create_registry_table(name: str = REGISTRY_TABLE) -> None:
    """The table as serverless.yml declares it: string hash key `pk`, on-demand."""
    boto3.client("dynamodb").create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )


def sqs_event(*bodies: dict[str, Any]) -> dict[str, Any]:
    """An SQS -> Lambda batch whose record bodies are EventBridge envelopes (what the rules deliver)."""
    return {
        "Records": [
            {
                "messageId": f"msg-{i}",
                "receiptHandle": f"rh-{i}",
                "body": json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795654693000",
                    "SenderId": "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp": "1795654693001",
                },
                "messageAttributes": {},
                "md5OfBody": "0" * 32,
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:airline-dev-trainer-queue",
                "awsRegion": "us-east-1",
            }
            for i, body in enumerate(bodies)
        ]
    }

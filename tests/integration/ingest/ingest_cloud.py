"""A moto cloud shaped like the ingest service's stack: raw bucket, tables, custom bus, queues."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ingest.logic.ingest import IngestDeps
from ingest.models.settings import IngestSettings

BUCKET = "airline-test-raw"
BUS = "airline-test"
MANIFEST_TABLE = "airline-test-ingest-manifest"
IDEMPOTENCY_TABLE = "airline-test-ingest-idempotency"
QUARANTINE_PREFIX = "quarantine/"


SERVERLESS_YML = Path(__file__).parents[3] / "services" / "ingest" / "serverless.yml"


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads serverless.yml with its CloudFormation short tags (!Ref, !GetAtt, !Sub) as plain dicts."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        return {name: value.split(".", 1) if suffix == "GetAtt" else value}
    if isinstance(node, yaml.SequenceNode):
        return {name: loader.construct_sequence(node, deep=True)}
    return {name: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


def load_serverless_yml() -> dict[str, Any]:
    return yaml.load(SERVERLESS_YML.read_text(), Loader=_CloudFormationLoader)


def object_created_pattern(bucket: str) -> dict[str, Any]:
    """The ObjectCreatedRule pattern exactly as serverless.yml deploys it, for a concrete bucket name."""
    stack = load_serverless_yml()
    text = json.dumps(stack["resources"]["Resources"]["ObjectCreatedRule"]["Properties"]["EventPattern"])
    text = text.replace("${self:custom.quarantinePrefix}", stack["custom"]["quarantinePrefix"])
    return json.loads(text.replace(json.dumps({"Ref": "RawBucket"}), json.dumps(bucket)))


@dataclass
class IngestCloud:
    s3: Any
    sqs: Any
    dynamodb: Any
    ingest_queue_url: str
    observer_queue_url: str
    settings: IngestSettings
    deps: IngestDeps

    def upload(self, key: str, data: bytes) -> dict[str, Any]:
        """Put an object and return the Object Created envelope moto delivered to the ingest queue."""
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=data)
        envelopes = [json.loads(m["Body"]) for m in self.drain(self.ingest_queue_url)]
        matching = [e for e in envelopes if e["detail"]["object"]["key"] == key]
        assert matching, f"no Object Created event for {key}"
        return matching[-1]

    def copy(self, source_key: str, key: str) -> dict[str, Any]:
        """CopyObject within the bucket; returns the Object Created envelope of the copy."""
        self.s3.copy_object(Bucket=BUCKET, Key=key, CopySource={"Bucket": BUCKET, "Key": source_key})
        envelopes = [json.loads(m["Body"]) for m in self.drain(self.ingest_queue_url)]
        return next(e for e in reversed(envelopes) if e["detail"]["object"]["key"] == key)

    def drain(self, queue_url: str) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = []
        while batch := self.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
            messages += batch
            for message in batch:
                self.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return messages

    def emitted_events(self) -> list[dict[str, Any]]:
        """Custom events seen on the bus so far (observer rule -> SQS)."""
        return [json.loads(m["Body"]) for m in self.drain(self.observer_queue_url)]

    def manifest_items(self) -> list[dict[str, Any]]:
        """The per-object records (content claims left out)."""
        return [i for i in self.dynamodb.Table(MANIFEST_TABLE).scan()["Items"] if i.get("kind") != "content"]

    def content_claims(self) -> list[dict[str, Any]]:
        return [i for i in self.dynamodb.Table(MANIFEST_TABLE).scan()["Items"] if i.get("kind") == "content"]

    def body(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def object_keys(self) -> list[str]:
        return sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def queue(sqs: Any, name: str) -> tuple[str, str]:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return url, arn

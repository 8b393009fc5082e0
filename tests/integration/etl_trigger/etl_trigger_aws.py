"""Helpers of the etl-trigger integration tests: names, the moto-backed `Aws` view, SQS wrapping."""

import json
from dataclasses import dataclass
from typing import Any

STAGE = "dev"
BUS = f"airline-{STAGE}"
JOB = f"airline-{STAGE}-features"
BUCKET = f"airline-{STAGE}-processed-123456789012"
RAW_BUCKET = f"airline-{STAGE}-raw"
TABLE = f"airline-{STAGE}-etl-runs"
DATABASE = f"airline_{STAGE}"


@dataclass
class Aws:
    s3: Any
    glue: Any
    dynamodb: Any
    sqs: Any
    events: Any
    capture_queue_url: str

    def emitted(self) -> list[dict[str, Any]]:
        """Every event that reached the custom bus's capture rule, as delivered envelopes."""
        out: list[dict[str, Any]] = []
        while True:
            msgs = self.sqs.receive_message(QueueUrl=self.capture_queue_url, MaxNumberOfMessages=10).get("Messages", [])
            if not msgs:
                return out
            out.extend(json.loads(m["Body"]) for m in msgs)

    def job_runs(self) -> list[dict[str, Any]]:
        return list(self.glue.get_job_runs(JobName=JOB)["JobRuns"])

    def read_json(self, key: str) -> Any:
        return json.loads(self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())

    def put_json(self, key: str, data: Any) -> None:
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=json.dumps(data).encode())

    def put_raw(self, key: str, body: bytes | None = None) -> str:
        """Drop a raw object (body defaults to its key's bytes, so each key has its own etag); returns the etag."""
        response = self.s3.put_object(Bucket=RAW_BUCKET, Key=key, Body=key.encode() if body is None else body)
        return str(response["ETag"]).strip('"')

    def raw_keys(self) -> list[str]:
        return sorted(o["Key"] for o in self.s3.list_objects_v2(Bucket=RAW_BUCKET).get("Contents", []))

    def read_raw_json(self, key: str) -> Any:
        return json.loads(self.s3.get_object(Bucket=RAW_BUCKET, Key=key)["Body"].read())

    def file_items(self) -> dict[str, dict[str, Any]]:
        items = self.dynamodb.Table(TABLE).query(
            KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": "FILE"}
        )["Items"]
        return {i["sk"]: i for i in items}

    def lock(self) -> dict[str, Any] | None:
        return self.dynamodb.Table(TABLE).get_item(Key={"pk": "LOCK", "sk": "LOCK"}).get("Item")


def create_features_table(glue: Any) -> None:
    glue.create_database(DatabaseInput={"Name": DATABASE})
    glue.create_table(
        DatabaseName=DATABASE,
        TableInput={
            "Name": "features",
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {
                "projection.enabled": "true",
                "storage.location.template": f"s3://{BUCKET}/features/snapshots/none/year=${{year}}/month=${{month}}/",
            },
            "PartitionKeys": [{"Name": "year", "Type": "int"}, {"Name": "month", "Type": "int"}],
            "StorageDescriptor": {
                "Location": f"s3://{BUCKET}/features/snapshots/none/",
                "Columns": [{"Name": "carrier", "Type": "string"}],
            },
        },
    )


def sqs_event(*envelopes: dict[str, Any], queue: str = "airline-dev-etl-raw-file-accepted") -> dict[str, Any]:
    """The SQS batch Lambda receives when the rule delivered these EventBridge envelopes."""
    return {
        "Records": [
            {
                "messageId": f"00000000-0000-4000-8000-{i:012d}",
                "receiptHandle": f"rh-{i}",
                "body": json.dumps(e),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795656000000",
                    "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                    "ApproximateFirstReceiveTimestamp": "1795656000100",
                },
                "messageAttributes": {},
                "md5OfBody": "0" * 32,
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
                "awsRegion": "us-east-1",
            }
            for i, e in enumerate(envelopes)
        ]
    }

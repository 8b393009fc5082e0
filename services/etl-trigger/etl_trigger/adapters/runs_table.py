"""DynamoDB runs table: accepted files, the single run lock and run records (keys `pk`, `sk`).

Items: pk=FILE sk=<s3 uri> (one per accepted file; `reason` when rejected/missing), pk=LOCK sk=LOCK (present while a run is in
flight), pk=RUN sk=<run_id> (one per started run, the record as JSON in `record`).
"""

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from etl_trigger.models.runs import AcceptedFile, FileStatus, RunRecord, RunStatus

_TERMINAL_FILE_STATUSES = frozenset({FileStatus.PUBLISHED, FileStatus.FAILED})


def _write_if(write: Callable[..., Any], **request: Any) -> bool:
    """Run a conditional write; False when its condition failed, other errors propagate."""
    try:
        write(**request)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    return True


class DynamoRunsStore:
    """RunsStore on one DynamoDB table; every guard is a conditional write, so concurrent Lambdas are safe."""

    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    @cached_property
    def _table(self) -> Any:
        return boto3.resource("dynamodb").Table(self.table_name)

    def record_file(self, file: AcceptedFile) -> bool:
        item = {"pk": "FILE", "sk": file.uri, **file.model_dump(mode="json", exclude_none=True)}
        return _write_if(  # a rejected/missing file accepted again (same bytes) gets its chance again
            self._table.put_item,
            Item=item,
            ConditionExpression="attribute_not_exists(pk) OR etag <> :etag OR #status IN (:rejected, :missing)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":etag": file.etag,
                ":rejected": FileStatus.REJECTED.value,
                ":missing": FileStatus.MISSING.value,
            },
        )

    def list_files(self) -> list[AcceptedFile]:
        files: list[AcceptedFile] = []
        kwargs: dict[str, Any] = {
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": "FILE"},
            "ConsistentRead": True,
        }
        while True:
            page = self._table.query(**kwargs)
            files.extend(AcceptedFile.model_validate(_plain(i)) for i in page.get("Items", []))
            if "LastEvaluatedKey" not in page:
                return files
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def mark_files(self, files: Mapping[str, str], run_id: str, status: FileStatus) -> None:
        condition = "etag = :etag" + (" AND run_id = :run" if status in _TERMINAL_FILE_STATUSES else "")
        for uri, etag in files.items():
            _write_if(  # a failed condition: re-accepted with a new etag meanwhile, left pending
                self._table.update_item,
                Key={"pk": "FILE", "sk": uri},
                UpdateExpression="SET #status = :status, run_id = :run",
                ConditionExpression=condition,
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":status": status.value, ":run": run_id, ":etag": etag},
            )

    def exclude_file(self, uri: str, etag: str, status: FileStatus, reason: str, run_id: str) -> bool:
        return _write_if(  # a failed condition: re-accepted with a new etag meanwhile, that version stays in
            self._table.update_item,
            Key={"pk": "FILE", "sk": uri},
            UpdateExpression="SET #status = :status, run_id = :run, reason = :reason",
            ConditionExpression="etag = :etag",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":status": status.value, ":run": run_id, ":reason": reason, ":etag": etag},
        )

    def acquire_lock(self, run_id: str, now: datetime, expires_at: datetime) -> bool:
        return _write_if(
            self._table.put_item,
            Item={
                "pk": "LOCK",
                "sk": "LOCK",
                "run_id": run_id,
                "acquired_at": now.isoformat(),
                "expires_at": int(expires_at.timestamp()),
            },
            ConditionExpression="attribute_not_exists(pk) OR expires_at < :now",
            ExpressionAttributeValues={":now": int(now.timestamp())},
        )

    def release_lock(self, run_id: str) -> bool:
        return _write_if(
            self._table.delete_item,
            Key={"pk": "LOCK", "sk": "LOCK"},
            ConditionExpression="run_id = :run",
            ExpressionAttributeValues={":run": run_id},
        )

    def put_run(self, run: RunRecord) -> None:
        self._table.put_item(
            Item={"pk": "RUN", "sk": run.run_id, "status": run.status.value, "record": run.model_dump_json()}
        )

    def get_run(self, run_id: str) -> RunRecord | None:
        item = self._table.get_item(Key={"pk": "RUN", "sk": run_id}, ConsistentRead=True).get("Item")
        return None if item is None else RunRecord.model_validate_json(str(item["record"]))

    def finish_run(self, run: RunRecord, status: RunStatus, finished_at: datetime, reason: str | None) -> None:
        done = run.model_copy(update={"status": status, "finished_at": finished_at, "reason": reason})
        _write_if(  # a failed condition: already finished by a redelivered event
            self._table.put_item,
            Item={"pk": "RUN", "sk": run.run_id, "status": status.value, "record": done.model_dump_json()},
            ConditionExpression="#status = :running",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":running": RunStatus.RUNNING.value},
        )


def _plain(item: Mapping[str, Any]) -> dict[str, Any]:
    """DynamoDB item -> JSON-friendly dict (Decimal numbers become int/float)."""
    return json.loads(json.dumps(dict(item), default=lambda d: int(d) if d == int(d) else float(d)))

"""Glue job runs and the Data Catalog features table."""

from collections.abc import Mapping
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from etl_trigger.logic.errors import FeaturesTableMissingError, GlueConcurrencyLimitError

#: TableInput accepts only these keys of a GetTable result.
_TABLE_INPUT_KEYS = (
    "Name", "Description", "Owner", "Retention", "StorageDescriptor", "PartitionKeys",
    "TableType", "Parameters", "ViewOriginalText", "ViewExpandedText",
)  # fmt: skip


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


class GlueJobRunner:
    @cached_property
    def _glue(self) -> Any:
        return boto3.client("glue")

    def start_job_run(self, job_name: str, arguments: Mapping[str, str]) -> str:
        """Raises GlueConcurrencyLimitError on ConcurrentRunsExceededException; other errors propagate."""
        try:
            return str(self._glue.start_job_run(JobName=job_name, Arguments=dict(arguments))["JobRunId"])
        except ClientError as exc:
            if _error_code(exc) == "ConcurrentRunsExceededException":
                raise GlueConcurrencyLimitError(f"Glue job {job_name} is already running") from exc
            raise

    def get_job_run_arguments(self, job_name: str, job_run_id: str) -> dict[str, str]:
        run = self._glue.get_job_run(JobName=job_name, RunId=job_run_id)["JobRun"]
        return dict(run.get("Arguments") or {})


class GlueFeaturesCatalog:
    """Points the Athena `features` table (partition projection) at the newest published snapshot."""

    def __init__(self, database: str, table: str) -> None:
        self.database = database
        self.table = table

    @cached_property
    def _glue(self) -> Any:
        return boto3.client("glue")

    def point_features_table(self, location: str) -> None:
        """Set Location and `storage.location.template`; raises FeaturesTableMissingError."""
        try:
            table = self._glue.get_table(DatabaseName=self.database, Name=self.table)["Table"]
        except ClientError as exc:
            if _error_code(exc) == "EntityNotFoundException":
                raise FeaturesTableMissingError(f"Glue table {self.database}.{self.table} does not exist") from exc
            raise
        table_input = {k: table[k] for k in _TABLE_INPUT_KEYS if k in table}
        table_input["StorageDescriptor"] = {**table_input.get("StorageDescriptor", {}), "Location": location}
        table_input["Parameters"] = {
            **table_input.get("Parameters", {}),
            "storage.location.template": f"{location}year=${{year}}/month=${{month}}/",
        }
        self._glue.update_table(DatabaseName=self.database, TableInput=table_input)

"""Glue 5.0 entry point: `--run_id --inputs_uri --features_root` -> snapshot, summary, CURRENT.json.

On Glue (awsglue importable) Spark reads the raw files from S3 (zips are expanded to
`{features_root}_staging/{run_id}/` first) and writes `{features_root}snapshots/{run_id}/`
directly. Elsewhere (plain PySpark, tests, the local cloud) the inputs are downloaded, the
same Spark engine runs on local files, and the result is uploaded with `publish_snapshot`.
Either way `_run_summary.json` follows the data and `CURRENT.json` is written last.
"""

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from etl_job.models import SUMMARY_FILE, Engine, RunSummary
from etl_job.s3io import (
    parse_s3_uri,
    publish_current,
    publish_snapshot,
    read_inputs_list,
    snapshot_uri,
    stage_inputs,
    write_json,
)

JOB_ARGUMENTS = ("run_id", "inputs_uri", "features_root")


def resolve_arguments(argv: list[str]) -> dict[str, str]:
    """The job arguments, via awsglue's getResolvedOptions when present, else parsed as `--name value`.

    Raises ValueError naming the missing arguments.
    """
    try:
        from awsglue.utils import getResolvedOptions  # type: ignore[import-not-found]
    except ImportError:
        pairs = {argv[i][2:]: argv[i + 1] for i in range(len(argv) - 1) if argv[i].startswith("--")}
        missing = [name for name in JOB_ARGUMENTS if not pairs.get(name)]
        if missing:
            raise ValueError(f"missing job arguments: {', '.join('--' + m for m in missing)}") from None
        return {name: pairs[name] for name in JOB_ARGUMENTS}
    resolved: dict[str, str] = getResolvedOptions(argv, list(JOB_ARGUMENTS))
    return {name: resolved[name] for name in JOB_ARGUMENTS}


def _root(features_root: str) -> str:
    return features_root if features_root.endswith("/") else features_root + "/"


def run_local_job(
    args: dict[str, str],
    spark: Any,
    s3_client: Any,
    engine: Engine = "spark",
    progress: Callable[[str], None] | None = None,
) -> RunSummary:
    """Download inputs, build features locally (plain PySpark, or DuckDB for the local cloud), publish
    snapshot + summary + CURRENT.json. Files left out are named by their s3 URI in the summary."""
    from etl_job.run import run_etl
    from etl_job.s3io import download_inputs

    with tempfile.TemporaryDirectory(prefix="etl-job-") as tmp:
        say = progress or (lambda _msg: None)
        say("downloading the run's raw files")
        paths, gone = download_inputs(args["inputs_uri"], Path(tmp) / "inputs", s3_client)
        out = Path(tmp) / "features"
        summary = run_etl(list(paths), out, engine=engine, run_id=args["run_id"], spark=spark, progress=say)
        say(f"uploading {summary.rows_written:,} feature rows")
        uris = {str(path): uri for path, uri in paths.items()}
        named = summary.model_copy(
            update={
                "input_files": [uris.get(f, f) for f in summary.input_files],
                "rejected_files": [
                    *gone,
                    *(r.model_copy(update={"file": uris.get(r.file, r.file)}) for r in summary.rejected_files),
                ],
            }
        )
        (out / SUMMARY_FILE).write_text(named.model_dump_json(indent=2))
        return publish_snapshot(out, _root(args["features_root"]), args["run_id"], s3_client)


def _describe_snapshot(uri: str, s3_client: Any) -> list[str]:
    bucket, prefix = parse_s3_uri(uri)
    partitions: set[str] = set()
    for page in s3_client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            parts = item["Key"][len(prefix) :].split("/")
            if len(parts) == 3 and parts[0].startswith("year=") and parts[2].endswith(".parquet"):
                partitions.add(f"{parts[0]}/{parts[1]}")
    return sorted(partitions)


def run_glue_job(args: dict[str, str], spark: Any, s3_client: Any) -> RunSummary:
    """On Glue: Spark reads and writes S3 directly; then summary, then CURRENT.json."""
    from etl_job.run import build_summary
    from etl_job.spark_engine import run_spark

    started = time.perf_counter()
    root, run_id = _root(args["features_root"]), args["run_id"]
    uris = read_inputs_list(args["inputs_uri"], s3_client)
    target = snapshot_uri(root, run_id)
    with tempfile.TemporaryDirectory(prefix="etl-job-") as tmp:
        flights, gone = stage_inputs(uris, f"{root}_staging/{run_id}/", Path(tmp), s3_client)
    counts = run_spark(spark, flights, target)
    partitions = _describe_snapshot(target, s3_client)
    summary = build_summary(
        run_id, "spark", uris, [], counts, (partitions, counts.get("kept", 0)), time.perf_counter() - started
    ).model_copy(update={"features_uri": target, "rejected_files": gone})
    write_json(target + SUMMARY_FILE, summary.model_dump(mode="json"), s3_client)
    publish_current(root, run_id, target, s3_client)
    return summary


def main(argv: list[str]) -> RunSummary:
    """Run as the Glue job (or as a plain PySpark script when awsglue is absent)."""
    import boto3

    args = resolve_arguments(argv)
    s3_client = boto3.client("s3")
    try:
        from awsglue.context import GlueContext  # type: ignore[import-not-found]
        from pyspark.context import SparkContext
    except ImportError:
        from etl_job.spark_engine import create_local_session

        return run_local_job(args, create_local_session(), s3_client)
    spark = GlueContext(SparkContext.getOrCreate()).spark_session
    return run_glue_job(args, spark, s3_client)


if __name__ == "__main__":
    print(main(sys.argv).model_dump_json(indent=2))

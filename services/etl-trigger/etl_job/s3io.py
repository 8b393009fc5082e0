"""S3 adapter of the ETL job: inputs list, input staging, snapshot upload and the CURRENT.json publish.

The only module of etl_job that talks to S3; every function takes its boto3 client so the local
cloud and tests pass their own (moto) client.
"""

import json
import tempfile
from pathlib import Path
from typing import Any

from airline_shared.events import split_s3_uri
from botocore.exceptions import ClientError

from etl_job.inputs import RawInput, extract_zip_csvs, flight_input, header_from_bytes, read_header
from etl_job.models import SUMMARY_FILE, InputFormatError, RejectedFile, RunSummary

CURRENT_FILE = "CURRENT.json"
_HEAD_BYTES = 1 << 16


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key) of an s3:// URI (`split_s3_uri`); raises InputFormatError for anything else."""
    try:
        return split_s3_uri(uri)
    except ValueError as exc:
        raise InputFormatError(str(exc)) from exc


def _join(prefix_uri: str, name: str) -> str:
    return prefix_uri.rstrip("/") + "/" + name


def read_inputs_list(inputs_uri: str, s3_client: Any) -> list[str]:
    """The raw file URIs of a run (`runs/<run_id>/inputs.json`, a JSON list of s3 URIs)."""
    bucket, key = parse_s3_uri(inputs_uri)
    data = json.loads(s3_client.get_object(Bucket=bucket, Key=key)["Body"].read())
    if not isinstance(data, list) or not all(isinstance(u, str) for u in data):
        raise InputFormatError(f"{inputs_uri}: expected a JSON list of s3 URIs")
    return data


def _is_missing(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}


def _deleted(uri: str) -> RejectedFile:
    return RejectedFile(file=uri, reason=f"{uri} no longer exists (deleted after it was accepted); left out of the run")


def download_inputs(inputs_uri: str, dest_dir: Path, s3_client: Any) -> tuple[dict[Path, str], list[RejectedFile]]:
    """Download every raw file of the run into dest_dir: {local path: its URI}, and the files gone since.

    Local names are prefixed by position, so they never clash.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[Path, str] = {}
    gone: list[RejectedFile] = []
    for i, uri in enumerate(read_inputs_list(inputs_uri, s3_client)):
        bucket, key = parse_s3_uri(uri)
        target = dest_dir / f"{i:04d}_{Path(key).name}"
        try:
            s3_client.download_file(bucket, key, str(target))
        except ClientError as exc:
            if not _is_missing(exc):
                raise
            gone.append(_deleted(uri))
            continue
        paths[target] = uri
    return paths, gone


def upload_dir(local_dir: Path, prefix_uri: str, s3_client: Any, skip: frozenset[str] = frozenset()) -> list[str]:
    """Upload every file under local_dir to prefix_uri (relative paths kept); returns the keys."""
    bucket, prefix = parse_s3_uri(_join(prefix_uri, ""))
    keys = []
    for path in sorted(p for p in local_dir.rglob("*") if p.is_file() and p.name not in skip):
        key = prefix + path.relative_to(local_dir).as_posix()
        s3_client.upload_file(str(path), bucket, key)
        keys.append(key)
    return keys


def write_json(uri: str, payload: Any, s3_client: Any) -> None:
    bucket, key = parse_s3_uri(uri)
    body = json.dumps(payload, indent=2).encode()
    s3_client.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json")


def snapshot_uri(features_root_uri: str, run_id: str) -> str:
    """`{features_root}snapshots/{run_id}/`, where one run's features live."""
    return _join(features_root_uri, f"snapshots/{run_id}/")


def publish_current(features_root_uri: str, run_id: str, features_uri: str, s3_client: Any) -> None:
    """Point `{features_root}CURRENT.json` at a finished snapshot: the atomic publish, written last."""
    write_json(_join(features_root_uri, CURRENT_FILE), {"run_id": run_id, "features_uri": features_uri}, s3_client)


def publish_snapshot(local_dir: Path, features_root_uri: str, run_id: str, s3_client: Any) -> RunSummary:
    """Upload a locally built features directory, then its run summary, then CURRENT.json.

    A failure before the last step leaves CURRENT.json on the previous snapshot. Raises
    InputFormatError when local_dir holds no run summary (not an ETL output).
    """
    summary_path = local_dir / SUMMARY_FILE
    if not summary_path.is_file():
        raise InputFormatError(f"{local_dir}: no {SUMMARY_FILE}; not a features directory")
    target = snapshot_uri(features_root_uri, run_id)
    summary = RunSummary.model_validate_json(summary_path.read_text()).model_copy(update={"features_uri": target})
    upload_dir(local_dir, target, s3_client, skip=frozenset({SUMMARY_FILE}))
    write_json(_join(target, SUMMARY_FILE), summary.model_dump(mode="json"), s3_client)
    publish_current(features_root_uri, run_id, target, s3_client)
    return summary


def _head(bucket: str, key: str, s3_client: Any) -> bytes:
    body: bytes = s3_client.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{_HEAD_BYTES - 1}")["Body"].read()
    return body


def stage_inputs(
    uris: list[str], staging_prefix_uri: str, work_dir: Path, s3_client: Any
) -> tuple[list[RawInput], list[RejectedFile]]:
    """Spark-readable flight inputs for the run (CSV / .gz read in place, zips expanded to the staging
    prefix), and the files deleted since they were accepted (left out).

    Carriers lookups are skipped. Raises InputFormatError for an unknown layout, a flight file lacking
    a required column, or when no flight file remains.
    """
    flights: list[RawInput] = []
    gone: list[RejectedFile] = []
    for i, uri in enumerate(uris):
        bucket, key = parse_s3_uri(uri)
        try:
            head = _head(bucket, key, s3_client)
        except ClientError as exc:
            if not _is_missing(exc):
                raise
            gone.append(_deleted(uri))
            continue
        if head[:4] == b"PK\x03\x04":
            flights.extend(_stage_zip(uri, _join(staging_prefix_uri, f"{i:04d}"), work_dir, s3_client))
            continue
        flight = flight_input(uri, header_from_bytes(head))
        if flight is not None:
            flights.append(flight)
    if not flights:
        raise InputFormatError("no flight file (ASA or BTS) among the inputs")
    return flights, gone


def _stage_zip(uri: str, prefix_uri: str, work_dir: Path, s3_client: Any) -> list[RawInput]:
    bucket, key = parse_s3_uri(uri)
    staged = []
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp:
        archive_path = Path(tmp) / Path(key).name
        s3_client.download_file(bucket, key, str(archive_path))
        for n, local in enumerate(extract_zip_csvs(archive_path, Path(tmp))):
            target = _join(prefix_uri, f"{n}/{local.name}")  # members may share a base name
            flight = flight_input(target, read_header(local))
            if flight is None:
                continue
            s3_client.upload_file(str(local), *parse_s3_uri(target))
            staged.append(flight)
    return staged

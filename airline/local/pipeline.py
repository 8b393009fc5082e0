"""The whole pipeline on one machine: embedded AWS + real handlers + Glue/SageMaker stand-ins + HTTP API."""

from __future__ import annotations

import json
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from etl_job.s3io import parse_s3_uri

from airline.local.cloud import LOCAL_PARAMS, DeployedFunction, LocalCloud, deploy_services, moto_server
from airline.local.observer import EventObserver
from airline.local.runtime import Invocation, LocalRuntime, invoke_function

REPO_ROOT = Path(__file__).resolve().parents[2]


class PipelineError(RuntimeError):
    """A stage of the local pipeline failed; the message names the stage and the cause."""


@dataclass
class LocalPipeline:
    cloud: LocalCloud
    runtime: LocalRuntime
    observer: EventObserver
    api_url: str
    workdir: Path

    @property
    def raw_bucket(self) -> str:
        return self.cloud.services["ingest"].outputs["RawBucketName"]

    @property
    def processed_bucket(self) -> str:
        return self.cloud.services["etl-trigger"].outputs["ProcessedBucketName"]

    @property
    def models_bucket(self) -> str:
        return self.cloud.services["trainer"].outputs["ModelsBucketName"]

    @property
    def bus_name(self) -> str:
        return self.cloud.services["ingest"].outputs["EventBusName"]

    def upload(self, path: Path, key: str | None = None, progress: Callable[[str], None] | None = None) -> str:
        """Drop a local file into the raw bucket (this is what starts the chain), multipart beyond 64 MiB."""
        from boto3.s3.transfer import TransferConfig

        key = key or path.name
        part = 64 * 1024 * 1024
        config = TransferConfig(multipart_threshold=part, multipart_chunksize=part)
        callback = _upload_progress(path, progress) if progress else None
        self.cloud.client("s3").upload_file(str(path), self.raw_bucket, key, Config=config, Callback=callback)
        return f"s3://{self.raw_bucket}/{key}"

    def run_until(self, condition: Callable[[], bool], timeout: float) -> bool:
        """Deliver events until `condition()` holds; also records the custom events seen."""

        def check() -> bool:
            self.observer.poll()
            return condition()

        return self.runtime.run_until(check, timeout)

    def http(self, method: str, path: str, body: Any = None, timeout: float = 10) -> tuple[int, dict[str, Any]]:
        """Call the local API over HTTP, as an operator would."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.api_url}{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")


def predict_function(cloud: LocalCloud) -> DeployedFunction:
    """The function behind the REST API (the one with `http` events)."""
    for fn in cloud.all_functions():
        if fn.http:
            return fn
    raise PipelineError("no function with http events found in services/predictor/serverless.yml")


def upload_training_source(cloud: LocalCloud) -> str:
    """Build the trainer's source archive and put it where the trainer tells SageMaker to find it."""
    sys.path.insert(0, str(REPO_ROOT / "services" / "trainer" / "scripts"))
    try:
        import build_source_archive
    finally:
        sys.path.pop(0)
    uris = sorted({fn.environment.get("SOURCE_ARCHIVE_URI", "") for fn in cloud.services["trainer"].functions} - {""})
    if not uris:
        raise PipelineError("the trainer functions declare no SOURCE_ARCHIVE_URI")
    data = build_source_archive.build_archive(build_source_archive.collect_sources())
    s3 = cloud.client("s3")
    for uri in uris:
        bucket, key = parse_s3_uri(uri)
        s3.put_object(Bucket=bucket, Key=key, Body=data)
    return uris[0]


def _upload_progress(path: Path, say: Callable[[str], None]) -> Callable[[int], None]:
    """A boto3 transfer callback that reports every 10% of the file (thread-safe: parts go in parallel)."""
    total, sent, reported, lock = path.stat().st_size, [0], [0], threading.Lock()

    def on_bytes(count: int) -> None:
        with lock:
            sent[0] += count
            if sent[0] * 10 // max(total, 1) > reported[0]:
                reported[0] = sent[0] * 10 // max(total, 1)
                say(f"uploaded {sent[0] / 1e9:.1f} of {total / 1e9:.1f} GB of {path.name}")

    return on_bytes


@contextmanager
def start_local_pipeline(
    workdir: Path,
    stage: str = "local",
    on_invocation: Callable[[Invocation], None] | None = None,
    params: dict[str, str] | None = None,
    env_overrides: dict[str, str] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> Iterator[LocalPipeline]:
    """Start moto, deploy every service's resources, wire events, serve the API; stop it all on exit.

    `params` override serverless.yml params (e.g. gateTolerance); `env_overrides` are applied to
    every function's environment (e.g. a quieter POWERTOOLS_LOG_LEVEL for the demo); `on_progress` gets
    what long Glue and SageMaker runs print.
    """
    from airline.serve import start_in_thread

    workdir.mkdir(parents=True, exist_ok=True)
    with moto_server() as endpoint:
        cloud = deploy_services(endpoint, stage, None if params is None else {**LOCAL_PARAMS, **params})
        for fn in cloud.all_functions():
            fn.environment.update(env_overrides or {})
        upload_training_source(cloud)
        runtime = LocalRuntime(cloud, workdir, on_invocation, on_progress)
        observer = EventObserver(cloud, cloud.services["ingest"].outputs["EventBusName"])
        predict_fn = predict_function(cloud)
        server = start_in_thread(lambda event, _context: invoke_function(predict_fn, event))
        host, port = server.server_address[:2]
        try:
            yield LocalPipeline(cloud, runtime, observer, f"http://{host!s}:{port}", workdir)
        finally:
            server.shutdown()
            server.server_close()

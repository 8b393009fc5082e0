"""The local Lambda runtime: delivers events to the real handlers and stands in for Glue and SageMaker.

- SQS subscriptions (`events: - sqs:` in serverless.yml) are polled and delivered as real Lambda
  SQS batch events; `batchItemFailures` are honoured (failed records stay on the queue).
- `eventBridge` subscriptions get a rule with the declared pattern and a private SQS target;
  each event is delivered as the plain EventBridge envelope, as Lambda receives it.
- Glue job runs started by a handler are executed with the embedded engine; SageMaker training
  jobs run the shipped source archive's entry point in a subprocess with the SageMaker contract.
  Both then publish the state-change event AWS would publish, on the default bus.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl_job.s3io import parse_s3_uri

from airline.local.cloud import ACCOUNT_ID, REGION, DeployedFunction, LocalCloud

_ENV_LOCK = threading.RLock()


@dataclass
class Invocation:
    function: str
    ok: bool
    error: str | None
    records: int
    seconds: float


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 1024
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


@contextmanager
def function_environment(env: dict[str, str]) -> Iterator[None]:
    """Run with a function's environment variables set, as its Lambda container would have them."""
    with _ENV_LOCK:
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def invoke_function(fn: DeployedFunction, event: dict[str, Any]) -> Any:
    """Import the function's handler (as Lambda would) and call it with `event`."""
    module_name, attr = fn.spec.module_and_attr
    with function_environment(fn.environment):
        handler = getattr(importlib.import_module(module_name), attr)
        return handler(event, LambdaContext(function_name=f"{fn.spec.service}-{fn.spec.name}"))


def sqs_lambda_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda's SQS event source mapping delivers for a batch of messages."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": {
                    "ApproximateReceiveCount": m.get("Attributes", {}).get("ApproximateReceiveCount", "1"),
                    "SentTimestamp": m.get("Attributes", {}).get("SentTimestamp", str(int(time.time() * 1000))),
                    "SenderId": ACCOUNT_ID,
                    "ApproximateFirstReceiveTimestamp": str(int(time.time() * 1000)),
                },
                "messageAttributes": {},
                "md5OfBody": hashlib.md5(m["Body"].encode()).hexdigest(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
            for m in messages
        ]
    }


def as_aws_envelope(body: str) -> str:
    """moto's EventBridge->SQS delivery omits fields AWS always sets (account, resources); add them."""
    try:
        envelope = json.loads(body)
    except ValueError:
        return body
    if not isinstance(envelope, dict) or "detail-type" not in envelope:
        return body
    missing = {"version": "0", "account": ACCOUNT_ID, "region": REGION, "resources": []}
    if all(key in envelope for key in missing):
        return body
    return json.dumps({**missing, **envelope})


@dataclass
class _Consumer:
    fn: DeployedFunction
    queue_url: str
    queue_arn: str
    batch_size: int
    as_envelope: bool  # eventBridge subscription: deliver the envelope, one per invocation


class LocalRuntime:
    """Delivers queued events to handlers and runs Glue / SageMaker jobs, one step at a time."""

    def __init__(
        self,
        cloud: LocalCloud,
        workdir: Path,
        on_invocation: Callable[[Invocation], None] | None = None,
        on_progress: Callable[[str], None] | None = None,
    ) -> None:
        self.cloud = cloud
        self.workdir = workdir.resolve()
        self.on_invocation = on_invocation or (lambda _inv: None)
        self.on_progress = on_progress or (lambda _line: None)  # what long Glue / SageMaker runs say
        self.sqs = cloud.client("sqs")
        self.events = cloud.client("events")
        self.consumers: list[_Consumer] = []
        self.errors: list[str] = []
        self._seen_glue_runs: set[str] = set()
        self._seen_training_jobs: set[str] = set()
        for fn in cloud.all_functions():
            for queue_url, spec in fn.queue_urls:
                self.consumers.append(
                    _Consumer(fn, queue_url, self._queue_arn(queue_url), int(spec.get("batchSize", 10)), False)
                )
            for index, spec in enumerate(fn.eventbridge):
                self.consumers.append(self._subscribe_eventbridge(fn, index, spec))

    # -- wiring -----------------------------------------------------------------------------
    def _queue_arn(self, queue_url: str) -> str:
        attrs = self.sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        return str(attrs["Attributes"]["QueueArn"])

    def _subscribe_eventbridge(self, fn: DeployedFunction, index: int, spec: dict[str, Any]) -> _Consumer:
        bus = _bus_name(spec.get("eventBus"))
        name = f"local-{fn.spec.service}-{fn.spec.name}-{index}"[:64]
        url = self.sqs.create_queue(QueueName=name)["QueueUrl"]
        arn = self._queue_arn(url)
        self.events.put_rule(Name=name, EventBusName=bus, EventPattern=json.dumps(spec["pattern"]))
        self.events.put_targets(Rule=name, EventBusName=bus, Targets=[{"Id": "local-runtime", "Arn": arn}])
        return _Consumer(fn, url, arn, 1, True)

    # -- delivery ---------------------------------------------------------------------------
    def step(self) -> int:
        """Deliver whatever is waiting, else run the pending Glue runs, else the pending training jobs;
        returns how much work was done."""
        done = sum(self._drain(consumer) for consumer in self.consumers)
        if done:  # jobs run in a step of their own, so a caller waiting for an event sees it before they start
            return done
        return self._run_glue_jobs() or self._run_training_jobs()

    def run_until(self, condition: Callable[[], bool], timeout: float, idle_sleep: float = 0.2) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            if self.step() == 0:
                time.sleep(idle_sleep)
        return condition()

    def _drain(self, consumer: _Consumer) -> int:
        messages = self.sqs.receive_message(
            QueueUrl=consumer.queue_url,
            MaxNumberOfMessages=min(consumer.batch_size, 10),
            AttributeNames=["All"],
            VisibilityTimeout=30,
        ).get("Messages", [])
        if not messages:
            return 0
        for message in messages:
            message["Body"] = as_aws_envelope(message["Body"])
        if consumer.as_envelope:
            for message in messages:
                ok = self._invoke(consumer.fn, json.loads(message["Body"]), 1)
                if ok:
                    self.sqs.delete_message(QueueUrl=consumer.queue_url, ReceiptHandle=message["ReceiptHandle"])
            return len(messages)
        event = sqs_lambda_event(messages, consumer.queue_arn)
        started = time.monotonic()
        try:
            result = invoke_function(consumer.fn, event)
        except Exception as exc:
            self._record(consumer.fn, False, _describe(exc), len(messages), started)
            return len(messages)
        failed = (
            {f["itemIdentifier"] for f in (result or {}).get("batchItemFailures", [])}
            if isinstance(result, dict)
            else set()
        )
        for message in messages:
            if message["MessageId"] not in failed:
                self.sqs.delete_message(QueueUrl=consumer.queue_url, ReceiptHandle=message["ReceiptHandle"])
        error = f"{len(failed)} of {len(messages)} records failed" if failed else None
        self._record(consumer.fn, not failed, error, len(messages), started)
        return len(messages)

    def _invoke(self, fn: DeployedFunction, event: dict[str, Any], records: int) -> bool:
        started = time.monotonic()
        try:
            invoke_function(fn, event)
        except Exception as exc:
            self._record(fn, False, _describe(exc), records, started)
            return False
        self._record(fn, True, None, records, started)
        return True

    def _record(self, fn: DeployedFunction, ok: bool, error: str | None, records: int, started: float) -> None:
        invocation = Invocation(f"{fn.spec.service}.{fn.spec.name}", ok, error, records, time.monotonic() - started)
        if not ok:
            self.errors.append(f"{invocation.function}: {error}")
        self.on_invocation(invocation)

    # -- Glue stand-in ----------------------------------------------------------------------
    def _run_glue_jobs(self) -> int:
        glue = self.cloud.client("glue")
        done = 0
        for job in glue.get_jobs().get("Jobs", []):
            for run in glue.get_job_runs(JobName=job["Name"]).get("JobRuns", []):
                if run["Id"] in self._seen_glue_runs:
                    continue
                self._seen_glue_runs.add(run["Id"])
                self._execute_glue_run(job["Name"], run["Id"], run.get("Arguments", {}))
                done += 1
        return done

    def _execute_glue_run(self, job_name: str, run_id: str, arguments: dict[str, str]) -> None:
        started = time.monotonic()
        try:
            run_glue_job_locally(arguments, self.cloud.client("s3"), lambda line: self.on_progress(f"glue: {line}"))
            state, message, severity = "SUCCEEDED", "Job run succeeded", "INFO"
        except Exception as exc:
            state, message, severity = "FAILED", _describe(exc), "ERROR"
            self.errors.append(f"glue {job_name}: {message}")
        detail = {"jobName": job_name, "severity": severity, "state": state, "jobRunId": run_id, "message": message}
        self._put_aws_event("aws.glue", "Glue Job State Change", detail)
        self.on_invocation(
            Invocation(
                f"glue.{job_name}",
                state == "SUCCEEDED",
                None if state == "SUCCEEDED" else message,
                1,
                time.monotonic() - started,
            )
        )

    # -- SageMaker stand-in -----------------------------------------------------------------
    def _run_training_jobs(self) -> int:
        sagemaker = self.cloud.client("sagemaker")
        done = 0
        for summary in sagemaker.list_training_jobs(MaxResults=100).get("TrainingJobSummaries", []):
            name = summary["TrainingJobName"]
            if name in self._seen_training_jobs:
                continue
            self._seen_training_jobs.add(name)
            self._execute_training_job(sagemaker.describe_training_job(TrainingJobName=name))
            done += 1
        return done

    def _execute_training_job(self, job: dict[str, Any]) -> None:
        name = job["TrainingJobName"]
        output_path = job["OutputDataConfig"]["S3OutputPath"].rstrip("/")
        started = time.monotonic()
        failure: str | None = None
        with tempfile.TemporaryDirectory(dir=self.workdir, prefix="sagemaker-") as tmp:
            try:
                run_training_job_locally(
                    job, Path(tmp), self.cloud.client("s3"), lambda line: self.on_progress(f"sagemaker: {line}")
                )
            except TrainingJobFailed as exc:
                failure = str(exc)
        status = "Failed" if failure else "Completed"
        detail: dict[str, Any] = {
            "TrainingJobName": name,
            "TrainingJobArn": job.get("TrainingJobArn", f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}:training-job/{name}"),
            "TrainingJobStatus": status,
            "SecondaryStatus": status,
            "HyperParameters": job.get("HyperParameters", {}),
            "OutputDataConfig": {"S3OutputPath": output_path},
            "CreationTime": int(time.time() * 1000),
        }
        if failure:
            detail["FailureReason"] = failure
            self.errors.append(f"sagemaker {name}: {failure}")
        else:
            detail["ModelArtifacts"] = {"S3ModelArtifacts": f"{output_path}/{name}/output/model.tar.gz"}
        self._put_aws_event("aws.sagemaker", "SageMaker Training Job State Change", detail, [detail["TrainingJobArn"]])
        self.on_invocation(Invocation(f"sagemaker.{name}", not failure, failure, 1, time.monotonic() - started))

    def _put_aws_event(
        self, source: str, detail_type: str, detail: dict[str, Any], resources: list[str] | None = None
    ) -> None:
        self.events.put_events(
            Entries=[
                {
                    "Source": source,
                    "DetailType": detail_type,
                    "Detail": json.dumps(detail),
                    "Resources": resources or [],
                }
            ]
        )


def run_glue_job_locally(arguments: dict[str, str], s3: Any, progress: Callable[[str], None] | None = None) -> None:
    """Run a recorded Glue job run with the embedded engine: the job's own argument parsing, input
    download, feature build (DuckDB instead of Spark) and snapshot publish (`glue_main.run_local_job`)."""
    from etl_job.glue_main import resolve_arguments, run_local_job

    argv = [item for pair in arguments.items() for item in pair]
    run_local_job(resolve_arguments(["glue_main.py", *argv]), None, s3, engine="duckdb", progress=progress)


def _run_streaming(args: list[str], cwd: Path, env: dict[str, str], progress: Callable[[str], None]) -> tuple[int, str]:
    """Run the training container's command, passing each line it prints to `progress`; (exit code, last line)."""
    last = ""
    with subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip():
                last = line.strip()
                progress(last)
    return proc.returncode, last


class TrainingJobFailed(RuntimeError):
    """The training container exited non-zero; the message is its failure file (as SageMaker reports)."""


def run_training_job_locally(
    job: dict[str, Any], workdir: Path, s3: Any, progress: Callable[[str], None] | None = None
) -> Path:
    """Run a recorded CreateTrainingJob the way the SageMaker scikit-learn container would.

    Downloads the `sagemaker_submit_directory` archive and the `train` channel, runs
    `sagemaker_program` with the hyperparameters as `--name value`, and uploads SM_MODEL_DIR as
    `<output>/<job>/output/model.tar.gz`. Raises TrainingJobFailed with the failure file's text.
    """
    workdir = workdir.resolve()
    hyper = dict(job.get("HyperParameters", {}))
    program = _hyper_value(hyper.pop("sagemaker_program", "train.py"))
    source_uri = _hyper_value(hyper.pop("sagemaker_submit_directory", ""))
    if not source_uri:
        raise TrainingJobFailed("HyperParameters.sagemaker_submit_directory is missing")
    code_dir, channel_dir, model_dir, output_dir = (
        workdir / p for p in ("code", "input/data/train", "model", "output")
    )
    for path in (code_dir, channel_dir, model_dir, output_dir / "data"):
        path.mkdir(parents=True, exist_ok=True)
    archive = workdir / "sourcedir.tar.gz"
    _download(s3, source_uri, archive)
    with tarfile.open(archive) as tar:
        tar.extractall(code_dir, filter="data")
    channel = next(c for c in job["InputDataConfig"] if c["ChannelName"] == "train")
    download_prefix(s3, channel["DataSource"]["S3DataSource"]["S3Uri"], channel_dir)
    args = [sys.executable, str(code_dir / program)]
    for key, value in hyper.items():
        if not key.startswith("sagemaker_"):
            args += [f"--{key}", str(_hyper_value(value))]
    env = {
        **os.environ,
        "SM_CHANNEL_TRAIN": str(channel_dir),
        "SM_MODEL_DIR": str(model_dir),
        "SM_OUTPUT_DATA_DIR": str(output_dir / "data"),
        "SM_FAILURE_FILE": str(output_dir / "failure"),
        "SM_HPS": json.dumps({k: _hyper_value(v) for k, v in hyper.items()}),
        "PYTHONPATH": str(code_dir),
    }
    env.pop("AWS_ENDPOINT_URL", None)  # the container reads local files only
    returncode, last_line = _run_streaming(args, code_dir, env, progress or (lambda _line: None))
    if returncode != 0:
        failure_file = output_dir / "failure"
        reason = failure_file.read_text().strip() if failure_file.exists() else last_line or "no output"
        raise TrainingJobFailed(reason[:1024])
    model_tar = workdir / "model.tar.gz"
    with tarfile.open(model_tar, "w:gz") as tar:
        for path in sorted(model_dir.rglob("*")):
            if path.is_file():
                tar.add(path, arcname=str(path.relative_to(model_dir)))
    output_uri = f"{job['OutputDataConfig']['S3OutputPath'].rstrip('/')}/{job['TrainingJobName']}/output/model.tar.gz"
    bucket, key = parse_s3_uri(output_uri)
    s3.upload_file(str(model_tar), bucket, key)
    return model_tar


def _hyper_value(value: Any) -> Any:
    """SageMaker SDKs JSON-encode hyperparameter values; the container decodes them."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _download(s3: Any, uri: str, dest: Path) -> None:
    bucket, key = parse_s3_uri(uri)
    s3.download_file(bucket, key, str(dest))


def download_prefix(s3: Any, uri: str, dest: Path) -> None:
    """Download every object under an s3:// prefix into dest, keeping relative paths."""
    bucket, prefix = parse_s3_uri(uri)
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            relative = obj["Key"][len(prefix) :].lstrip("/")
            if not relative or relative.endswith("/"):
                continue
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, obj["Key"], str(target))


def _bus_name(bus: Any) -> str:
    if not bus:
        return "default"
    text = str(bus)
    return text.rsplit("/", 1)[-1] if text.startswith("arn:") else text


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"

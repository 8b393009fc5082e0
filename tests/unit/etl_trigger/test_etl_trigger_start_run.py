"""Starting runs: batching, the single-run lock, Glue concurrency, carriers-only and schedule rules."""

from collections.abc import Callable

import pytest
from airline_shared.events import RawFileAccepted
from airline_shared.raw_formats import RawFormat
from etl_trigger.logic import accept_raw_files, handle_raw_files_accepted, handle_schedule, settle_glue_run
from etl_trigger.logic.errors import InvalidEventError
from etl_trigger.models.events import GlueJobStateChange
from etl_trigger.models.runs import FileStatus
from etl_trigger_fakes import BUCKET, JOB, World, write_summary
from helpers import load_event

Make = Callable[..., RawFileAccepted]


def finish(world: World, job_run_id: str, state: str = "SUCCEEDED") -> None:
    """Glue finishes the run and its state-change event is settled."""
    world.glue.finish(job_run_id)
    run_id = world.glue.arguments[job_run_id]["--run_id"]
    if state == "SUCCEEDED":
        write_summary(world, run_id)
    settle_glue_run(GlueJobStateChange(job_name=JOB, job_run_id=job_run_id, state=state, message="boom"), world.deps)


def test_files_of_one_batch_start_a_single_run_over_all_of_them(world: World, accepted_file: Make) -> None:
    # Given three files delivered in one SQS batch
    batch = [
        accepted_file("a.csv"),
        accepted_file("b.zip", RawFormat.BTS),
        accepted_file("carriers.csv", RawFormat.CARRIERS),
    ]

    # When the batch is accepted
    outcome = accept_raw_files(batch, world.deps)

    # Then exactly one Glue run starts, listing every file in its inputs.json
    assert outcome.start.started and outcome.recorded == 3
    assert len(world.glue.started) == 1
    assert world.objects.objects[outcome.start.inputs_uri] == [
        "s3://airline-dev-raw/a.csv", "s3://airline-dev-raw/b.zip", "s3://airline-dev-raw/carriers.csv",
    ]  # fmt: skip


def test_run_gets_the_glue_contract_arguments(world: World, accepted_file: Make) -> None:
    # Given one accepted file
    # When it is accepted
    outcome = accept_raw_files([accepted_file("a.csv")], world.deps)

    # Then the job gets run id, inputs list and features root per the Glue contract
    run_id = outcome.start.run_id
    assert world.glue.started == [
        (JOB, {
            "--run_id": run_id,
            "--inputs_uri": f"s3://{BUCKET}/runs/{run_id}/inputs.json",
            "--features_root": f"s3://{BUCKET}/features/",
        })
    ]  # fmt: skip


def test_files_arriving_while_a_run_is_in_flight_stay_pending(world: World, accepted_file: Make) -> None:
    # Given a run in flight
    accept_raw_files([accepted_file("a.csv")], world.deps)

    # When another file arrives
    outcome = accept_raw_files([accepted_file("b.csv")], world.deps)

    # Then no second run starts and the file waits as pending
    assert outcome.start.reason == "run_in_flight"
    assert len(world.glue.started) == 1
    assert world.runs.files["s3://airline-dev-raw/b.csv"].status is FileStatus.PENDING


def test_files_in_the_started_run_are_marked_running(world: World, accepted_file: Make) -> None:
    # Given / When a file starts a run
    outcome = accept_raw_files([accepted_file("a.csv")], world.deps)

    # Then the file belongs to that run
    f = world.runs.files["s3://airline-dev-raw/a.csv"]
    assert (f.status, f.run_id) == (FileStatus.RUNNING, outcome.start.run_id)


def test_redelivered_event_after_a_good_run_starts_nothing(world: World, accepted_file: Make) -> None:
    # Given a file whose run succeeded
    first = accept_raw_files([accepted_file("a.csv")], world.deps)
    assert first.start.job_run_id is not None
    finish(world, first.start.job_run_id)

    # When the same RawFileAccepted is delivered again
    again = accept_raw_files([accepted_file("a.csv")], world.deps)

    # Then it is a duplicate and no run starts
    assert (again.duplicates, again.start.reason) == (1, "nothing_pending")
    assert len(world.glue.started) == 1


def test_file_overwritten_with_a_new_etag_starts_a_new_run(world: World, accepted_file: Make) -> None:
    # Given a file whose run succeeded
    first = accept_raw_files([accepted_file("a.csv", etag="v1")], world.deps)
    assert first.start.job_run_id is not None
    finish(world, first.start.job_run_id)

    # When the same key is accepted with new content
    again = accept_raw_files([accepted_file("a.csv", etag="v2")], world.deps)

    # Then a new run starts
    assert again.start.started
    assert len(world.glue.started) == 2


def test_carriers_lookup_alone_does_not_start_a_run(world: World, accepted_file: Make) -> None:
    # Given / When only a carriers lookup is accepted
    outcome = accept_raw_files([accepted_file("carriers.csv", RawFormat.CARRIERS)], world.deps)

    # Then nothing starts (the features do not depend on it) and it stays pending
    assert (outcome.start.started, outcome.start.reason) == (False, "nothing_pending")
    assert world.runs.files["s3://airline-dev-raw/carriers.csv"].status is FileStatus.PENDING


def test_glue_concurrency_limit_leaves_files_pending_and_frees_the_lock(world: World, accepted_file: Make) -> None:
    # Given Glue already runs the job (started outside this service)
    world.glue.running.add("jr_manual")

    # When a file is accepted
    outcome = accept_raw_files([accepted_file("a.csv")], world.deps)

    # Then the start is refused, the file stays pending and the lock is free for the next attempt
    assert outcome.start.reason == "glue_concurrency_limit"
    assert world.runs.files["s3://airline-dev-raw/a.csv"].status is FileStatus.PENDING
    assert world.runs.lock is None


def test_unexpected_glue_error_propagates_and_frees_the_lock(world: World, accepted_file: Make) -> None:
    # Given Glue fails for a reason other than concurrency
    world.glue.fail_with = RuntimeError("AccessDeniedException")

    # When a file is accepted, Then the error propagates (SQS retries) and nothing stays locked
    with pytest.raises(RuntimeError, match="AccessDenied"):
        accept_raw_files([accepted_file("a.csv")], world.deps)
    assert world.runs.lock is None
    assert world.runs.files["s3://airline-dev-raw/a.csv"].status is FileStatus.PENDING


def test_expired_lock_is_taken_over(world: World, accepted_file: Make) -> None:
    # Given a run whose state-change event was lost, older than the lock TTL, and Glue idle
    first = accept_raw_files([accepted_file("a.csv")], world.deps)
    assert first.start.job_run_id is not None
    world.glue.finish(first.start.job_run_id)
    world.clock.advance(minutes=361)

    # When a new file arrives
    outcome = accept_raw_files([accepted_file("b.csv")], world.deps)

    # Then a new run starts
    assert outcome.start.started


def test_schedule_starts_nothing_when_every_file_is_published(world: World, accepted_file: Make) -> None:
    # Given a good run over every file
    first = accept_raw_files([accepted_file("a.csv")], world.deps)
    assert first.start.job_run_id is not None
    finish(world, first.start.job_run_id)

    # When the daily schedule fires
    outcome = handle_schedule(world.deps)

    # Then no run starts
    assert outcome.reason == "nothing_pending"
    assert len(world.glue.started) == 1


def test_schedule_retries_files_whose_run_failed(world: World, accepted_file: Make) -> None:
    # Given a failed run
    first = accept_raw_files([accepted_file("a.csv")], world.deps)
    assert first.start.job_run_id is not None
    finish(world, first.start.job_run_id, "FAILED")

    # When the daily schedule fires
    outcome = handle_schedule(world.deps)

    # Then the files run again
    assert outcome.started
    assert len(world.glue.started) == 2


def test_failed_run_is_not_retried_by_the_next_file_event_alone(world: World, accepted_file: Make) -> None:
    # Given a failed run
    first = accept_raw_files([accepted_file("a.csv")], world.deps)
    assert first.start.job_run_id is not None
    finish(world, first.start.job_run_id, "FAILED")

    # When the same event is redelivered
    again = accept_raw_files([accepted_file("a.csv")], world.deps)

    # Then no retry loop starts (the schedule or a new file retries)
    assert again.start.reason == "nothing_pending"


def test_envelope_entry_point_accepts_real_event_fixture(world: World) -> None:
    # Given the RawFileAccepted envelope as EventBridge delivers it
    envelope = load_event("raw_file_accepted")

    # When the local-cloud entry point handles it
    outcome = handle_raw_files_accepted([envelope], world.deps)

    # Then a run starts for that file
    assert outcome.start.started
    assert "s3://airline-dev-raw/drops/airline.csv.shuffle" in world.runs.files


def test_envelope_with_wrong_detail_is_rejected_with_the_field_named(world: World) -> None:
    # Given an envelope whose detail lacks the etag
    envelope = load_event("raw_file_accepted")
    del envelope["detail"]["etag"]

    # When / Then it is refused, naming the missing field, and nothing is recorded
    with pytest.raises(InvalidEventError, match="etag"):
        handle_raw_files_accepted([envelope], world.deps)
    assert world.runs.files == {}

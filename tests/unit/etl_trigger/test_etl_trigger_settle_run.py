"""Settling Glue state changes: FeaturesReady / EtlFailed, lock release, the next pending run."""

from collections.abc import Callable

import pytest
from airline_shared.events import EtlFailed, FeaturesReady, RawFileAccepted
from etl_trigger.logic import accept_raw_files, handle_glue_state_change
from etl_trigger.logic.errors import InvalidEventError
from etl_trigger.models.runs import FileStatus, RunStatus
from etl_trigger_fakes import BUCKET, World, glue_change, write_summary
from helpers import load_event

Make = Callable[..., RawFileAccepted]


def started_run(world: World, accepted_file: Make, *keys: str) -> tuple[str, str]:
    """Accept files and return the (run_id, job_run_id) of the run they started."""
    outcome = accept_raw_files([accepted_file(k) for k in keys or ("a.csv",)], world.deps)
    assert outcome.start.run_id is not None and outcome.start.job_run_id is not None
    return outcome.start.run_id, outcome.start.job_run_id


def test_success_emits_features_ready_from_the_run_summary(world: World, accepted_file: Make) -> None:
    # Given a run whose job wrote its summary
    run_id, job_run_id = started_run(world, accepted_file)
    write_summary(world, run_id)

    # When Glue reports SUCCEEDED
    outcome = handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then FeaturesReady carries the snapshot location, partitions and row counts
    assert outcome.action == "features_ready"
    [event] = world.events.published
    assert isinstance(event, FeaturesReady)
    assert event.features_uri == f"s3://{BUCKET}/features/snapshots/{run_id}/"
    assert (event.rows_read, event.rows_written) == (1200, 1100)
    assert event.partitions == ["year=2008/month=01", "year=2008/month=02"]
    assert event.input_files == ["s3://airline-dev-raw/a.csv"]
    assert (event.run_id, event.job_run_id) == (run_id, job_run_id)


def test_success_points_the_features_table_at_the_new_snapshot(world: World, accepted_file: Make) -> None:
    # Given a run with its summary
    run_id, job_run_id = started_run(world, accepted_file)
    write_summary(world, run_id)

    # When it succeeds
    handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then Athena's table now reads that snapshot
    assert world.catalog.locations == [f"s3://{BUCKET}/features/snapshots/{run_id}/"]


def test_success_publishes_the_files_and_frees_the_lock(world: World, accepted_file: Make) -> None:
    # Given a run in flight
    run_id, job_run_id = started_run(world, accepted_file)
    write_summary(world, run_id)

    # When it succeeds
    handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then its files are published, its record finished and the lock free
    assert world.runs.files["s3://airline-dev-raw/a.csv"].status is FileStatus.PUBLISHED
    assert world.runs.runs[run_id].status is RunStatus.SUCCEEDED
    assert world.runs.lock is None


def test_success_starts_the_next_run_for_files_that_waited(world: World, accepted_file: Make) -> None:
    # Given a run in flight and a file that arrived meanwhile
    run_id, job_run_id = started_run(world, accepted_file, "a.csv")
    accept_raw_files([accepted_file("b.csv")], world.deps)
    write_summary(world, run_id)
    world.glue.finish(job_run_id)

    # When the first run succeeds
    outcome = handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then the next run starts over every file (a full recompute)
    assert outcome.next_run is not None and outcome.next_run.started
    assert world.objects.objects[outcome.next_run.inputs_uri] == [
        "s3://airline-dev-raw/a.csv",
        "s3://airline-dev-raw/b.csv",
    ]
    assert world.runs.files["s3://airline-dev-raw/b.csv"].status is FileStatus.RUNNING


def test_success_with_nothing_waiting_starts_no_run(world: World, accepted_file: Make) -> None:
    # Given a single run in flight
    run_id, job_run_id = started_run(world, accepted_file)
    write_summary(world, run_id)

    # When it succeeds
    outcome = handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then no further run starts
    assert outcome.next_run is not None and outcome.next_run.reason == "nothing_pending"
    assert len(world.glue.started) == 1


def test_failure_emits_etl_failed_with_glue_message_as_reason(world: World, accepted_file: Make) -> None:
    # Given a run in flight
    run_id, job_run_id = started_run(world, accepted_file)

    # When Glue reports FAILED with its error
    outcome = handle_glue_state_change(
        glue_change(job_run_id, "FAILED", message="AnalysisException: no such path"), world.deps
    )

    # Then EtlFailed names the run, the state, the reason and the inputs
    assert outcome.action == "etl_failed"
    [event] = world.events.published
    assert isinstance(event, EtlFailed)
    assert (event.run_id, event.state, event.reason) == (run_id, "FAILED", "AnalysisException: no such path")
    assert event.input_files == ["s3://airline-dev-raw/a.csv"]


@pytest.mark.parametrize("state", ["TIMEOUT", "STOPPED"])
def test_timeout_and_stop_emit_etl_failed_with_that_state(world: World, accepted_file: Make, state: str) -> None:
    # Given a run in flight
    _, job_run_id = started_run(world, accepted_file)

    # When Glue reports it ended in that state
    handle_glue_state_change(glue_change(job_run_id, state, message=f"Job run {state.lower()}"), world.deps)

    # Then EtlFailed carries that state
    [event] = world.events.published
    assert isinstance(event, EtlFailed) and event.state == state


def test_failure_without_message_still_gives_a_reason(world: World, accepted_file: Make) -> None:
    # Given a run in flight
    _, job_run_id = started_run(world, accepted_file)

    # When Glue reports FAILED without a message
    handle_glue_state_change(glue_change(job_run_id, "FAILED"), world.deps)

    # Then the reason says what happened
    [event] = world.events.published
    assert isinstance(event, EtlFailed) and "FAILED" in event.reason


def test_failure_frees_the_lock_and_marks_files_failed(world: World, accepted_file: Make) -> None:
    # Given a run in flight
    run_id, job_run_id = started_run(world, accepted_file)

    # When it fails
    handle_glue_state_change(glue_change(job_run_id, "FAILED", message="boom"), world.deps)

    # Then the lock is free, the run recorded as failed, its files failed (no catalog change)
    assert world.runs.lock is None
    assert world.runs.runs[run_id].status is RunStatus.FAILED
    assert world.runs.files["s3://airline-dev-raw/a.csv"].status is FileStatus.FAILED
    assert world.catalog.locations == []


def test_success_without_run_summary_is_reported_as_etl_failed(world: World, accepted_file: Make) -> None:
    # Given a run that reports success but wrote no summary
    run_id, job_run_id = started_run(world, accepted_file)

    # When Glue reports SUCCEEDED
    handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then EtlFailed (state ERROR) names the missing summary and the table is not repointed
    [event] = world.events.published
    assert isinstance(event, EtlFailed) and event.state == "ERROR"
    assert f"features/snapshots/{run_id}/_run_summary.json" in event.reason
    assert world.catalog.locations == []


def test_invalid_run_summary_is_reported_as_etl_failed(world: World, accepted_file: Make) -> None:
    # Given a summary without row counts
    run_id, job_run_id = started_run(world, accepted_file)
    world.objects.objects[f"s3://{BUCKET}/features/snapshots/{run_id}/_run_summary.json"] = {"partitions": []}

    # When Glue reports SUCCEEDED
    handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then EtlFailed says the summary is invalid and which field
    [event] = world.events.published
    assert isinstance(event, EtlFailed) and "rows_read" in event.reason


def test_running_state_is_ignored(world: World, accepted_file: Make) -> None:
    # Given a run in flight
    _, job_run_id = started_run(world, accepted_file)

    # When Glue reports RUNNING
    outcome = handle_glue_state_change(glue_change(job_run_id, "RUNNING"), world.deps)

    # Then nothing is emitted and the lock stays held
    assert outcome.action == "ignored"
    assert world.events.published == []
    assert world.runs.lock is not None


def test_other_jobs_are_ignored(world: World, accepted_file: Make) -> None:
    # Given our run in flight
    started_run(world, accepted_file)

    # When another Glue job fails
    outcome = handle_glue_state_change(glue_change("jr_other", "FAILED", job="someone-elses-job"), world.deps)

    # Then nothing is emitted and our lock stays held
    assert outcome.action == "ignored"
    assert world.events.published == []
    assert world.runs.lock is not None


def test_redelivered_state_change_emits_once(world: World, accepted_file: Make) -> None:
    # Given a settled successful run
    run_id, job_run_id = started_run(world, accepted_file)
    write_summary(world, run_id)
    handle_glue_state_change(glue_change(job_run_id), world.deps)

    # When EventBridge delivers the same state change again
    outcome = handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then it is recognised as a duplicate and no second event is emitted
    assert outcome.action == "duplicate"
    assert len(world.events.published) == 1


def test_real_failed_fixture_parses(world: World) -> None:
    # Given / When the real FAILED fixture is parsed through the entry point for an unknown job run
    envelope = load_event("glue_job_state_change_failed")
    envelope["detail"]["jobName"] = "someone-elses-job"
    outcome = handle_glue_state_change(envelope, world.deps)

    # Then it parses and is ignored as not ours
    assert outcome.action == "ignored"


def test_envelope_from_another_source_is_rejected(world: World) -> None:
    # Given a RawFileAccepted envelope sent to the Glue entry point
    # When / Then it is refused with a clear error
    with pytest.raises(InvalidEventError, match="Glue Job State Change"):
        handle_glue_state_change(load_event("raw_file_accepted"), world.deps)

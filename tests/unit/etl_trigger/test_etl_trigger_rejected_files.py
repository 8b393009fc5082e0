"""Files a run leaves out (unreadable for the ETL, or deleted after acceptance): quarantined, excluded, named."""

from collections.abc import Callable

from airline_shared.events import EtlFailed, FeaturesReady, RawFileAccepted, RejectedRawFile
from etl_trigger.logic import accept_raw_files, handle_glue_state_change, handle_schedule
from etl_trigger.models.runs import FileStatus
from etl_trigger_fakes import World, glue_change, write_summary

Make = Callable[..., RawFileAccepted]
RAW = "s3://airline-dev-raw"
BAD_ROWS = "line 1234: expected 29 fields, found 31"


def run_to_success(world: World, accepted_file: Make, *keys: str, rejected: list[dict] | None = None) -> str:
    """Accept `keys`, let the run they start succeed with `rejected` in its summary; returns its run id."""
    outcome = accept_raw_files([accepted_file(k) for k in keys], world.deps)
    run_id, job_run_id = outcome.start.run_id, outcome.start.job_run_id
    assert run_id is not None and job_run_id is not None
    write_summary(world, run_id, rejected_files=rejected or [])
    world.glue.finish(job_run_id)
    handle_glue_state_change(glue_change(job_run_id), world.deps)
    return run_id


def next_run_inputs(world: World, accepted_file: Make, key: str) -> list[str]:
    """Accept one more file and return the inputs of the run it starts."""
    outcome = accept_raw_files([accepted_file(key)], world.deps)
    assert outcome.start.started, outcome.start
    return world.objects.objects[outcome.start.inputs_uri]


def test_deleted_accepted_file_does_not_fail_the_next_run_start(world: World, accepted_file: Make) -> None:
    # Given a published file that was then deleted from the raw bucket
    run_to_success(world, accepted_file, "a.csv", "b.csv")
    world.raw_files.deleted.add(f"{RAW}/a.csv")

    # When a new file starts the next run
    outcome = accept_raw_files([accepted_file("c.csv")], world.deps)

    # Then the run starts without the deleted file, which is recorded as missing with a reason note
    assert outcome.start.started and outcome.start.dropped_files == [f"{RAW}/a.csv"]
    assert world.objects.objects[outcome.start.inputs_uri] == [f"{RAW}/b.csv", f"{RAW}/c.csv"]
    missing = world.runs.files[f"{RAW}/a.csv"]
    assert missing.status is FileStatus.MISSING and "no longer exists" in (missing.reason or "")
    note = world.raw_files.notes["quarantine/a.csv.reason.json"]
    assert (note.code, note.quarantine_uri, note.original_kept) == ("missing", None, False)


def test_deleted_file_is_named_in_the_next_features_ready(world: World, accepted_file: Make) -> None:
    # Given a run that started after one of its files was deleted
    run_to_success(world, accepted_file, "a.csv")
    world.raw_files.deleted.add(f"{RAW}/a.csv")
    world.events.published.clear()

    # When the next run (started by b.csv) succeeds
    run_to_success(world, accepted_file, "b.csv")

    # Then its FeaturesReady names the deleted file, with nothing quarantined
    [event] = world.events.published
    assert isinstance(event, FeaturesReady)
    assert [(r.file, r.quarantine_key) for r in event.rejected_files] == [(f"{RAW}/a.csv", None)]


def test_only_deleted_files_waiting_starts_no_run_and_frees_the_lock(world: World, accepted_file: Make) -> None:
    # Given a run in flight, and a file that arrived meanwhile and was then deleted
    first = accept_raw_files([accepted_file("a.csv")], world.deps).start
    assert first.run_id is not None and first.job_run_id is not None
    accept_raw_files([accepted_file("b.csv")], world.deps)
    world.raw_files.deleted.add(f"{RAW}/b.csv")
    write_summary(world, first.run_id)
    world.glue.finish(first.job_run_id)

    # When the first run succeeds and looks for the next one
    outcome = handle_glue_state_change(glue_change(first.job_run_id), world.deps)

    # Then nothing starts, the deleted file is out for good and the lock is free
    assert outcome.next_run is not None
    assert (outcome.next_run.started, outcome.next_run.reason) == (False, "nothing_pending")
    assert outcome.next_run.dropped_files == [f"{RAW}/b.csv"]
    assert world.runs.files[f"{RAW}/b.csv"].status is FileStatus.MISSING
    assert world.runs.lock is None and len(world.glue.started) == 1


def test_rejected_file_from_the_run_summary_is_quarantined_with_reason_and_row(
    world: World, accepted_file: Make
) -> None:
    # Given a run whose summary says it left b.csv out
    run_id = run_to_success(
        world, accepted_file, "a.csv", "b.csv", rejected=[{"file": f"{RAW}/b.csv", "reason": BAD_ROWS, "row": 1234}]
    )

    # Then b.csv (that etag) is copied to quarantine/ beside a reason note, and marked rejected
    assert world.raw_files.copies == {"quarantine/b.csv": (f"{RAW}/b.csv", "etag-1")}
    note = world.raw_files.notes["quarantine/b.csv.reason.json"]
    assert (note.code, note.reason, note.row, note.run_id) == ("etl_rejected", BAD_ROWS, 1234, run_id)
    assert note.quarantine_uri == f"{RAW}/quarantine/b.csv" and note.original_kept
    assert world.runs.files[f"{RAW}/b.csv"].status is FileStatus.REJECTED
    assert world.runs.files[f"{RAW}/a.csv"].status is FileStatus.PUBLISHED


def test_rejected_file_is_named_in_features_ready(world: World, accepted_file: Make) -> None:
    # Given a run that left b.csv out
    run_to_success(
        world, accepted_file, "a.csv", "b.csv", rejected=[{"file": f"{RAW}/b.csv", "reason": BAD_ROWS, "row": 1234}]
    )

    # Then FeaturesReady names it with its reason, row and quarantine key
    [event] = world.events.published
    assert isinstance(event, FeaturesReady)
    assert event.rejected_files == [
        RejectedRawFile(file=f"{RAW}/b.csv", reason=BAD_ROWS, row=1234, quarantine_key="quarantine/b.csv")
    ]


def test_rejected_file_is_excluded_from_later_runs(world: World, accepted_file: Make) -> None:
    # Given a run that left b.csv out
    run_to_success(world, accepted_file, "a.csv", "b.csv", rejected=[{"file": f"{RAW}/b.csv", "reason": BAD_ROWS}])

    # When new files start later runs (and the schedule retries what is not published)
    inputs = next_run_inputs(world, accepted_file, "c.csv")

    # Then b.csv is never an input again
    assert inputs == [f"{RAW}/a.csv", f"{RAW}/c.csv"]


def test_schedule_does_not_retry_a_rejected_file(world: World, accepted_file: Make) -> None:
    # Given the only new file of a run was rejected by it
    run_to_success(world, accepted_file, "a.csv")
    run_to_success(world, accepted_file, "b.csv", rejected=[{"file": f"{RAW}/b.csv", "reason": BAD_ROWS}])

    # When the daily schedule looks for work
    outcome = handle_schedule(world.deps)

    # Then there is none: a rejected file is not "not yet published"
    assert (outcome.started, outcome.reason) == (False, "nothing_pending")


def test_rejected_file_uploaded_again_with_new_content_runs_again(world: World, accepted_file: Make) -> None:
    # Given b.csv was rejected by a run
    run_to_success(world, accepted_file, "a.csv", "b.csv", rejected=[{"file": f"{RAW}/b.csv", "reason": BAD_ROWS}])

    # When a fixed b.csv (new etag) is accepted
    outcome = accept_raw_files([accepted_file("b.csv", etag="etag-2")], world.deps)

    # Then it is pending again and the next run reads it
    assert outcome.start.started
    assert f"{RAW}/b.csv" in world.objects.objects[outcome.start.inputs_uri]
    assert world.runs.files[f"{RAW}/b.csv"].reason is None


def test_failed_run_quarantines_and_names_its_rejected_files_in_etl_failed(world: World, accepted_file: Make) -> None:
    # Given a run that wrote a summary naming a rejected file, then failed
    outcome = accept_raw_files([accepted_file("a.csv"), accepted_file("b.csv")], world.deps)
    run_id, job_run_id = outcome.start.run_id, outcome.start.job_run_id
    assert run_id is not None and job_run_id is not None
    write_summary(world, run_id, rejected_files=[{"file": f"{RAW}/b.csv", "reason": BAD_ROWS, "row": 7}])

    # When Glue reports FAILED
    handle_glue_state_change(glue_change(job_run_id, state="FAILED", message="boom"), world.deps)

    # Then EtlFailed names the file, which is quarantined and out of later runs; the others failed
    [event] = world.events.published
    assert isinstance(event, EtlFailed)
    assert [(r.file, r.row, r.quarantine_key) for r in event.rejected_files] == [
        (f"{RAW}/b.csv", 7, "quarantine/b.csv")
    ]
    assert world.runs.files[f"{RAW}/b.csv"].status is FileStatus.REJECTED
    assert world.runs.files[f"{RAW}/a.csv"].status is FileStatus.FAILED


def test_rejected_file_already_deleted_gets_only_a_note(world: World, accepted_file: Make) -> None:
    # Given the run reports a file that was deleted while it ran
    outcome = accept_raw_files([accepted_file("a.csv"), accepted_file("b.csv")], world.deps)
    run_id, job_run_id = outcome.start.run_id, outcome.start.job_run_id
    assert run_id is not None and job_run_id is not None
    world.raw_files.deleted.add(f"{RAW}/b.csv")
    reason = f"{RAW}/b.csv no longer exists"
    write_summary(world, run_id, rejected_files=[{"file": f"{RAW}/b.csv", "reason": reason}])

    # When the run succeeds
    handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then nothing is copied, a note records it and the file is missing
    assert world.raw_files.copies == {}
    assert world.raw_files.notes["quarantine/b.csv.reason.json"].code == "missing"
    assert world.runs.files[f"{RAW}/b.csv"].status is FileStatus.MISSING


def test_rejected_file_overwritten_since_is_not_quarantined(world: World, accepted_file: Make) -> None:
    # Given the run reports a file whose key was overwritten (new version accepted) while it ran
    outcome = accept_raw_files([accepted_file("a.csv"), accepted_file("b.csv")], world.deps)
    run_id, job_run_id = outcome.start.run_id, outcome.start.job_run_id
    assert run_id is not None and job_run_id is not None
    world.raw_files.overwritten.add(f"{RAW}/b.csv")
    accept_raw_files([accepted_file("b.csv", etag="etag-2")], world.deps)
    write_summary(world, run_id, rejected_files=[{"file": f"{RAW}/b.csv", "reason": BAD_ROWS}])

    # When the run succeeds
    handle_glue_state_change(glue_change(job_run_id), world.deps)

    # Then the new version is left alone: pending, not quarantined
    assert world.raw_files.copies == {}
    assert world.runs.files[f"{RAW}/b.csv"].status is FileStatus.PENDING


def test_summary_naming_a_file_the_run_was_not_given_touches_nothing(world: World, accepted_file: Make) -> None:
    # Given a summary that names an object outside the run's inputs
    run_to_success(world, accepted_file, "a.csv", rejected=[{"file": f"{RAW}/secret.csv", "reason": "odd"}])

    # Then it is named in FeaturesReady but nothing is copied or marked
    [event] = world.events.published
    assert isinstance(event, FeaturesReady)
    assert [(r.file, r.quarantine_key) for r in event.rejected_files] == [(f"{RAW}/secret.csv", None)]
    assert world.raw_files.copies == {} and world.raw_files.notes == {}

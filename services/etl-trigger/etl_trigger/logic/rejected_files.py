"""Files a run left out: quarantined like ingest does (copy + reason, original kept) and kept out of later runs.

Two sources: a file deleted from the raw bucket after it was accepted (found by HeadObject before a run
starts, or reported by the run), and a file the Glue job could not read (`rejected_files` of its summary).
"""

from collections.abc import Mapping, Sequence

from airline_shared.events import RejectedRawFile, split_s3_uri

from etl_trigger.logic.ports import TriggerDeps
from etl_trigger.models.runs import AcceptedFile, FileStatus, QuarantineNote, SummaryRejectedFile


def drop_missing_inputs(
    files: Sequence[AcceptedFile], run_id: str, deps: TriggerDeps
) -> tuple[list[AcceptedFile], list[RejectedRawFile]]:
    """Split accepted files into those still in the raw bucket and those deleted since (recorded as MISSING
    with a reason note in quarantine/, so no run ever lists them again). S3 errors other than 404 propagate."""
    present: list[AcceptedFile] = []
    dropped: list[RejectedRawFile] = []
    for file in files:
        if deps.raw_files.exists(file.uri):
            present.append(file)
            continue
        reason = f"{file.uri} no longer exists (deleted after it was accepted); runs from {run_id} on leave it out"
        dropped.append(_record_missing(SummaryRejectedFile(file=file.uri, reason=reason), file.etag, run_id, deps))
    return present, dropped


def settle_rejected_files(
    entries: Sequence[SummaryRejectedFile], inputs: Mapping[str, str], run_id: str, deps: TriggerDeps
) -> list[RejectedRawFile]:
    """Quarantine every file the run reports it left out and mark it so no later run includes it.

    `inputs` maps the run's input URIs to the etag they had; a reported file that is not one of them is named
    but not touched (the summary never makes etl-trigger copy or mark an object it did not give the run).
    """
    settled: list[RejectedRawFile] = []
    for entry in entries:
        etag = inputs.get(entry.file)
        if etag is None:
            settled.append(RejectedRawFile(file=entry.file, reason=entry.reason, row=entry.row))
        else:
            settled.append(_quarantine(entry, etag, run_id, deps))
    return settled


def quarantine_key(uri: str, deps: TriggerDeps) -> str:
    """`quarantine/<original key>`, in the original's bucket (the layout ingest uses)."""
    return f"{deps.config.quarantine_prefix}{split_s3_uri(uri)[1]}"


def _quarantine(entry: SummaryRejectedFile, etag: str, run_id: str, deps: TriggerDeps) -> RejectedRawFile:
    key = quarantine_key(entry.file, deps)
    result = deps.raw_files.copy_to_quarantine(entry.file, etag, key)
    if result == "missing":
        return _record_missing(entry, etag, run_id, deps)
    if result == "changed":  # overwritten since the run read it: the new version is a new file, left alone
        reason = f"{entry.reason} (the key was overwritten since; the new version is not affected)"
        return RejectedRawFile(file=entry.file, reason=reason, row=entry.row)
    bucket, _ = split_s3_uri(entry.file)
    note = QuarantineNote(
        reason=entry.reason, code="etl_rejected", row=entry.row, original_uri=entry.file,
        quarantine_uri=f"s3://{bucket}/{key}", etag=etag, run_id=run_id, rejected_at=deps.clock(),
    )  # fmt: skip
    deps.raw_files.write_note(entry.file, f"{key}.reason.json", note)
    deps.runs.exclude_file(entry.file, etag, FileStatus.REJECTED, entry.reason, run_id)
    return RejectedRawFile(file=entry.file, reason=entry.reason, row=entry.row, quarantine_key=key)


def _record_missing(entry: SummaryRejectedFile, etag: str, run_id: str, deps: TriggerDeps) -> RejectedRawFile:
    """A deleted file gets only a note (nothing to copy) and the MISSING status."""
    note = QuarantineNote(
        reason=entry.reason, code="missing", row=entry.row, original_uri=entry.file, quarantine_uri=None,
        etag=etag, run_id=run_id, rejected_at=deps.clock(), original_kept=False,
        how_to_retry="Upload the file again under a key outside the quarantine prefix; the next run includes it.",
    )  # fmt: skip
    deps.raw_files.write_note(entry.file, f"{quarantine_key(entry.file, deps)}.reason.json", note)
    deps.runs.exclude_file(entry.file, etag, FileStatus.MISSING, entry.reason, run_id)
    return RejectedRawFile(file=entry.file, reason=entry.reason, row=entry.row)

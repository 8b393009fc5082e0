"""Contracts of the custom EventBridge events: round trips, rejections, PutEvents entries, patterns."""

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from airline_shared.events import (
    CUSTOM_EVENTS,
    SOURCE_ETL,
    SOURCE_INGEST,
    SOURCE_TRAINER,
    EtlFailed,
    EventDetail,
    FeaturesReady,
    ModelRejected,
    ModelUpdated,
    RawFileAccepted,
    RawFileRejected,
    RejectedRawFile,
    RejectionReason,
    TrainingFailed,
    event_pattern,
    parse_detail,
    put_events_entry,
    split_s3_uri,
)
from helpers import load_event
from pydantic import ValidationError

NOW = datetime(2026, 11, 26, 1, 30, tzinfo=UTC)
BUS = "airline-dev"


def _examples() -> dict[type[EventDetail], EventDetail]:
    return {
        RawFileAccepted: RawFileAccepted(
            bucket="airline-raw-dev", key="drop/airline.csv.shuffle", etag="abc123", size=1024,
            format="asa", compression="none", rows_sampled=500, accepted_at=NOW,
        ),
        RawFileRejected: RawFileRejected(
            bucket="airline-raw-dev", key="drop/photo.png", etag="def456", size=10,
            reason=RejectionReason(code="binary", message="the file is binary, not CSV"),
            quarantine_key="quarantine/drop/photo.png", rejected_at=NOW,
        ),
        FeaturesReady: FeaturesReady(
            run_id="run-20261126-0130", job_run_id="jr_123", features_uri="s3://airline-processed-dev/features/snapshots/run-1/",
            partitions=["year=2007/month=01"], rows_read=1000, rows_written=990,
            input_files=["s3://airline-raw-dev/drop/airline.csv.shuffle"], completed_at=NOW,
            rejected_files=[RejectedRawFile(
                file="s3://airline-raw-dev/drop/bad.csv", reason="line 1234: 31 fields, expected 29", row=1234,
                quarantine_key="quarantine/drop/bad.csv",
            )],
        ),
        EtlFailed: EtlFailed(
            run_id="run-1", job_run_id=None, state="FAILED", reason="out of memory", input_files=[], failed_at=NOW,
        ),
        ModelUpdated: ModelUpdated(
            version="v20261126-0130", bundle_uri="s3://airline-models-dev/bundles/v20261126-0130/",
            metrics={"roc_auc": 0.91}, file_hashes={"model.npz": "0" * 64}, previous_version="v1", promoted_at=NOW,
        ),
        ModelRejected: ModelRejected(
            candidate_version="v2", champion_version="v1", candidate_metrics={"roc_auc": 0.80},
            champion_metrics={"roc_auc": 0.90}, tolerance=0.01, reason="roc_auc fell by 0.10", rejected_at=NOW,
        ),
        TrainingFailed: TrainingFailed(
            training_job_name="airline-train-1", status="Failed", reason="AlgorithmError: no rows", failed_at=NOW,
        ),
    }  # fmt: skip


EXAMPLES = _examples()


def test_every_custom_event_has_an_example() -> None:
    assert set(EXAMPLES) == set(CUSTOM_EVENTS)
    assert len(CUSTOM_EVENTS) == 7


@pytest.mark.parametrize("model", CUSTOM_EVENTS, ids=lambda m: m.DETAIL_TYPE)
def test_event_round_trips_through_json(model: type[EventDetail]) -> None:
    # Given an event a producer emits
    event = EXAMPLES[model]
    # When it is serialised and parsed back by the consumer's model
    parsed = model.model_validate_json(event.model_dump_json())
    # Then nothing is lost
    assert parsed == event


@pytest.mark.parametrize("model", CUSTOM_EVENTS, ids=lambda m: m.DETAIL_TYPE)
def test_put_events_entry_carries_source_detail_type_bus_and_json_detail(model: type[EventDetail]) -> None:
    event = EXAMPLES[model]
    entry = put_events_entry(event, BUS)
    assert entry["Source"] == model.SOURCE
    assert entry["DetailType"] == model.DETAIL_TYPE
    assert entry["EventBusName"] == BUS
    assert json.loads(entry["Detail"])["schema_version"] == (2 if model in (FeaturesReady, EtlFailed) else 1)
    assert set(entry) == {"Source", "DetailType", "Detail", "EventBusName"}


@pytest.mark.parametrize("model", CUSTOM_EVENTS, ids=lambda m: m.DETAIL_TYPE)
def test_parse_detail_reads_what_put_events_entry_wrote(model: type[EventDetail]) -> None:
    # Given the PutEvents entry of an event
    entry = put_events_entry(EXAMPLES[model], BUS)
    # When a consumer parses the detail by its detail-type (string or already-decoded dict)
    from_text = parse_detail(entry["DetailType"], entry["Detail"])
    from_dict = parse_detail(entry["DetailType"], json.loads(entry["Detail"]))
    # Then it gets the same typed event back
    assert isinstance(from_text, model)
    assert from_text == from_dict == EXAMPLES[model]


def test_parse_detail_rejects_unknown_detail_type_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown detail-type 'Surprise'") as raised:
        parse_detail("Surprise", {})
    assert "RawFileAccepted" in str(raised.value)


def test_event_pattern_matches_the_given_events_only() -> None:
    pattern = event_pattern(RawFileRejected, RawFileAccepted)
    assert pattern == {"source": [SOURCE_INGEST], "detail-type": ["RawFileAccepted", "RawFileRejected"]}


def test_event_pattern_spans_several_sources_sorted() -> None:
    pattern = event_pattern(ModelUpdated, FeaturesReady, TrainingFailed)
    assert pattern["source"] == sorted([SOURCE_ETL, SOURCE_TRAINER])
    assert pattern["detail-type"] == ["FeaturesReady", "ModelUpdated", "TrainingFailed"]


def test_detail_types_are_unique_and_sources_known() -> None:
    assert len({m.DETAIL_TYPE for m in CUSTOM_EVENTS}) == len(CUSTOM_EVENTS)
    assert {m.SOURCE for m in CUSTOM_EVENTS} == {SOURCE_INGEST, SOURCE_ETL, SOURCE_TRAINER}


def _dump(model: type[EventDetail]) -> dict[str, Any]:
    return json.loads(EXAMPLES[model].model_dump_json())


def test_extra_field_is_rejected() -> None:
    data = _dump(RawFileAccepted) | {"surprise": 1}
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        RawFileAccepted.model_validate(data)


def test_newer_schema_version_is_rejected() -> None:
    data = _dump(RawFileAccepted) | {"schema_version": 2}
    with pytest.raises(ValidationError, match="schema_version") as raised:
        RawFileAccepted.model_validate(data)
    assert "Input should be 1" in str(raised.value)


def test_features_ready_of_an_unknown_future_version_is_rejected() -> None:
    data = _dump(FeaturesReady) | {"schema_version": 3}
    with pytest.raises(ValidationError, match="schema_version"):
        FeaturesReady.model_validate(data)


@pytest.mark.parametrize("model", [FeaturesReady, EtlFailed], ids=lambda m: m.DETAIL_TYPE)
def test_version_1_event_without_rejected_files_still_parses(model: type[EventDetail]) -> None:
    # Given an event as version 1 producers wrote it (no rejected_files)
    data = _dump(model) | {"schema_version": 1}
    data.pop("rejected_files")
    # When a current consumer parses it
    parsed = model.model_validate(data)
    # Then it reads as "no file left out"
    assert (parsed.schema_version, parsed.rejected_files) == (1, [])  # type: ignore[attr-defined]


def test_features_ready_fixture_of_version_1_parses() -> None:
    envelope = load_event("features_ready")
    assert FeaturesReady.model_validate(envelope["detail"]).rejected_files == []


def test_rejected_file_row_is_one_based() -> None:
    with pytest.raises(ValidationError, match="row"):
        RejectedRawFile(file="s3://b/k.csv", reason="bad", row=0)


def test_unknown_raw_format_is_rejected_with_the_allowed_values() -> None:
    data = _dump(RawFileAccepted) | {"format": "parquet"}
    with pytest.raises(ValidationError, match="'asa', 'bts' or 'carriers'"):
        RawFileAccepted.model_validate(data)


def test_features_uri_must_be_an_s3_uri() -> None:
    data = _dump(FeaturesReady) | {"features_uri": "/tmp/features"}
    with pytest.raises(ValidationError, match="features_uri"):
        FeaturesReady.model_validate(data)


def test_negative_size_is_rejected() -> None:
    data = _dump(RawFileRejected) | {"size": -1}
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        RawFileRejected.model_validate(data)


def test_unknown_rejection_code_is_rejected() -> None:
    data = _dump(RawFileRejected)
    data["reason"]["code"] = "too_ugly"
    with pytest.raises(ValidationError, match=r"reason\.code"):
        RawFileRejected.model_validate(data)


def test_etl_failed_state_must_be_a_glue_failure_state() -> None:
    data = _dump(EtlFailed) | {"state": "SUCCEEDED"}
    with pytest.raises(ValidationError, match="state"):
        EtlFailed.model_validate(data)


def test_events_are_immutable() -> None:
    event = ModelUpdated.model_validate(_dump(ModelUpdated))
    with pytest.raises(ValidationError, match="frozen"):
        event.version = "v9"  # type: ignore[misc]


def test_model_updated_defaults_to_promoted_cause() -> None:
    assert ModelUpdated.model_validate(_dump(ModelUpdated)).cause == "promoted"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [("s3://b/k/x.csv", ("b", "k/x.csv")), ("s3://b/p/", ("b", "p/")), ("s3://b", ("b", "")), ("s3://b/", ("b", ""))],
)
def test_split_s3_uri_gives_bucket_and_key(uri: str, expected: tuple[str, str]) -> None:
    assert split_s3_uri(uri) == expected


@pytest.mark.parametrize("uri", ["b/k", "https://b/k", "s3:///k", "s3://"])
def test_split_s3_uri_refuses_what_names_no_bucket(uri: str) -> None:
    with pytest.raises(ValueError, match="s3"):
        split_s3_uri(uri)

"""Contracts of the raw input layouts and the features table schema."""

import pyarrow as pa
import pytest
from airline_shared.features import (
    FEATURE_COLUMNS,
    FEATURE_NAMES,
    LABEL,
    MODEL_FEATURES,
    PARTITION_COLUMNS,
    SEED_MODEL_FEATURES,
    ArrowType,
)
from airline_shared.raw_formats import (
    ASA_COLUMNS,
    ASA_TEXT_COLUMNS,
    BTS_SIGNATURE,
    BTS_TO_ASA,
    CARRIERS_COLUMNS,
    RawFormat,
    is_placeholder_tail,
)


def test_asa_layout_has_29_distinct_columns() -> None:
    assert len(ASA_COLUMNS) == 29
    assert len(set(ASA_COLUMNS)) == 29
    assert set(ASA_COLUMNS) >= ASA_TEXT_COLUMNS


def test_bts_mapping_covers_every_asa_column() -> None:
    assert set(BTS_TO_ASA.values()) == set(ASA_COLUMNS)


def test_bts_signature_never_matches_an_asa_header() -> None:
    assert not BTS_SIGNATURE & set(ASA_COLUMNS)
    assert "FlightDate" in BTS_SIGNATURE


def test_layouts_are_named_by_their_cli_format() -> None:
    assert {f.value for f in RawFormat} == {"asa", "bts", "carriers"}
    assert CARRIERS_COLUMNS == ("Code", "Description")


@pytest.mark.parametrize("tail", [None, "", "  ", "0", "000000", "UNKNOW", "unknow ", "NA", "---", "0-0"])
def test_junk_tail_numbers_are_placeholders(tail: str | None) -> None:
    assert is_placeholder_tail(tail)


@pytest.mark.parametrize("tail", ["N123DL", "N12345", " n904de ", "N0", "203"])
def test_real_tail_numbers_are_not_placeholders(tail: str) -> None:
    assert not is_placeholder_tail(tail)


def test_feature_names_are_unique_and_the_label_is_last() -> None:
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert FEATURE_NAMES[-1] == LABEL == "cascade"
    assert set(PARTITION_COLUMNS) <= set(FEATURE_NAMES)


def test_every_arrow_type_name_is_a_real_arrow_type() -> None:
    for column in FEATURE_COLUMNS:
        assert pa.type_for_alias(column.arrow_type.value) is not None
    assert {c.arrow_type for c in FEATURE_COLUMNS} <= set(ArrowType)


def test_seed_model_inputs_keep_the_seed_order() -> None:
    assert SEED_MODEL_FEATURES == (
        "depdelay",
        "prevflightarrdelay",
        "turnaroundminutes",
        "routeavgarrdelay",
        "carrieravgarrdelay",
    )
    assert MODEL_FEATURES[:5] == SEED_MODEL_FEATURES


def test_model_inputs_are_features_known_before_departure() -> None:
    assert set(MODEL_FEATURES) <= set(FEATURE_NAMES)
    assert not {LABEL, "arrdelay", "late_aircraft_delay"} & set(MODEL_FEATURES)


def test_keys_and_label_are_never_null() -> None:
    required = {c.name for c in FEATURE_COLUMNS if not c.nullable}
    assert {"flight_date", "year", "month", "carrier", "origin", "dest", LABEL} <= required


def test_api_delay_bounds_match_the_features_valid_range() -> None:
    from airline_shared.api import PredictRequest
    from airline_shared.features import VALID_DELAY_RANGE
    from pydantic import ValidationError

    base = {"flight_date": "2025-11-04", "carrier": "DL", "origin": "ATL", "destination": "LAX"}
    low, high = VALID_DELAY_RANGE
    assert PredictRequest.model_validate(base | {"depdelay": low, "prevflightarrdelay": high}).depdelay == low
    with pytest.raises(ValidationError):
        PredictRequest.model_validate(base | {"depdelay": high + 1})
    with pytest.raises(ValidationError):
        PredictRequest.model_validate(base | {"prevflightarrdelay": low - 1})

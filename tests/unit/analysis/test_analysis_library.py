"""The query registry and the local runner: names, descriptions, raw SQL, partition columns and errors."""

import pyarrow as pa
import pytest

from airline.analysis import (
    FeaturesNotFoundError,
    QueryFailedError,
    UnknownQueryError,
    athena_sql,
    list_queries,
    run_query,
)
from airline.analysis.library import QueryDefinitionError, read_query

REQUIRED_QUERIES = {
    "ontime_by_carrier_month",
    "worst_routes",
    "cascade_by_carrier",
    "cascade_by_airport",
    "cascade_by_turnaround_band",
    "delay_propagation_share",
    "turnaround_efficiency",
}


def test_registry_lists_every_required_query_with_a_one_line_description():
    # When
    queries = {q.name: q for q in list_queries()}

    # Then
    assert set(queries) >= REQUIRED_QUERIES
    for query in queries.values():
        assert query.description
        assert "\n" not in query.description
        assert not query.description.startswith("--")


def test_query_file_without_description_header_is_rejected(tmp_path):
    # Given a query file that starts with SQL instead of the header
    path = tmp_path / "bare.sql"
    path.write_text("SELECT 1 FROM features\n")

    # When / Then
    with pytest.raises(QueryDefinitionError, match="description"):
        read_query(path)


def test_unknown_query_name_lists_the_available_names(features_dir_from, flight):
    # Given
    features_dir = features_dir_from([flight()])

    # When
    with pytest.raises(UnknownQueryError) as raised:
        run_query("ontime_by_carier", features_dir)

    # Then
    assert raised.value.available == sorted(q.name for q in list_queries())
    assert "ontime_by_carrier_month" in str(raised.value)


def test_athena_sql_of_unknown_name_raises():
    # When / Then
    with pytest.raises(UnknownQueryError):
        athena_sql("no_such_query")


def test_path_like_name_is_not_read_from_disk():
    # When / Then: a name is an identifier, never a path
    with pytest.raises(UnknownQueryError):
        athena_sql("../queries/summary")


def test_raw_sql_runs_over_the_features_view(features_dir_from, flight):
    # Given two AA flights and one DL flight
    features_dir = features_dir_from([flight(carrier="AA"), flight(carrier="AA"), flight(carrier="DL")])

    # When
    result = run_query("SELECT carrier, COUNT(*) AS n FROM features GROUP BY carrier ORDER BY carrier", features_dir)

    # Then
    assert result.to_pylist() == [{"carrier": "AA", "n": 2}, {"carrier": "DL", "n": 1}]


def test_zero_padded_month_partitions_read_back_as_integers(features_dir_from, flight):
    # Given partitions written as year=2024/month=01 and month=11
    import datetime as dt

    features_dir = features_dir_from(
        [flight(flight_date=dt.date(2024, 1, 5)), flight(flight_date=dt.date(2024, 11, 5))]
    )
    assert (features_dir / "year=2024" / "month=01").is_dir()

    # When
    result = run_query("SELECT year, month FROM features ORDER BY month", features_dir)

    # Then
    assert result.schema.field("month").type == pa.int32()
    assert result.schema.field("year").type == pa.int32()
    assert result.to_pylist() == [{"year": 2024, "month": 1}, {"year": 2024, "month": 11}]


def test_sql_error_is_reported_as_query_failed(features_dir_from, flight):
    # Given
    features_dir = features_dir_from([flight()])

    # When / Then
    with pytest.raises(QueryFailedError, match="no_such_column"):
        run_query("SELECT no_such_column FROM features", features_dir)


def test_directory_without_parquet_is_reported(tmp_path):
    # Given an empty directory
    # When / Then
    with pytest.raises(FeaturesNotFoundError, match=str(tmp_path)):
        run_query("summary", tmp_path)

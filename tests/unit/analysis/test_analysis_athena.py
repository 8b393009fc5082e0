"""The Athena side: every query parses as Trino, gives the local result, and renders as a NamedQuery resource."""

import json
import math

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from airline.analysis import athena_sql, list_queries, run_query
from airline.analysis.athena import logical_id_for, render_named_query_resources
from airline.analysis.library import features_view_sql

QUERY_NAMES = [q.name for q in list_queries()]


def _run_athena_text_on_duckdb(sql: str, features_dir) -> list[dict]:
    duckdb_sql = sqlglot.transpile(sql, read="trino", write="duckdb")[0]
    with duckdb.connect() as connection:
        connection.execute(features_view_sql(features_dir))
        return connection.sql(duckdb_sql).to_arrow_table().to_pylist()


def _assert_rows_equal(actual: list[dict], expected: list[dict]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert got.keys() == want.keys()
        for key in want:
            if isinstance(want[key], float) and isinstance(got[key], float):
                assert math.isclose(got[key], want[key], rel_tol=1e-12, abs_tol=1e-12), key
            else:
                assert got[key] == want[key], key


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_athena_query_parses_as_trino(name):
    # Given the text Athena receives
    sql = athena_sql(name)

    # When
    tree = sqlglot.parse_one(sql, read="trino")

    # Then it is one SELECT over the relation `features` only
    assert isinstance(tree, exp.Query)
    assert {table.name for table in tree.find_all(exp.Table)} == {"features"}


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_athena_query_gives_the_local_result(name, generated_features_dir):
    # Given the local result of the library query on a generated snapshot
    local = run_query(name, generated_features_dir).to_pylist()

    # When the Athena text, transpiled from Trino, runs on the same data
    athena = _run_athena_text_on_duckdb(athena_sql(name), generated_features_dir)

    # Then the rows are the same, in the same order
    assert local, "the generated snapshot must give every query some rows"
    _assert_rows_equal(athena, local)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_athena_query_means_the_same_read_as_duckdb_or_as_trino(name):
    # Given the library text (written in the DuckDB/Trino common subset)
    sql = athena_sql(name)

    # When it is normalised through each dialect
    as_trino = sqlglot.transpile(sql, read="duckdb", write="trino")[0]
    from_trino = sqlglot.transpile(sql, read="trino", write="trino")[0]

    # Then both readings give the same Trino query (e.g. no integer `/` that DuckDB divides as float)
    assert as_trino == from_trino


def test_named_query_resources_cover_every_query_with_its_text_and_description():
    # When
    resources = render_named_query_resources(database={"Ref": "AnalysisDatabase"}, workgroup="primary")

    # Then
    assert sorted(resources) == sorted(logical_id_for(name) for name in QUERY_NAMES)
    for query in list_queries():
        resource = resources[logical_id_for(query.name)]
        assert resource["Type"] == "AWS::Athena::NamedQuery"
        assert resource["Properties"] == {
            "Name": f"airline-{query.name}",
            "Description": query.description,
            "Database": {"Ref": "AnalysisDatabase"},
            "QueryString": athena_sql(query.name),
            "WorkGroup": "primary",
        }


def test_logical_id_is_camel_case_alphanumeric():
    # When
    logical_id = logical_id_for("ontime_by_carrier_month")

    # Then
    assert logical_id == "AnalysisQueryOntimeByCarrierMonth"
    assert logical_id.isalnum()


def test_named_query_resources_pass_cfn_lint():
    # Given a template with a Glue database and the named queries
    from cfnlint.api import lint

    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "AnalysisDatabase": {
                "Type": "AWS::Glue::Database",
                "Properties": {"CatalogId": {"Ref": "AWS::AccountId"}, "DatabaseInput": {"Name": "airline_dev"}},
            },
            **render_named_query_resources(database={"Ref": "AnalysisDatabase"}),
        },
    }

    # When
    matches = lint(json.dumps(template), regions=["us-east-1"])

    # Then
    assert [str(m) for m in matches] == []

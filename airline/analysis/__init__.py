"""Airline efficiency analysis: the query library (DuckDB locally, same SQL on Athena) and the HTML report."""

from airline.analysis.library import (
    AnalysisError,
    FeaturesNotFoundError,
    QueryFailedError,
    QueryInfo,
    UnknownQueryError,
    athena_sql,
    list_queries,
    run_query,
)

__all__ = [
    "AnalysisError",
    "FeaturesNotFoundError",
    "QueryFailedError",
    "QueryInfo",
    "UnknownQueryError",
    "athena_sql",
    "list_queries",
    "run_query",
]

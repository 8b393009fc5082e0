"""The analysis query library: one SQL file per question, run locally on DuckDB or on Athena.

Each `queries/<name>.sql` starts with `-- description: <one line>` and reads one relation,
`features` (the features table). The text is written in the subset DuckDB and Trino/Athena
share (explicit DOUBLE casts for ratios, CASE instead of COUNT_IF/FILTER, deterministic ORDER BY),
so Athena runs the very same text; tests check it parses as Trino and matches the local result.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pyarrow as pa

QUERIES_DIR = Path(__file__).parent / "queries"
DESCRIPTION_PREFIX = "-- description:"
FEATURES_RELATION = "features"
_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class AnalysisError(Exception):
    """Base class of the analysis errors the CLI reports without a traceback."""


class UnknownQueryError(AnalysisError):
    """A query name that is not in the library."""

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        super().__init__(f"Unknown query {name!r}. Available queries: {', '.join(available)}")


class QueryDefinitionError(AnalysisError):
    """A query file without its `-- description:` header."""


class FeaturesNotFoundError(AnalysisError):
    """The features directory holds no Parquet files."""


class QueryFailedError(AnalysisError):
    """The engine rejected or failed the SQL (syntax error, unknown column, ...)."""


class QueryInfo(NamedTuple):
    name: str
    description: str
    sql: str


def read_query(path: Path) -> QueryInfo:
    """Parse one query file; raises QueryDefinitionError when its first line is not the description header."""
    sql = path.read_text(encoding="utf-8")
    first_line = sql.splitlines()[0] if sql.strip() else ""
    if not first_line.startswith(DESCRIPTION_PREFIX) or not first_line[len(DESCRIPTION_PREFIX) :].strip():
        raise QueryDefinitionError(f"{path} must start with '{DESCRIPTION_PREFIX} <one line>'")
    return QueryInfo(path.stem, first_line[len(DESCRIPTION_PREFIX) :].strip(), sql)


def list_queries() -> list[QueryInfo]:
    """All library queries, sorted by name."""
    return [read_query(path) for path in sorted(QUERIES_DIR.glob("*.sql"))]


def get_query(name: str) -> QueryInfo:
    """The library query called `name`; raises UnknownQueryError listing the available names."""
    path = QUERIES_DIR / f"{name}.sql"
    if not _NAME_PATTERN.match(name) or not path.is_file():
        raise UnknownQueryError(name, [q.name for q in list_queries()])
    return read_query(path)


def athena_sql(name: str) -> str:
    """The SQL text Athena runs for `name` (against table `features` of the Glue database): the library text itself."""
    return get_query(name).sql


def resolve_sql(name_or_sql: str) -> str:
    """SQL for a library name or raw SQL; a bare identifier that is no library name raises UnknownQueryError."""
    text = name_or_sql.strip()
    if _NAME_PATTERN.match(text):
        return get_query(text).sql
    return text


def features_view_sql(features_dir: Path) -> str:
    """DuckDB DDL for view `features` over hive-partitioned Parquet, with year/month read as INTEGER (not '01')."""
    glob = str(features_dir / "**" / "*.parquet").replace("'", "''")
    return (
        f"CREATE OR REPLACE VIEW {FEATURES_RELATION} AS SELECT * FROM read_parquet('{glob}', "
        "hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER})"
    )


def run_query(name_or_sql: str, features_dir: Path) -> pa.Table:
    """Run a library query (by name) or raw SQL over view `features` on DuckDB.

    Raises UnknownQueryError, FeaturesNotFoundError (no Parquet under features_dir) or QueryFailedError.
    """
    import duckdb

    sql = resolve_sql(name_or_sql)
    features_dir = Path(features_dir)
    if not features_dir.is_dir() or next(features_dir.rglob("*.parquet"), None) is None:
        raise FeaturesNotFoundError(f"No Parquet files under {features_dir}; point --features at a features snapshot")
    with duckdb.connect() as connection:
        connection.execute(features_view_sql(features_dir))
        try:
            relation = connection.sql(sql)
            if relation is None:
                raise QueryFailedError("The SQL returned no result set; give a SELECT query")
            return relation.to_arrow_table()
        except duckdb.Error as error:
            raise QueryFailedError(f"{type(error).__name__}: {error}") from error

"""The features table as pyarrow schemas, built from `airline_shared.features.FEATURE_COLUMNS`.

Files hold every column except the hive partition keys (year, month): those live in the
`year=YYYY/month=MM` directory names (two-digit month). Read the table back with
`read_features` (pyarrow) or in DuckDB with
`read_parquet('<dir>/**/*.parquet', hive_partitioning=true, hive_types={'year': INTEGER, 'month': INTEGER})`
(without hive_types DuckDB keeps '01' as VARCHAR); Spark infers int partitions by itself.
"""

from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
from airline_shared.features import FEATURE_COLUMNS, PARTITION_COLUMNS, ArrowType

_ARROW: dict[ArrowType, pa.DataType] = {
    ArrowType.DATE32: pa.date32(),
    ArrowType.INT32: pa.int32(),
    ArrowType.FLOAT64: pa.float64(),
    ArrowType.STRING: pa.string(),
    ArrowType.BOOL: pa.bool_(),
}

#: The whole table, in contract order.
FEATURES_SCHEMA = pa.schema([pa.field(c.name, _ARROW[c.arrow_type], nullable=c.nullable) for c in FEATURE_COLUMNS])
#: The partition keys as they are parsed from the directory names.
PARTITION_SCHEMA = pa.schema([FEATURES_SCHEMA.field(name) for name in PARTITION_COLUMNS])
#: What each Parquet file holds.
FILE_SCHEMA = pa.schema([f for f in FEATURES_SCHEMA if f.name not in PARTITION_COLUMNS])


def read_features(root: Path) -> pa.Table:
    """The features table under `root`, columns and types exactly as in the contract."""
    dataset = ds.dataset(
        root,
        schema=pa.schema([f.with_nullable(True) for f in FEATURES_SCHEMA]),
        format="parquet",
        partitioning=ds.partitioning(PARTITION_SCHEMA, flavor="hive"),
        exclude_invalid_files=False,
        ignore_prefixes=[".", "_"],
    )
    table = dataset.to_table()
    return table.select(FEATURES_SCHEMA.names).cast(FEATURES_SCHEMA)

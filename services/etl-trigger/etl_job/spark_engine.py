"""The distributed engine: the shared SQL transpiled to Spark SQL (Glue 5.0 = Spark 3.5)."""

from collections.abc import Callable
from typing import Any

from etl_job.definition import (
    CLASSIFY_SQL,
    DAILY_SQL,
    DROP_COUNTS_SQL,
    DUPLICATES_SQL,
    OUTPUT_ORDER,
    RANKED_LEGS_SQL,
    ROTATION_ROWS,
    TYPED_SQL,
    count_duplicates,
    features_sql,
    to_spark,
)
from etl_job.inputs import RawInput
from etl_job.models import EtlError


def create_local_session(app_name: str = "airline-etl", shuffle_partitions: int = 8) -> Any:
    """A plain PySpark `local[2]` session in UTC (used when not running on Glue)."""
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _read_csv(spark: Any, raw: RawInput) -> Any:
    from pyspark.sql.types import StringType, StructField, StructType

    schema = StructType([StructField(name, StringType(), True) for name in raw.columns])
    return spark.read.csv(
        raw.path, schema=schema, header=True, nullValue="NA", encoding="ISO-8859-1", mode="FAILFAST", enforceSchema=True
    )


def run_spark(
    spark: Any, inputs: list[RawInput], out_uri: str, progress: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Write the features of `inputs` to out_uri (year=YYYY/month=MM) and return row counts per reason.

    Raises EtlError when Spark rejects the input (FAILFAST on malformed rows) or the write fails.
    """
    from pyspark.sql import functions as F

    say = progress or (lambda _msg: None)
    try:
        sources = []
        for i, raw in enumerate(inputs):
            _read_csv(spark, raw).createOrReplaceTempView(f"src_{i}")
            sources.append(to_spark(raw.normalise_sql(f"src_{i}")))
        spark.sql("\nUNION ALL\n".join(sources)).createOrReplaceTempView("raw_flights")
        say(f"reading {len(inputs)} file(s) and classifying rows")
        classified = spark.sql(to_spark(CLASSIFY_SQL)).persist()
        classified.createOrReplaceTempView("classified")
        counts = {str(r["reason"]): int(r["n"]) for r in spark.sql(to_spark(DROP_COUNTS_SQL)).collect()}
        spark.sql(to_spark(TYPED_SQL)).where(ROTATION_ROWS).createOrReplaceTempView("flights")
        ranked = spark.sql(to_spark(RANKED_LEGS_SQL)).persist()
        ranked.createOrReplaceTempView("ranked_legs")
        for name, sql in DAILY_SQL.items():
            spark.sql(to_spark(sql)).createOrReplaceTempView(name)
        counts = count_duplicates(counts, int(spark.sql(to_spark(DUPLICATES_SQL)).collect()[0]["n"]))
        say(f"computing features of {counts.get('kept', 0)} kept rows")
        features = spark.sql(to_spark(features_sql())).withColumn(
            "month", F.lpad(F.col("month").cast("string"), 2, "0")
        )
        (
            features.repartition("year", "month")
            .sortWithinPartitions(*[F.col(c).asc_nulls_last() for c in OUTPUT_ORDER])
            .write.mode("overwrite")
            .partitionBy("year", "month")
            .parquet(out_uri)
        )
        ranked.unpersist()
        classified.unpersist()
    except Exception as exc:  # py4j / pyspark errors have no common base worth naming
        first_lines = " ".join(str(exc).strip().splitlines()[:3])
        raise EtlError(f"Spark engine failed: {first_lines[:2000]}") from exc
    return counts

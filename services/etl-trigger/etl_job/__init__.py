"""Feature engineering: one SQL definition (definition.py) run by DuckDB (duckdb_engine.py) and Spark
(spark_engine.py, glue_main.py on Glue 5.0). Python API: `etl_job.run.run_etl`; S3 adapter: `etl_job.s3io`."""

"""The raw tables dbt reads as sources, created empty when no file has been loaded yet."""

import duckdb

from pipelines.indices import load as index_tables
from pipelines.plans import load as plan_tables
from pipelines.reports import load as report_tables


def ensure_sources(conn: duckdb.DuckDBPyConnection) -> None:
    plan_tables.ensure_tables(conn)
    index_tables.ensure_tables(conn)
    report_tables.ensure_tables(conn)

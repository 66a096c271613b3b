"""BI tools connect for real: through SQLAlchemy (duckdb-engine, as Superset does), which must reflect
the published copy's tables and columns, and through Parquet files of the `bi` views and the marts."""

from __future__ import annotations

import duckdb
import sqlalchemy as sa

from tests.integration.conftest import BI_VIEWS


def test_sqlalchemy_reflects_the_published_copy_as_a_bi_tool_does(warehouse_settings):
    # its own connection only: DuckDB refuses a second one to the same file with another configuration
    engine = sa.create_engine(
        f"duckdb:///{warehouse_settings.published_path}", connect_args={"read_only": True}
    )
    try:
        inspector = sa.inspect(engine)
        assert set(inspector.get_view_names(schema="bi")) == BI_VIEWS
        assert "fact_target_progress" in inspector.get_table_names(schema="main")
        columns = {column["name"]: column for column in inspector.get_columns("target_progress", schema="bi")}
        assert isinstance(columns["report_year"]["type"], sa.Integer)
        assert columns["target_progress_key"]["comment"]  # the Vietnamese description travels along
        table = sa.Table("target_progress", sa.MetaData(), schema="bi", autoload_with=engine)
        assert list(table.columns.keys()) == list(columns)
        with engine.connect() as conn:
            expected = conn.exec_driver_sql(
                "select column_name from information_schema.columns"
                " where table_schema = 'bi' and table_name = 'target_progress' order by ordinal_position"
            ).fetchall()
            rows = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            (direct,) = conn.exec_driver_sql("select count(*) from bi.target_progress").fetchone()
    finally:
        engine.dispose()
    assert list(columns) == [name for (name,) in expected]
    assert rows == direct > 0


def test_every_bi_view_and_mart_is_also_a_parquet_file_with_the_same_rows(warehouse_settings, published):
    tables = published.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = current_database() and table_schema in ('bi', 'main')"
    ).fetchall()
    assert {name for schema, name in tables if schema == "bi"} == BI_VIEWS
    out = warehouse_settings.parquet_dir
    files = {f"{path.parent.name}.{path.stem}": str(path) for path in out.glob("*/*.parquet")}
    # the report rows: a folder of a file per period
    files["main.report_indicator_values"] = f"{out}/main/report_indicator_values/*/*.parquet"
    assert set(files) == {f"{schema}.{name}" for schema, name in tables}
    for key, path in files.items():
        (expected,) = published.execute(f"select count(*) from {key}").fetchone()
        assert duckdb.sql(f"select count(*) from read_parquet('{path}')").fetchall() == [(expected,)], key
        # the same rows, not only as many: each side has none the other lacks
        table, file = f"select * from {key}", f"select * from read_parquet('{path}')"
        for first, second in ((table, file), (file, table)):
            (extra,) = published.execute(f"select count(*) from ({first} except all {second})").fetchone()
            assert extra == 0, (key, first)

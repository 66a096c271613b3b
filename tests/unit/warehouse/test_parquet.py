"""Every bi view and mart as a Parquet file, with the rows it wrote (the asset's metadata)."""

import duckdb

from pipelines.warehouse.parquet import write_parquet


def test_each_table_and_view_is_written_with_its_rows_and_a_gone_one_is_removed(tmp_path):
    database = tmp_path / "published.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute("create schema bi")
        conn.execute("create table main.facts as select * from range(5) as r(n)")
        conn.execute("create view bi.even as select n from main.facts where n % 2 = 0")
    out = tmp_path / "parquet"
    (out / "main").mkdir(parents=True)
    (out / "main" / "dropped.parquet").write_bytes(b"")
    # 0-4 in the table, 0, 2 and 4 in the view
    assert write_parquet(database, out) == {"bi.even": 3, "main.facts": 5}
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*.parquet")) == [
        "bi/even.parquet",
        "main/facts.parquet",
    ]
    assert duckdb.sql(f"select count(*) from '{out / 'bi' / 'even.parquet'}'").fetchall() == [(3,)]

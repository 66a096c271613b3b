"""Every bi view and mart as Parquet, written only when its rows changed; the report rows a file per
period."""

import duckdb
import pytest

from pipelines.warehouse.parquet import write_parquet


def _database(tmp_path):
    database = tmp_path / "published.duckdb"
    with duckdb.connect(str(database)) as conn:
        conn.execute("create schema bi")
        conn.execute("create table main.facts as select * from range(5) as r(n)")
        conn.execute("create view bi.even as select n from main.facts where n % 2 = 0")
        conn.execute(
            "create table main.report_indicator_values as select * from (values"
            " ('a', '2025-Q1', 1.0), ('b', '2025-Q1', 2.0), ('a', '2025-H1', 3.0), ('c', null, 4.0))"
            " as v(agency_key, period_key, actual_value)"
        )
    return database


def _written_again(tmp_path, *changes, made=()):
    """Write the export, make `changes` to the database, write it again: (folder, files written again);
    `made`, statements run before the first write."""
    database = _database(tmp_path)
    out = tmp_path / "parquet"
    with duckdb.connect(str(database)) as conn:
        for statement in made:
            conn.execute(statement)
    write_parquet(database, out)
    with duckdb.connect(str(database)) as conn:
        for statement in changes:
            conn.execute(statement)
    return out, write_parquet(database, out).written


def _files(out):
    return sorted(path.relative_to(out).as_posix() for path in out.rglob("*.parquet"))


def test_each_table_and_view_is_written_with_its_rows_and_a_gone_one_is_removed(tmp_path):
    database = _database(tmp_path)
    out = tmp_path / "parquet"
    (out / "main").mkdir(parents=True)
    (out / "main" / "dropped.parquet").write_bytes(b"")
    export = write_parquet(database, out)
    # 0-4 in the table, 0, 2 and 4 in the view; four report rows, one of them of no period
    assert export.rows == {"bi.even": 3, "main.facts": 5, "main.report_indicator_values": 4}
    rows_folder = "main/report_indicator_values/period_key="
    assert (
        _files(out)
        == export.written
        == [
            "bi/even.parquet",
            "main/facts.parquet",
            f"{rows_folder}2025-H1/data.parquet",
            f"{rows_folder}2025-Q1/data.parquet",
            f"{rows_folder}__HIVE_DEFAULT_PARTITION__/data.parquet",
        ]
    )
    assert duckdb.sql(f"select count(*) from '{out / 'bi' / 'even.parquet'}'").fetchall() == [(3,)]
    # the folder read as one table, the period from the files and from the folder names alike
    for hive in ("false", "true"):
        read = f"read_parquet('{out}/main/report_indicator_values/*/*.parquet', hive_partitioning={hive})"
        assert duckdb.sql(f"select agency_key, period_key from {read} order by all").fetchall() == [
            ("a", "2025-H1"),
            ("a", "2025-Q1"),
            ("b", "2025-Q1"),
            ("c", None),
        ]


def test_only_files_whose_rows_changed_are_written_again(tmp_path):
    assert _written_again(tmp_path)[1] == []
    (tmp_path / "changed").mkdir()
    out, written = _written_again(
        tmp_path / "changed",
        "update main.report_indicator_values set actual_value = 5.0 where agency_key = 'b'",
        "update main.facts set n = 7 where n = 1",  # the view's rows stay 0, 2, 4
    )
    assert written == ["main/facts.parquet", "main/report_indicator_values/period_key=2025-Q1/data.parquet"]
    assert duckdb.sql(f"select sum(n) from '{out / 'main' / 'facts.parquet'}'").fetchall() == [(16,)]


def test_same_values_under_a_new_column_name_are_written_again(tmp_path):
    out, written = _written_again(
        tmp_path, "alter table main.report_indicator_values rename column actual_value to value"
    )
    assert [path.split("/")[2] for path in written] == [
        "period_key=2025-H1",
        "period_key=2025-Q1",
        "period_key=__HIVE_DEFAULT_PARTITION__",
    ]
    read = f"read_parquet('{out}/main/report_indicator_values/*/*.parquet')"
    assert duckdb.sql(f"select sum(value) from {read}").fetchall() == [(10.0,)]


def test_a_period_with_no_rows_left_loses_its_folder(tmp_path):
    out, written = _written_again(
        tmp_path, "delete from main.report_indicator_values where period_key = '2025-H1'"
    )
    assert written == []
    assert not (out / "main" / "report_indicator_values" / "period_key=2025-H1").exists()
    assert (out / "main" / "report_indicator_values" / "period_key=2025-Q1" / "data.parquet").is_file()


def test_a_file_that_cannot_be_read_is_written_again(tmp_path):
    database = _database(tmp_path)
    out = tmp_path / "parquet"
    write_parquet(database, out)
    (out / "main" / "facts.parquet").write_bytes(b"not parquet")
    assert write_parquet(database, out).written == ["main/facts.parquet"]
    assert duckdb.sql(f"select count(*) from '{out / 'main' / 'facts.parquet'}'").fetchall() == [(5,)]


def test_report_rows_with_no_rows_are_one_empty_file_with_the_columns(tmp_path):
    out, written = _written_again(tmp_path, "delete from main.report_indicator_values")
    empty = "main/report_indicator_values/period_key=__HIVE_DEFAULT_PARTITION__/data.parquet"
    assert written == [empty]
    assert _files(out) == ["bi/even.parquet", "main/facts.parquet", empty]
    read = duckdb.sql(f"select * from read_parquet('{out}/main/report_indicator_values/*/*.parquet')")
    assert (read.columns, read.fetchall()) == (["agency_key", "period_key", "actual_value"], [])


# changes whose rows hash as before in DuckDB: hash(1::INTEGER) = hash(1::BIGINT), and
# hash([[1], [2]]) = hash([[1, 2]])
@pytest.mark.parametrize(
    ("made", "changed", "file", "read", "now"),
    [
        (
            "create table main.counts as select n::integer as n from range(3) as r(n)",
            "alter table main.counts alter n type bigint",
            "main/counts.parquet",
            "select distinct typeof(n) from '{out}/main/counts.parquet'",
            [("BIGINT",)],
        ),
        (
            "create table main.lists as select [[1], [2]] as nested",
            "update main.lists set nested = [[1, 2]]",
            "main/lists.parquet",
            "select nested from '{out}/main/lists.parquet'",
            [([[1, 2]],)],
        ),
    ],
    ids=["a type changed, the same values", "nested values whose hashes agree"],
)
def test_a_change_whose_rows_hash_as_before_is_written_again(tmp_path, made, changed, file, read, now):
    out, written = _written_again(tmp_path, changed, made=[made])
    assert written == [file]
    assert duckdb.sql(read.format(out=out)).fetchall() == now

"""A suite's batch written to Parquet and read back is the frame DuckDB gives the query itself: the same
columns, types and missing values, so that moving the validation to the worker changes no verdict; the
rows of the changed files alone, with the table's own count beside them."""

import duckdb
import pandas as pd

from pipelines.quality.batch import previous_row_count, write_batch
from tests.unit.quality.test_validate import AT_MOST_100, _suite

ROWS = """
    create schema raw_things;
    create table raw_things.thing_rows (
        source_file varchar, value double, amount decimal(9, 2), counted integer, on_time boolean,
        due date, read_at timestamp, note varchar
    );
    insert into raw_things.thing_rows values
        ('a.xlsx', 71.5, 1.25, 3, true, '2024-09-20', '2024-09-18 08:30:00', 'Tỷ lệ 71,5 %'),
        ('a.xlsx', null, null, null, null, null, null, null),
        ('b.xlsx', 80.5, 2.5, 1610, false, '2024-12-20', '2024-09-26 16:00:00', '');
    create table raw_things.thing_files as select 'b.xlsx' as source_file;
"""


def test_the_batch_read_back_is_the_frame_of_the_query_and_counts_the_whole_table(tmp_path):
    suite = _suite(
        tmp_path,
        expectations=(
            AT_MOST_100,
            *(
                {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": column}}
                for column in ("amount", "counted", "on_time", "due", "read_at", "note")
            ),
        ),
    )
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        conn.execute(ROWS)
        batch = write_batch(conn, suite, tmp_path / "all.parquet")
        pd.testing.assert_frame_equal(batch.frame(), conn.sql(suite.column_query).df())
        frame = batch.frame()
        assert (batch.row_count, batch.to_validate, len(frame)) == (3, 3, 3)
        assert {column: str(kind) for column, kind in frame.dtypes.items()} == {
            "source_file": "str",
            "value": "float64",
            "amount": "float64",
            "counted": "Int32",
            "on_time": "boolean",
            "due": "datetime64[us]",
            "read_at": "datetime64[us]",
            "note": "str",
        }
        assert frame.iloc[0].tolist()[1:] == [
            71.5,
            1.25,
            3,
            True,
            pd.Timestamp("2024-09-20"),
            pd.Timestamp("2024-09-18 08:30"),
            "Tỷ lệ 71,5 %",
        ]
        assert frame["value"].isna().tolist() == [False, True, False]

        conn.register("changed", conn.sql("select source_file from raw_things.thing_files").to_arrow_table())
        changed = write_batch(conn, suite, tmp_path / "changed.parquet", "changed")
        assert (changed.row_count, changed.to_validate) == (3, 1)  # the table's count; b.xlsx's one row
        assert changed.frame()["counted"].tolist() == [1610]


def test_the_previous_count_is_the_published_copys_and_none_before_the_first(tmp_path):
    published = tmp_path / "w_published.duckdb"
    assert previous_row_count(published, "raw_things.thing_rows") is None
    with duckdb.connect(str(published)) as conn:
        conn.execute(ROWS)
    assert previous_row_count(published, "raw_things.thing_rows") == 3
    assert previous_row_count(published, "raw_things.other_rows") is None  # not in that copy yet

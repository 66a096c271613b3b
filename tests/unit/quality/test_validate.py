"""A suite run on a table made by code: every row, or the rows of the files read since the last
publication; the row count checked in SQL against the last published count."""

import json
import shutil

import duckdb
import pytest

from pipelines.quality.batch import previous_row_count
from pipelines.quality.changed import changed_files, note_validated
from pipelines.quality.checks import check_metadata
from pipelines.quality.context import quality_context
from pipelines.quality.suites import read_suite
from pipelines.quality.validate import run_suite
from tests.unit.landing.test_ledger import LEDGER, _load

AT_MOST_100 = {
    "type": "expect_column_values_to_be_between",
    "kwargs": {"column": "value", "min_value": 0, "max_value": 100},
    "meta": {"problem": "a value above 100"},
}


def _suite(tmp_path, expectations=(AT_MOST_100,), name_suffix="", **meta):
    document = {
        "name": f"thing_rows{name_suffix}",
        "meta": {
            "table": "raw_things.thing_rows",
            "key": ["source_file", "value"],
            "changed_rows": {"column": "source_file", "files": "raw_things.thing_files"},
            **meta,
        },
        "expectations": list(expectations),
    }
    path = tmp_path / "thing_rows.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return read_suite(path)


def _validate(tmp_path, warehouse, published, suite):
    """As the check does: the changed rows, noted when the suite passed."""
    with duckdb.connect(str(warehouse)) as conn, changed_files(conn, suite) as files:
        previous = previous_row_count(published, suite.table)
        result = run_suite(tmp_path, conn, suite, previous, files)
        if result.success:
            note_validated(conn, suite, files)
        return result


def test_a_new_file_is_validated_alone_and_a_bad_row_in_it_fails(tmp_path):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    suite = _suite(tmp_path)
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1, 2, 3])
        _load(conn, "b.xlsx", "h2", [4, 5])
    first = _validate(tmp_path, warehouse, published, suite)  # nothing passed yet: every row
    assert (first.row_count, first.validated_rows, first.failures) == (5, 5, ())
    shutil.copyfile(warehouse, published)

    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "c.xlsx", "h3", [6, 700])
    result = _validate(tmp_path, warehouse, published, suite)
    assert (result.row_count, result.validated_rows) == (7, 2)  # c.xlsx's two rows, not a's and b's
    (failure,) = result.failures
    assert (failure.expectation, failure.column, failure.is_warning) == (
        "expect_column_values_to_be_between",
        "value",
        False,
    )
    assert failure.observed.startswith("1 of 2 rows")
    assert failure.sample == [{"source_file": "c.xlsx", "value": 700}]
    assert "7 rows, 2 of them from files not checked before" in result.describe()
    # it failed: c.xlsx is checked again by the next build
    assert _validate(tmp_path, warehouse, published, suite).validated_rows == 2


def test_a_uniqueness_rule_without_the_file_column_cannot_be_checked_on_a_slice(tmp_path):
    unique_value = {
        "type": "expect_column_values_to_be_unique",
        "kwargs": {"column": "value"},
        "meta": {"problem": "a value twice"},
    }
    with pytest.raises(ValueError, match="leaves out source_file"):
        _suite(tmp_path, expectations=(AT_MOST_100, unique_value))
    a_mean = {
        "type": "expect_column_mean_to_be_between",
        "kwargs": {"column": "value", "min_value": 0, "max_value": 10},
        "meta": {"problem": "values too high on the whole"},
    }
    with pytest.raises(ValueError, match="not a rule of single rows"):
        _suite(tmp_path, expectations=(a_mean,))
    per_file = {
        "type": "expect_compound_columns_to_be_unique",
        "kwargs": {"column_list": ["source_file", "value"]},
        "meta": {"problem": "a value twice in a file"},
    }
    assert _suite(tmp_path, expectations=(per_file,)).changed_rows.column == "source_file"


def test_every_suite_keeps_its_checkpoint_in_the_context_after_the_others_ran(tmp_path):
    """Each suite's asset stays in the one datasource: making a suite's checkpoint once dropped the
    others' assets, so that a stored checkpoint no longer loaded."""
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1, 2, 3])
    first = _suite(tmp_path)
    (tmp_path / "other").mkdir()
    other = _suite(tmp_path / "other", name_suffix="_again")
    for suite in (first, other):
        assert _validate(tmp_path, warehouse, published, suite).failures == ()
    context = quality_context(tmp_path)
    assert sorted(context.data_sources.get("warehouse").get_asset_names()) == [
        "thing_rows",
        "thing_rows_again",
    ]
    assert [context.checkpoints.get(name).name for name in ("thing_rows", "thing_rows_again")] == [
        "thing_rows",
        "thing_rows_again",
    ]


def test_a_suite_changed_within_a_process_is_judged_by_its_new_rules(tmp_path):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w_published.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        LEDGER.ensure(conn)
        _load(conn, "a.xlsx", "h1", [1, 2, 3])
    assert _validate(tmp_path, warehouse, published, _suite(tmp_path)).failures == ()
    with duckdb.connect(str(warehouse)) as conn:
        _load(conn, "b.xlsx", "h2", [2, 5])
    at_most_2 = {**AT_MOST_100, "kwargs": {"column": "value", "min_value": 0, "max_value": 2}}
    (failure,) = _validate(
        tmp_path, warehouse, published, _suite(tmp_path, expectations=(at_most_2,))
    ).failures
    assert failure.observed.startswith("1 of 2 rows")  # b.xlsx's 5, by the rule as it now reads


def test_failing_rows_of_dates_and_blanks_are_named_in_plain_values_the_check_can_show(tmp_path):
    """A date pair out of order, one end blank: the sample holds ISO text and None (a pandas Timestamp
    made the check's metadata fail, and NaT is not JSON); no frame is kept once validated."""
    suite_file = tmp_path / "span_rows.json"
    suite_file.write_text(
        json.dumps(
            {
                "name": "span_rows",
                "meta": {"table": "main.spans", "key": ["code"]},
                "expectations": [
                    {
                        "type": "expect_column_pair_values_a_to_be_greater_than_b",
                        "kwargs": {"column_A": "ends_on", "column_B": "starts_on", "or_equal": True},
                        "meta": {"problem": "a span that ends before it starts"},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    suite = read_suite(suite_file)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as conn:
        conn.execute(
            "create table main.spans as select * from (values "
            "('Q1', date '2024-01-01', date '2024-03-31'), ('Q2', date '2024-06-30', date '2024-04-01'), "
            "('Q3', date '2024-07-01', null)) as spans(code, starts_on, ends_on)"
        )
        result = run_suite(tmp_path, conn, suite, None)
    (failure,) = result.failures
    assert failure.sample == [
        {"code": "Q2", "ends_on": "2024-04-01T00:00:00", "starts_on": "2024-06-30T00:00:00"},
        {"code": "Q3", "ends_on": None, "starts_on": "2024-07-01T00:00:00"},
    ]
    metadata = check_metadata(result, "data_docs/index.html")
    assert metadata["failing_rows_sample"].data == {
        "expect_column_pair_values_a_to_be_greater_than_b (ends_on vs starts_on)": failure.sample
    }
    datasource = quality_context(tmp_path).data_sources.get("warehouse")
    assert datasource.get_execution_engine().batch_manager.batch_data_cache == {}

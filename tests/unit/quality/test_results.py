"""The row count of a table held against the last published build's, within a suite's bounds: a warning
when it left them, never a stop."""

from pipelines.quality.results import ROW_COUNT_DRIFT, row_count_drift
from tests.unit.quality.test_validate import _suite


def test_the_row_count_is_checked_on_the_whole_table_against_the_last_publication(tmp_path):
    suite_half = _suite(tmp_path, row_count_drift={"min_ratio": 0.5})
    assert row_count_drift(suite_half, 4, None) is None  # nothing published yet
    assert row_count_drift(suite_half, 5, 10) is None  # half of 10 is still in bounds
    drift = row_count_drift(suite_half, 4, 10)
    assert (drift.expectation, drift.is_warning) == (ROW_COUNT_DRIFT, True)
    assert drift.observed == "4 rows, 10 in the last published build (bounds at least 5)"
    suite_band = _suite(tmp_path, row_count_drift={"min_ratio": 0.9, "max_ratio": 1.5})
    assert row_count_drift(suite_band, 15, 10) is None
    assert (
        row_count_drift(suite_band, 16, 10).observed
        == "16 rows, 10 in the last published build (bounds 9-15)"
    )

"""The report sensor: one run per period with new, changed or removed files, nothing when all is loaded."""

from dataclasses import replace

import dagster as dg
import pytest

from pipelines.forms.report.template import write_template
from pipelines.landing.faults import READER_FAULT
from pipelines.landing.ledger import Entry
from pipelines.settings import Settings
from pipelines.sources.reports import assets
from pipelines.sources.reports.assets import SOURCE, UNIDENTIFIED
from tests.unit.landing.test_faults import PanicException, raising
from tests.unit.sources.reports.test_read import FORM


def _inbox(tmp_path):
    inbox = tmp_path / "raw" / "reports"
    write_template(FORM, inbox / "q3" / "so-noi-vu.xlsx")
    half = replace(FORM, period_key="2024-H1", period_label="6 tháng đầu năm 2024")
    write_template(half, inbox / "so-noi-vu-h1.xlsx")
    (inbox / "hong.xlsx").write_bytes(b"not a workbook")
    return inbox


def runs(inbox, ledger):
    """The report source's pending runs for an inbox against a ledger."""
    return SOURCE.runs(Settings.at(inbox.parent / "w.duckdb", inbox.parent), ledger)


def test_new_files_are_grouped_by_the_period_they_are_for(tmp_path):
    pending = runs(_inbox(tmp_path), {})
    assert {period: sorted(files) for period, files in pending.items()} == {
        "2024-Q3": ["q3/so-noi-vu.xlsx"],
        "2024-H1": ["so-noi-vu-h1.xlsx"],
        UNIDENTIFIED: ["hong.xlsx"],
    }


def test_loaded_files_are_skipped_and_removed_ones_reported_to_their_period(tmp_path):
    inbox = _inbox(tmp_path)
    first = runs(inbox, {})
    ledger = {
        key: Entry(digest, SOURCE.reader_version(), period)
        for period, files in first.items()
        for key, digest in files.items()
    }
    ledger["old/so-tu-phap.xlsx"] = Entry("abc", SOURCE.reader_version(), "2023-FY")
    assert runs(inbox, ledger) == {"2023-FY": {"old/so-tu-phap.xlsx": None}}
    # a newer reader reads every file again
    older = {
        key: Entry(entry.content_hash, "an-older-reader", entry.partition) for key, entry in ledger.items()
    }
    assert {period: sorted(files) for period, files in runs(inbox, older).items()} == {
        period: sorted(files) for period, files in first.items()
    } | {"2023-FY": ["old/so-tu-phap.xlsx"]}


def test_the_sensor_asks_for_one_run_per_period_and_registers_the_partitions(tmp_path):
    inbox = _inbox(tmp_path)
    settings = Settings.at(tmp_path / "warehouse" / "cchc.duckdb", inbox.parent)
    with dg.instance_for_test() as instance:
        result = SOURCE.sensor(dg.build_sensor_context(instance=instance, resources={"settings": settings}))
    assert sorted(request.partition_key for request in result.run_requests) == [
        "2024-H1",
        "2024-Q3",
        UNIDENTIFIED,
    ]
    (added,) = result.dynamic_partitions_requests
    assert sorted(added.partition_keys) == ["2024-H1", "2024-Q3", UNIDENTIFIED]


def test_a_file_whose_name_says_its_period_is_grouped_by_it_unopened(tmp_path, monkeypatch):
    inbox = _inbox(tmp_path)
    # unreadable, but named for the third quarter: it waits in that run, whose read says why it is refused
    (inbox / "so-tai-chinh_quy-III-2024.xlsx").write_bytes(b"not a workbook either")
    # a first-half form sent under a third-quarter name: grouped by the name, refused by the read
    half = replace(FORM, period_key="2024-H1", period_label="6 tháng đầu năm 2024")
    write_template(half, inbox / "so-xay-dung-quy-III-2024.xlsx")
    # a year no report can be for (a typo): opened, not made a run of its own
    (inbox / "so-y-te_quy-I-2052.xlsx").write_bytes(b"a typo in the name")
    opened, identify = [], assets.file_period

    def file_period(path):
        opened.append(path.name)
        return identify(path)

    monkeypatch.setattr(assets, "file_period", file_period)
    pending = runs(inbox, {})
    assert {period: sorted(files) for period, files in pending.items()} == {
        "2024-Q3": ["q3/so-noi-vu.xlsx", "so-tai-chinh_quy-III-2024.xlsx", "so-xay-dung-quy-III-2024.xlsx"],
        "2024-H1": ["so-noi-vu-h1.xlsx"],
        UNIDENTIFIED: ["hong.xlsx", "so-y-te_quy-I-2052.xlsx"],
    }
    assert sorted(opened) == ["hong.xlsx", "so-noi-vu-h1.xlsx", "so-noi-vu.xlsx", "so-y-te_quy-I-2052.xlsx"]


@pytest.mark.parametrize("fault", [RuntimeError("a reader bug"), PanicException("calamine panicked")])
def test_a_reader_fault_on_one_file_rejects_that_file_and_stops_nothing(tmp_path, monkeypatch, fault):
    # simulated (no real file is known to cause one now): that file's rejection, said as the
    # software's fault; planning leaves it to the unidentified run
    monkeypatch.setattr(assets, "read_report", raising(fault))
    monkeypatch.setattr(assets, "planned_period", raising(fault))
    path = tmp_path / "so-noi-vu.xlsx"
    path.write_bytes(b"any")
    assert assets._read(path) == (None, READER_FAULT, None)
    assert assets.file_period(path) == UNIDENTIFIED


@pytest.mark.parametrize("stop", [KeyboardInterrupt(), FileNotFoundError("gone"), MemoryError()])
def test_an_interrupt_or_what_the_machine_lacks_still_stops_the_run(tmp_path, monkeypatch, stop):
    monkeypatch.setattr(assets, "read_report", raising(stop))
    with pytest.raises(type(stop)):
        assets._read(tmp_path / "so-noi-vu.xlsx")

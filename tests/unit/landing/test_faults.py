"""The reader-fault policy every source shares: a refusal gives its reason, a fault of the reader's own
on one file refuses that file as the software's fault, and what the machine lacks or an interrupt stops
the run."""

from __future__ import annotations

import logging
import subprocess

import pytest

from pipelines.landing.faults import READER_FAULT, is_reader_fault, read_or_refuse


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PanicException(BaseException):
    """What pyo3 raises when a Rust reader panics (a BaseException, known by its name)."""


def raising(error: BaseException):
    """A reader that fails with `error` on any file."""

    def read(path):
        raise error

    return read


def failing_on(function, chosen, fault: BaseException):
    """`function`, but raising `fault` for an argument `chosen` says is the one: a reader's fault
    simulated on one file (no real file is known to cause one now)."""

    def failing(argument):
        if chosen(argument):
            raise fault
        return function(argument)

    return failing


def test_a_file_read_gives_its_reading_and_a_refused_one_its_reason(tmp_path):
    path = tmp_path / "xem-xet.xlsx"
    assert read_or_refuse(lambda given: f"read {given.name}", path, Refused) == ("read xem-xet.xlsx", None)
    refused = raising(Refused("Thiếu trang 'Xem xét'."))
    assert read_or_refuse(refused, path, Refused) == (None, "Thiếu trang 'Xem xét'.")


@pytest.mark.parametrize(
    "fault",
    [
        RuntimeError("a reader bug"),
        KeyError("D7"),
        PanicException("panicked"),
        subprocess.CalledProcessError(1, ["tesseract"]),  # it ran and failed on the page
    ],
)
def test_a_fault_of_the_reader_refuses_the_file_as_the_softwares_and_logs_why(tmp_path, caplog, fault):
    with caplog.at_level(logging.ERROR, logger="pipelines.landing.faults"):
        assert read_or_refuse(raising(fault), tmp_path / "tu-cham.xlsx", Refused) == (None, READER_FAULT)
    (record,) = caplog.records
    assert record.getMessage() == "tu-cham.xlsx: the reader failed"
    assert record.exc_info[1] is fault  # the traceback is in the log
    assert "lỗi của phần mềm, không phải của tệp" in READER_FAULT


@pytest.mark.parametrize(
    "stop",
    [
        KeyboardInterrupt(),
        SystemExit(1),
        FileNotFoundError("gone"),
        PermissionError(),
        MemoryError(),
        subprocess.CalledProcessError(-9, ["tesseract"]),  # killed by the out-of-memory killer
    ],
)
def test_an_interrupt_or_what_the_machine_lacks_still_stops_the_run(tmp_path, stop):
    assert not is_reader_fault(stop)
    with pytest.raises(type(stop)):
        read_or_refuse(raising(stop), tmp_path / "tham-dinh.xlsx", Refused)

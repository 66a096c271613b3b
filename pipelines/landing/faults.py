"""A reader's own fault on one file: that file refused and told, the other files of its run loaded.

Every source's reader refuses a file it cannot accept by raising its refusal with a reason for the clerk.
Anything else it raises on a file is a fault of the reader on content it did not foresee: the run must
not fail for it, or every other file of the run (a period's reports, the folder of reviews,
self-assessments, appraisals or indices) would wait on that one file at every run. The file is refused
with a reason saying it is the software's fault, kept in the archive, and read again when the reader's
code changes (its reader version). What the machine lacks (a file gone or unreadable, memory) and an
interrupt still fail the run, which the next run retries.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

READER_FAULT = (
    "Hệ thống gặp lỗi khi đọc tệp này (lỗi của phần mềm, không phải của tệp): tệp đã được lưu lại;"
    " hãy báo cho Sở Nội vụ."
)

Reading = TypeVar("Reading")


def is_reader_fault(error: BaseException) -> bool:
    """An exception a reader raised on one file: any Exception, or a panic of a Rust reader (pyo3's
    PanicException derives from BaseException); not an interrupt or an exit, and not what the machine
    lacks (a file gone or unreadable, memory, a helper process such as Tesseract killed by a signal:
    the kernel's out-of-memory killer), which the run's failure retries."""
    if isinstance(error, OSError | MemoryError):
        return False
    if isinstance(error, subprocess.CalledProcessError) and error.returncode < 0:
        return False
    return isinstance(error, Exception) or type(error).__name__ == "PanicException"


def read_or_refuse(
    read: Callable[[Path], Reading], path: Path, refusal: type[Exception]
) -> tuple[Reading | None, str | None]:
    """`read(path)` and no reason; or no reading and why the file is refused: the reason of the
    `refusal` the reader raised, or READER_FAULT for a fault of the reader's own (logged with its
    traceback). An interrupt or what the machine lacks propagates."""
    try:
        return read(path), None
    except refusal as refused:
        return None, refused.reason  # every source's refusal carries the clerk's reason
    except BaseException as error:
        if not is_reader_fault(error):
            raise
        log.exception("%s: the reader failed", path.name)
        return None, READER_FAULT

"""One entry point for every index file: a workbook as published, or a CSV of reported values."""

from __future__ import annotations

from pathlib import Path

from pipelines.sources.indices.published import read_published_csv
from pipelines.sources.indices.scores import IndexReading
from pipelines.sources.indices.workbook import read_index_workbook


def read_index_file(path: Path) -> IndexReading:
    """Raises IndexFileRejected, with a reason for the person who supplied the file."""
    if path.suffix.lower() == ".csv":
        return read_published_csv(path)
    return read_index_workbook(path)

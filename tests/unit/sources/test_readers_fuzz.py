"""Readers that cannot crash: a report, a plan or an index file damaged in any way people and programs
damage files (cut short, bytes overwritten, a member of the workbook's zip lost or garbled, saved in
another text encoding, not the file at all) is read, or refused with a reason in Vietnamese that names
the file; never another exception, which would stop the run for everyone.

Hypothesis draws the damage from a fixed seed (the same cases on every run, so CI is repeatable);
`CCHC_FUZZ_EXAMPLES` raises the count for a longer soak.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from pipelines.formats.blocks import DocumentRejected
from pipelines.formats.workbooks import WorkbookRejected
from pipelines.forms.report.template import write_template
from pipelines.sources.indices.parse import read_index_file
from pipelines.sources.indices.scores import IndexFileRejected
from pipelines.sources.plans.parse import parse_plan
from pipelines.sources.reports.read import ReportRejected, read_report
from tests import FIXTURES_DIR
from tests.unit.sources.reports.test_read import FORM

REASONED = (ReportRejected, WorkbookRejected, DocumentRejected, IndexFileRejected)
EXAMPLES = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENCODINGS = ("utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1258", "latin-1", "utf-32")


@st.composite
def _damage(draw, data: bytes, *, text: bool) -> bytes:
    """One way a file gets damaged on its way in."""
    kind = draw(st.sampled_from(["cut", "overwrite", "zip", "encoding", "noise", "nul"]))
    if kind == "cut":
        return data[: draw(st.integers(0, len(data) - 1))]
    if kind == "overwrite":
        damaged = bytearray(data)
        for _ in range(draw(st.integers(1, 64))):
            damaged[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(damaged)
    if kind == "zip" and data.startswith(b"PK"):
        return _garble_member(draw, data)
    if kind == "encoding" and text:
        encoding = draw(st.sampled_from(ENCODINGS))
        return data.decode("utf-8").encode(encoding, errors="replace")
    if kind == "nul":
        at = draw(st.integers(0, len(data)))
        return data[:at] + b"\x00" * draw(st.integers(1, 4096)) + data[at:]
    return draw(st.binary(max_size=4096))


def _garble_member(draw, data: bytes) -> bytes:
    """Rewrite the zip with one member lost, emptied, cut short, replaced by noise or its XML broken."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    target = draw(st.integers(0, len(members) - 1))
    how = draw(st.sampled_from(["lose", "empty", "cut", "noise", "xml"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        for index, (name, body) in enumerate(members):
            if index == target:
                if how == "lose":
                    continue
                body = {
                    "empty": b"",
                    "cut": body[: len(body) // 2],
                    "noise": draw(st.binary(min_size=1, max_size=512)),
                    "xml": body.replace(b">", b">\x00<x", 1).replace(b'"', b"", 3),
                }[how]
            zipped.writestr(name, body)
    return out.getvalue()


def _refused_in_vietnamese(error: Exception, name: str) -> None:
    assert name in str(error), error
    assert any(ord(letter) > 127 for letter in error.reason), error.reason  # words for a clerk


def _read(reader, path: Path) -> None:
    try:
        reader(path)
    except REASONED as error:
        _refused_in_vietnamese(error, path.name)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(FORM, tmp_path_factory.mktemp("fuzz") / "mau.xlsx")


@seed(20261204)
@FUZZ
@given(data=st.data())
def test_a_damaged_report_is_read_or_refused_with_its_reason(data, template, tmp_path):
    path = tmp_path / "so-noi-vu-2024-Q3.xlsx"
    path.write_bytes(data.draw(_damage(template.read_bytes(), text=False)))
    _read(read_report, path)


PLANS = [
    (FIXTURES_DIR / "plans" / "kh-300-ubnd-dong-nai-2024.md", True),
    (FIXTURES_DIR / "plans" / "pdf" / "kh-01-bql-kcn-dong-nai-2020.pdf", False),
]


@seed(20261204)
@FUZZ
@given(plan=st.sampled_from(PLANS), data=st.data())
def test_a_damaged_plan_is_read_or_refused_with_its_reason(plan, data, tmp_path):
    original, text = plan
    path = tmp_path / original.name
    path.write_bytes(data.draw(_damage(original.read_bytes(), text=text)))
    _read(parse_plan, path)


INDICES = [
    (FIXTURES_DIR / "indices" / "PCI_2014.xlsx", False),
    (FIXTURES_DIR / "indices" / "PCI_2005.xls", False),
    (FIXTURES_DIR / "indices" / "par_index_published.csv", True),
]


@seed(20261204)
@FUZZ
@given(index=st.sampled_from(INDICES), data=st.data())
def test_a_damaged_index_file_is_read_or_refused_with_its_reason(index, data, tmp_path):
    original, text = index
    path = tmp_path / original.name
    path.write_bytes(data.draw(_damage(original.read_bytes(), text=text)))
    _read(read_index_file, path)

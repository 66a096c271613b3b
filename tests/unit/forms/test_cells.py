"""Text from documents stays text in the extract: no formula in the workbook, an apostrophe in the CSV."""

import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.forms.cells import neutralise, put
from pipelines.forms.labels import arrow, target_text

HOSTILE = ['=HYPERLINK("http://x.example","bấm")', "+1+1", "-2+3", "@SUM(A1)", "- Năng lực cạnh tranh"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_a_quoted_string_in_the_workbook(tmp_path, text):
    workbook = openpyxl.Workbook()
    put(workbook.active["A1"], text)
    put(workbook.active["A2"], "Sở Nội vụ")
    put(workbook.active["A3"], 5.6)
    workbook.save(tmp_path / "x.xlsx")
    with zipfile.ZipFile(tmp_path / "x.xlsx") as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # nothing is stored as a formula
    cell = openpyxl.load_workbook(tmp_path / "x.xlsx").active["A1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    reloaded = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    assert not reloaded["A2"].quotePrefix and reloaded["A3"].value == 5.6


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_gets_an_apostrophe_in_csv(text):
    assert neutralise(text) == "'" + text


@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_keeps_the_rest(text):
    safe = neutralise(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe.removeprefix("'") == text or safe == text


def test_arrows_and_target_text():
    assert [arrow(2.5, has_previous=True), arrow(-1, has_previous=True), arrow(0, has_previous=True)] == [
        "▲",
        "▼",
        "►",
    ]
    assert arrow(None, has_previous=False) == "mới"
    assert target_text(">=", 97.5, "percent") == "≥ 97,5 %"
    assert target_text("=", 100.0, "count") == "= 100"

"""An .xlsx read by the compiled scanner (_sheet_xml.c) gives what calamine's read gives: each value as
written here by hand, and the same cells as calamine for workbooks of every shape drawn at random; a
form it does not know sends the workbook to calamine; no bytes, cut or garbled, make it fail."""

import os
import random
import re
import zipfile
from contextlib import contextmanager
from datetime import date, datetime
from unittest import mock

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.formats import _sheet_xml, workbooks, xlsx
from pipelines.formats.workbooks import read_workbook

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# cell formats: 0 General, 1 "0.0%", 2 "dd/mm/yyyy", 3 "dd/mm/yyyy hh:mm", 4 "[h]:mm" (a duration)
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><numFmts count="4"><numFmt numFmtId="164" formatCode="0.0%"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/><numFmt numFmtId="166" formatCode="dd/mm/yyyy hh:mm"/>'
    '<numFmt numFmtId="167" formatCode="[h]:mm"/></numFmts><cellXfs count="5"><xf numFmtId="0"/>'
    '<xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/></cellXfs></styleSheet>'
)


def _package(
    path,
    sheet_data: str,
    shared: str | None = None,
    head: str = "",
    book: str = "",
    sheet_ids: str = _RELATIONS,
):
    """A one-sheet .xlsx ("Báo cáo") whose sheetData is `sheet_data`, with the styles above and, when
    given, the <si> items of a shared strings table, `head` before the sheetData, `book` before the
    workbook's sheets and the namespace `sheet_ids` of their r:id: the package as a tool writes it."""
    relations = f'<Relationship Id="rId1" Type="{_RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
    relations += f'<Relationship Id="rId2" Type="{_RELATIONS}/styles" Target="styles.xml"/>'
    if shared is not None:
        relations += f'<Relationship Id="rId3" Type="{_RELATIONS}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override '
        'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELATIONS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{sheet_ids}">{book}<sheets>'
        '<sheet name="Báo cáo" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{relations}</Relationships>',
        "xl/styles.xml": _STYLES,
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}">{head}<sheetData>{sheet_data}</sheetData>'
        "</worksheet>",
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}">{shared}</sst>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text.encode())
    return path


def _rewrite(path, change) -> None:
    """The package at `path` with its parts (name → bytes) as `change` leaves them."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    change(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


@contextmanager
def _calamine_only():
    """read_workbook as before the scanner: calamine and the package pass."""
    with mock.patch.object(workbooks, "_scanned", lambda *_: None):
        yield


def _scanned(path) -> workbooks.Workbook | None:
    with zipfile.ZipFile(path) as package:
        return workbooks._scanned(path.name, package, None)


def _content(book: workbooks.Workbook):
    """What a reader sees of each sheet: its rows in order, each padded as calamine pads it, formulas,
    errors and percentages."""
    return [
        (sheet.name, list(sheet.cells.items()), sheet.formulas, sheet.errors, sheet.percent)
        for sheet in book.sheets
    ]


def test_each_kind_of_cell_is_read_as_written_and_as_calamine_reads_it(tmp_path):
    path = _package(
        tmp_path / "bao-cao.xlsx",
        '<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" s="1"><v>0.975</v></c>'
        '<c r="D2" s="2"><v>45366</v></c><c r="E2" s="3"><v>45366.4375</v></c>'
        '<c r="F2" t="e"><f>G2/H2</f><v>#DIV/0!</v></c><c r="G2" t="b"><v>1</v></c>'
        '<c r="H2" s="1"/><c r="I2"><f>1+1</f><v>2</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve">'
        "  AT&amp;T &lt;x&gt; &#7870;&#x1EBE;  </t></is></c>"
        '<c r="B3" t="str"><v>d\u00f2ng 1\r\nd\u00f2ng 2</v></c><c r="C3" t="s"><v>1</v></c>'
        '<c r="D3" t="s"><v>2</v></c></row>'
        '<row r="4"><c r="A4" t="inlineStr"><is><t xml:space="preserve">   </t></is></c></row>'
        '<row r="5"><c r="A5" t="e"><v>#N/A</v></c><c r="B5" s="1"></c></row>'
        '<row r="7"><c r="C7" t="n"><v>-12.5</v></c></row>',
        shared="<si><r><t>Tỷ lệ </t></r><r><rPr><b/></rPr><t>đạt</t></r>"
        '<rPh sb="0" eb="1"><t>X</t></rPh></si>'
        "<si><t>Tho\u0302ng tin</t></si>"  # decomposed: read as NFC
        '<si><t>a</t><rPh sb="0" eb="1"/><r><t>b</t></r></si>',  # an empty phonetic guide
    )
    scanned = _scanned(path)
    assert scanned is not None
    (sheet,) = scanned.sheets
    assert sheet.cells == {
        # a run's <t> without xml:space="preserve" loses its edge spaces, as calamine reads it
        1: ["", "Tỷ lệđạt", 0.975, "2024-03-15", "2024-03-15T10:30:00", "", "TRUE", "", 2.0],
        2: ["AT&T <x> ẾẾ", "dòng 1\ndòng 2", "Thông tin", "ab", "", "", "", "", ""],
        3: [""] * 9,  # spaces kept by xml:space="preserve": a row, blank; an error alone (row 5): none
        6: ["", "", -12.5, "", "", "", "", "", ""],  # each row padded to the last column, as calamine
    }
    assert sheet.formulas == {(1, 5): "G2/H2", (1, 8): "1+1"}
    assert sheet.errors == {(1, 5): "#DIV/0!", (4, 0): "#N/A"}
    assert sheet.percent == {(1, 2), (1, 7), (4, 1)}
    with _calamine_only():
        assert _content(read_workbook(path)) == _content(scanned)


@pytest.mark.parametrize(
    "cells",
    [
        '<c r="A1" t="inlineStr"><is><t>a_x000D_b</t></is></c>',  # an escape calamine resolves
        '<c r="A1" s="4"><v>1.5</v></c>',  # a duration
        '<c r="A1" s="3"><v>0.5</v></c>',  # a time of day in a date format
        '<c r="A1" s="2"><v>45</v></c>',  # a date before 1 March 1900, which Excel counts wrongly
        '<c r="A1"><v> 12 </v></c>',  # a number calamine keeps as text
        '<c r="A1" t="d"><v>2024-03-15T00:00:00</v></c>',  # an ISO date
        '<c r="A1" t="inlineStr"><is><t><![CDATA[x]]></t></is></c>',
        '<c r="A1" s="9"><v>1</v></c>',  # a cell format the styles do not have
        '<c t="inlineStr"><is><t>no reference</t></is></c>',
        '<c r="A2"><v>1</v></c><c r="A1"><v>2</v></c>',  # rows out of order
        '<x:c r="A1"><x:v>1</x:v></x:c>',
        '<c r="A1" t="inlineStr"><is><t>a&#95;x000D_b</t></is></c>',  # an escape made of a reference
        '<c r="A1" t="inlineStr"><is><!-- ghi chú --><t>x</t></is></c>',
        # a comment or CDATA that holds a phonetic run's end, which calamine reads past: "a", not "ax"
        '<c r="A1" t="inlineStr"><is><t>a</t><rPh sb="0" eb="1"><!-- </rPh> --><t>x</t></rPh></is></c>',
        '<c r="A1" t="inlineStr"><is><t>a</t><rPh sb="0" eb="1"><t><![CDATA[</rPh><t>x</t>]]></t>'
        "</rPh></is></c>",
        '<c r="A1" t="e"><v>#N/A<x/></v></c>',  # a tag in a cached value
        '<c r="A1" t="s"><v>0.0</v></c>',  # a shared string's index written as a decimal
        '<c r="A1"><v>1</v></c><c r="A300000"><v>2</v></c>',  # a grid of 300,000 cells: too sparse
    ],
)
def test_a_form_the_scanner_does_not_know_is_read_by_calamine(tmp_path, cells):
    if "A300000" in cells:
        cells = cells.replace('<c r="A300000">', '</row><row r="300000"><c r="A300000">')
    path = _package(tmp_path / "la.xlsx", f'<row r="1">{cells}</row>', shared="<si><t>x</t></si>")
    assert _scanned(path) is None
    with _calamine_only():
        by_calamine = _content(read_workbook(path))
    assert _content(read_workbook(path)) == by_calamine


@pytest.mark.parametrize("extent", ["1:2", "A:C", "$A$1:$C$2", "A1:C2 E5:F6"])
def test_a_sheet_calamine_refuses_is_read_as_before_by_the_xml_reader(tmp_path, extent):
    # an extent calamine does not take (<dimension ref="1:2"/>, as some tools write it): it refuses the
    # sheet and the XML reader reads it, each row to its own last cell; the scanner leaves it to them
    path = _package(
        tmp_path / "pci.xlsx",
        '<row r="1"><c r="C1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>',
        head=f'<dimension ref="{extent}"/>',
    )
    assert _scanned(path) is None
    (sheet,) = read_workbook(path).sheets
    assert sheet.cells == {0: ["", "", 1.0], 1: [2.0]}


def test_a_workbook_dated_from_1904_keeps_calamines_dates(tmp_path):
    # a Mac's workbook counts days from 1904: the same serial is 4 years and a day later
    path = _package(
        tmp_path / "mac.xlsx",
        '<row r="1"><c r="A1" s="2"><v>45366</v></c></row>',
        book='<workbookPr date1904="1"/>',
    )
    assert _scanned(path) is None
    (sheet,) = read_workbook(path).sheets
    assert sheet.cells == {0: ["2028-03-16"]}


def test_a_workbook_whose_sheets_the_scanner_cannot_find_is_read_whole_by_calamine(tmp_path):
    # Strict OOXML names its relationships in another namespace: the sheet is there, found by calamine
    strict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    path = _package(tmp_path / "strict.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>', sheet_ids=strict)
    assert _scanned(path) is None
    assert [(sheet.name, sheet.cells) for sheet in read_workbook(path).sheets] == [("Báo cáo", {0: [1.0]})]


_TEXT = st.text(alphabet="aăâbcdđeêghioôơuưyÀÁẠẢÃỆỂếệ áẾ&<>\"' \n\t0123456789,.%_", max_size=14)
_NUMBER = st.one_of(
    st.integers(-1_000_000, 3_000_000).map(float),
    st.floats(-1e7, 3e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 0.5, 0.975, 45366.0, 45366.4375, 59.0, 2958465.0, 2958466.0]),
)
_VALUE = st.one_of(
    _TEXT,
    _NUMBER,
    st.booleans(),
    st.dates(date(1900, 3, 1), date(2100, 12, 31)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 12, 31)).map(lambda at: at.replace(microsecond=0)),
    st.sampled_from(["=A1+1", "=SUM(B1:B3)", ""]),
)
# number formats whose numbers the scanner reads (dates keep the format openpyxl gives them); those
# it leaves to calamine are above
_FORMATS = ["General", "0", "0.00", "#,##0", "0%", "0.0%", "[$-42A]0.00", '0.0" ngày"']


def _shared_instead(path, runs: bool):
    """The package at `path` with its inline strings moved to a shared strings table as Excel and
    LibreOffice keep them, some in runs of rich text with a phonetic guide, when `runs`."""

    def change(parts: dict[str, bytes]) -> None:
        strings: list[bytes] = []

        def shared(match) -> bytes:
            strings.append(match.group(2))
            return match.group(1) + b't="s"><v>' + str(len(strings) - 1).encode() + b"</v></c>"

        for name in [name for name in parts if name.startswith("xl/worksheets/sheet")]:
            parts[name] = re.sub(rb'(<c [^>]*?)t="inlineStr"><is>(.*?)</is></c>', shared, parts[name])
        items = b"".join(
            b"<si>"
            + (b"<r><rPr><b/></rPr>" + text + b'</r><rPh sb="0" eb="1"><t>X</t></rPh>' if runs else text)
            + b"</si>"
            for text in strings
        )
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}">'.encode() + items + b"</sst>"
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            f'<Relationship Id="rId9" Type="{_RELATIONS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>".encode(),
        )

    _rewrite(path, change)


# 60 drawn workbooks in `make test`; `make bench` draws 1,000
@settings(max_examples=int(os.environ.get("CCHC_SCANNER_EXAMPLES", "60")))
@given(
    cells=st.dictionaries(st.tuples(st.integers(1, 40), st.integers(1, 12)), _VALUE, max_size=60),
    formats=st.lists(st.sampled_from(_FORMATS), min_size=1, max_size=4),
    strings=st.sampled_from(["inline", "shared", "rich"]),
)
def test_any_workbook_reads_the_same_by_the_scanner_and_by_calamine(
    tmp_path_factory, cells, formats, strings
):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chỉ tiêu"
    for index, ((row, column), value) in enumerate(sorted(cells.items())):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, float):
            cell.number_format = formats[index % len(formats)]
    workbook.create_sheet("Trống")
    path = tmp_path_factory.mktemp("drawn") / "bao-cao.xlsx"
    workbook.save(path)
    if strings != "inline":
        _shared_instead(path, runs=strings == "rich")
    scanned = _scanned(path)
    assert scanned is not None  # every draw is a form the scanner reads: none handed to calamine
    with _calamine_only():
        assert _content(scanned) == _content(read_workbook(path))


def test_a_plain_report_is_read_by_the_scanner_not_handed_to_calamine(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Mã chỉ tiêu", "Kết quả", "Ngày báo cáo", "Tỷ lệ"])
    sheet.append(["CT01", 97.5, date(2024, 9, 14), 0.975])
    sheet["C2"].number_format = "dd/mm/yyyy"
    sheet["D2"].number_format = "0.0%"
    path = tmp_path / "so-noi-vu.xlsx"
    workbook.save(path)
    for strings in ("inline", "shared"):
        if strings == "shared":
            _shared_instead(path, runs=False)
        scanned = _scanned(path)
        assert scanned is not None
        assert scanned.sheets[0].cells == {
            0: ["Mã chỉ tiêu", "Kết quả", "Ngày báo cáo", "Tỷ lệ"],
            1: ["CT01", 97.5, "2024-09-14", 0.975],
        }


def test_no_cut_or_garbled_sheet_makes_the_scanner_fail():
    xml = (
        f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1">'
        '<v>0.975</v></c><c r="C1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row><row r="2"><c r="A2" '
        't="inlineStr"><is><r><t>&#7870; &amp; x</t></r></is></c><c r="B2" s="2"><v>45366</v></c><c r="C2" '
        't="b"><v>0</v></c><c r="D2" t="str"><v>a\r\nb</v></c></row></sheetData></worksheet>'
    ).encode()
    shared = f'<sst xmlns="{_MAIN}"><si><t>Tỷ lệ</t></si><si><r><t>a</t></r></si></sst>'.encode()
    flags = bytes([0, xlsx.PERCENT, xlsx.DATE])

    def scan(data: bytes):
        return _sheet_xml.scan(data, ["Tỷ lệ"], ["Tỷ lệ"], flags, workbooks._cell, "", 100, 100, 100, 1000)

    whole = scan(xml)
    assert whole is not None and whole[0][0] == ["Tỷ lệ", 0.975, "", ""]
    drawn = random.Random(31)
    garbled = []
    for _ in range(3000):
        data = bytearray(xml)
        for _ in range(drawn.randint(1, 4)):
            data[drawn.randrange(len(data))] = drawn.choice(
                b'<>/="&;#x \r\n\x00\xff' + bytes([drawn.randrange(256)])
            )
        garbled.append(bytes(data))
    for data in [xml[:cut] for cut in range(len(xml))] + garbled:
        result = scan(data)
        assert result is None or (isinstance(result, tuple) and len(result) == 8)
    for data in [shared[:cut] for cut in range(len(shared))]:
        strings = _sheet_xml.shared_strings(data)
        assert strings is None or all(isinstance(text, str) for text in strings)


def test_every_number_is_the_double_nearest_its_digits():
    # a plain decimal of up to 15 digits the scanner works out itself, any other as before: each must be
    # the double Python (and calamine) read it as, to the last bit and the sign of a zero
    drawn = random.Random(7)
    written = ["0", "-0", "53.2", "0.975", "1926", "-12.5", "0.1", "0.3", "123456789012345", "00012.50"]
    written += ["1234567890123456", "9007199254740993", "0.000000000000001", "5.", ".5", "+7", "2.5E-3"]
    for _ in range(3000):
        digits = "".join(drawn.choice("0123456789") for _ in range(drawn.randint(1, 17)))
        point = drawn.randint(0, len(digits))
        text = digits if point in (0, len(digits)) else f"{digits[:point]}.{digits[point:]}"
        written.append(("-" if drawn.random() < 0.3 else "") + text)
    xml = "".join(
        f'<row r="{row}"><c r="A{row}"><v>{text}</v></c></row>' for row, text in enumerate(written, 1)
    )
    scanned = _sheet_xml.scan(
        f'<worksheet xmlns="{_MAIN}"><sheetData>{xml}</sheetData></worksheet>'.encode(),
        [],
        [],
        bytes([0]),
        workbooks._cell,
        "",
        10_000,
        10,
        10_000,
        100_000,
    )
    assert scanned is not None
    read = {written[row]: repr(cells[0]) for row, cells in scanned[0].items()}
    assert read == {text: repr(float(text)) for text in written}
    assert read["53.2"] == "53.2" and read["-0"] == "-0.0" and read["0.975"] == "0.975"


@pytest.mark.parametrize(
    ("code", "flag"),
    [
        ("0.0%", xlsx.PERCENT),
        ("General", 0),
        ("[$-42A]0.00", 0),
        ('#,##0" đồng"', 0),
        ("dd/mm/yyyy", xlsx.DATE),
        ("dd/mm/yyyy hh:mm", xlsx.DATE),
        ("[h]:mm:ss", xlsx.UNSURE),
        ("mm:ss", xlsx.UNSURE),
        ("h:mm AM/PM", xlsx.UNSURE),
    ],
)
def test_a_number_format_is_left_to_calamine_unless_its_reading_is_certain(code, flag):
    assert xlsx._flag(164, code, "%" in code) == flag

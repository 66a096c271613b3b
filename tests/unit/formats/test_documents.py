"""Readers: text/Markdown with tab or pipe tables and HTML in cells, Word files, and refusals."""

import unicodedata

import docx
import pytest
from docx.shared import Pt

from pipelines.formats.blocks import DocumentRejected, Paragraph, Table
from pipelines.formats.documents import clean_cell, read_document


def test_tab_table_rows_keep_their_lines_and_cells(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "Số: 12/KH-UBND\n\nSTT\tNhiệm vụ\tChủ trì\n1\tRà soát TTHC\tVăn phòng\n\nSau bảng.\n",
        encoding="utf-8",
    )
    document = read_document(path)
    (table,) = document.tables
    assert [row.cells for row in table.rows] == [
        ("STT", "Nhiệm vụ", "Chủ trì"),
        ("1", "Rà soát TTHC", "Văn phòng"),
    ]
    assert [row.line for row in table.rows] == [3, 4]
    assert [p.text for p in document.paragraphs] == ["Số: 12/KH-UBND", "Sau bảng."]


def test_html_fragments_in_cells_become_lines_of_plain_text():
    raw = (
        "<p>Đảm bảo cơ sở vật chất</p> <p>Tiếp tục <b>thực hiện</b></p>"
        "<ul><li>Một</li><li>Hai &amp; ba</li></ul>"
    )
    assert clean_cell(raw) == "Đảm bảo cơ sở vật chất\nTiếp tục thực hiện\nMột\nHai & ba"


def test_bold_section_row_is_marked_emphasised(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("STT\tNhiệm vụ\n<b>II Cải cách thủ tục hành chính</b>\t\n", encoding="utf-8")
    row = read_document(path).tables[0].rows[1]
    assert row.cells[0] == "II Cải cách thủ tục hành chính"
    assert row.emphasised[0] is True


def test_markdown_pipe_table_is_read_like_a_tab_table(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("| STT | Nhiệm vụ |\n|---|---|\n| 1 | Rà soát |\n", encoding="utf-8")
    (table,) = read_document(path).tables
    assert [row.cells for row in table.rows] == [("STT", "Nhiệm vụ"), ("1", "Rà soát")]


def test_roman_section_line_without_tabs_stays_inside_the_table(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text("STT\tNhiệm vụ\n1\tA\n\nIV. Xây dựng đội ngũ\n\n1\tB\n", encoding="utf-8")
    (table,) = read_document(path).tables
    assert [row.cells[0] for row in table.rows] == ["STT", "1", "IV. Xây dựng đội ngũ", "1"]


def test_text_is_nfc_normalised_at_the_edge(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(unicodedata.normalize("NFD", "Cải cách thủ tục hành chính").encode("utf-8"))
    (paragraph,) = read_document(path).paragraphs
    assert paragraph.text == unicodedata.normalize("NFC", "Cải cách thủ tục hành chính")
    assert unicodedata.is_normalized("NFC", paragraph.text)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_text_saved_as_unicode_by_notepad_is_read(tmp_path, encoding):
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes("Kế hoạch cải cách hành chính năm 2024\nMục tiêu".encode(encoding))
    first, second = read_document(path).paragraphs
    assert (first.text, second.text) == ("Kế hoạch cải cách hành chính năm 2024", "Mục tiêu")


def test_content_hash_is_of_the_bytes_as_received(tmp_path):
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("Kế hoạch năm 2024", encoding="utf-8")
    second.write_text("Kế hoạch năm 2025", encoding="utf-8")
    assert read_document(first).content_hash != read_document(second).content_hash
    assert len(read_document(first).content_hash) == 64


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("scan.pdf", b"%PDF-1.4 binary", "Không mở được tệp PDF"),
        ("plan.doc", b"\xd0\xcf\x11\xe0", "Định dạng '.doc' chưa được hỗ trợ"),
        ("empty.md", b"  \n", "Tệp rỗng"),
        ("scan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\xb0", "Tệp không phải văn bản"),
        ("cp1258.txt", b"K\xea ho\xb9ch n\xe3m 2024", "bảng mã Unicode (UTF-8)"),
        ("broken.docx", b"not a zip at all", "Không mở được tệp Word"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason_a_clerk_can_act_on(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentRejected) as caught:
        read_document(path)
    assert expected in caught.value.reason
    assert caught.value.source == name


def test_word_plan_with_real_table_and_merged_cells(tmp_path):
    word = docx.Document()
    heading = word.add_paragraph().add_run("KẾ HOẠCH")
    heading.bold = True
    heading.font.size = Pt(14)
    word.add_paragraph("Cải cách hành chính năm 2025")
    table = word.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["STT", "Nhiệm vụ", "Thời gian"], strict=True):
        cell.text = text
    merged = table.cell(1, 0).merge(table.cell(1, 2))
    merged.text = "I. Cải cách thể chế"
    for cell, text in zip(table.rows[2].cells, ["1", "Rà soát văn bản", "Quý II/2025"], strict=True):
        cell.text = text
    path = tmp_path / "plan.docx"
    word.save(path)

    document = read_document(path)
    kinds = [type(block) for block in document.blocks]
    assert kinds == [Paragraph, Paragraph, Table]
    assert document.paragraphs[0].is_emphasised
    rows = document.tables[0].rows
    assert rows[1].cells == ("I. Cải cách thể chế", "", "")  # a merged cell once, not three times
    assert rows[2].cells == ("1", "Rà soát văn bản", "Quý II/2025")

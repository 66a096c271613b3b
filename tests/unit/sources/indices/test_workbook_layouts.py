"""Index workbooks laid out as publishers might next year: found by meaning, or rejected with a reason."""

import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipelines.sources.indices.scores import NATIONAL, IndexFileRejected
from pipelines.sources.indices.workbook import read_index_workbook


def _write(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


PROVINCE_ROWS = [
    ["Dong Nai", 7.1, 6.2, 64.5, 3],
    ["TP. Hồ Chí Minh", 6.9, 6.8, 66.0, 1],
    ["TT- Huế", 6.0, 5.5, 61.25, 12],
    ["BRVT", 6.4, "5,9", 65.1, 2],
    ["Quang Tri", 5.0, 4.0, 55.0, 40],
    ["Tây Ninh", 5.5, 4.5, 58.0, 30],
]


def test_english_headers_with_line_breaks_unaccented_names_and_aliases(tmp_path):
    path = _write(
        tmp_path / "PCI_2030.xlsx",
        {
            "Ranking": [
                ["VCCI - Provincial Competitiveness Index 2030"],
                [],
                ["Province", "Entry\ncosts", "Transparency", "PCI\n2030", "Rank"],
                *PROVINCE_ROWS,
                ["Trung bình", 6.0, 5.6, 61.6, None],
                ["Vùng Đông Nam Bộ", 6.5, 6.0, 64.0, None],
                ["Max", 7.1, 6.8, 66.0, None],
            ]
        },
    )
    reading = read_index_workbook(path)
    figures = {(s.province_code, s.component_code): s for s in reading.scores}
    assert reading.years == [2030]
    assert figures[("dong_nai", "total")].score == 64.5
    assert figures[("dong_nai", "total")].rank == 3
    assert figures[("dong_nai", "total")].cell == "D4"
    assert figures[("ho_chi_minh", "entry_costs")].score == 6.9
    assert figures[("hue", "transparency")].score == 5.5
    assert figures[("ba_ria_vung_tau", "transparency")].score == 5.9  # text "5,9" with a decimal comma
    assert figures[("quang_tri", "total")].label == "Quang Tri"
    national = figures[(None, "total")]
    assert (national.scope, national.score, national.rank) == (NATIONAL, 61.6, None)
    assert [(u.cell, u.label) for u in reading.unresolved] == [("A11", "Vùng Đông Nam Bộ"), ("A12", "Max")]


def test_side_by_side_pairs_each_sorted_by_its_own_score(tmp_path):
    by_entry = sorted(PROVINCE_ROWS, key=lambda row: -row[1])
    by_total = sorted(PROVINCE_ROWS, key=lambda row: -row[3])
    rows = [["Thứ tự", "Tỉnh", "Gia nhập\nthị trường", "", "Chỉ số PCI", "Xếp hạng"]]
    rows += [
        [position, entry[0], entry[1], total[0], total[3], total[4]]
        for position, (entry, total) in enumerate(zip(by_entry, by_total, strict=True), start=1)
    ]
    reading = read_index_workbook(_write(tmp_path / "pci-2031.xlsx", {"Tổng hợp": rows}))
    figures = {(s.province_code, s.component_code): s for s in reading.scores}
    assert figures[("tay_ninh", "entry_costs")].score == 5.5
    assert figures[("tay_ninh", "total")].score == 58.0
    assert figures[("tay_ninh", "total")].rank == 30
    assert figures[("ho_chi_minh", "total")].cell == "E2"


def _break_sheet(path: Path, member: str) -> None:
    broken = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<worksheet><sheetData><row" if item.filename == member else data)
    broken.replace(path)


def test_a_sheet_no_reader_can_open_is_skipped_by_name_and_the_rest_loads(tmp_path):
    rows = [["Tỉnh", "PCI 2032", "Xếp hạng"], *[[row[0], row[3], row[4]] for row in PROVINCE_ROWS]]
    path = _write(
        tmp_path / "PCI_2032.xlsx", {"Tổng hợp": rows, "Ghi chú": [["Tỉnh", "PCI"], ["Đồng Nai", 1]]}
    )
    _break_sheet(path, "xl/worksheets/sheet2.xml")
    reading = read_index_workbook(path)
    assert any("'Ghi chú'" in warning for warning in reading.warnings)
    assert len([s for s in reading.scores if s.component_code == "total"]) == len(PROVINCE_ROWS)


def test_a_workbook_without_a_province_table_is_rejected_whole(tmp_path):
    path = _write(
        tmp_path / "PCI_2033.xlsx", {"Ghi chú": [["Báo cáo PCI 2033 sẽ công bố sau"], ["Tỉnh", "Điểm"]]}
    )
    with pytest.raises(IndexFileRejected, match="Không tìm thấy bảng điểm PCI"):
        read_index_workbook(path)


def test_a_workbook_that_names_no_index_is_rejected(tmp_path):
    rows = [["Tỉnh", "Điểm 2030"], *[[row[0], row[3]] for row in PROVINCE_ROWS]]
    with pytest.raises(IndexFileRejected, match="Không nhận ra đây là chỉ số nào"):
        read_index_workbook(_write(tmp_path / "bang-diem.xlsx", {"Sheet1": rows}))


def test_a_table_without_a_year_is_rejected(tmp_path):
    rows = [["Tỉnh", "Chỉ số PCI"], *[[row[0], row[3]] for row in PROVINCE_ROWS]]
    with pytest.raises(IndexFileRejected, match="năm"):
        read_index_workbook(_write(tmp_path / "PCI.xlsx", {"Sheet1": rows}))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"PK\x03\x04 truncated", "tệp bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "mật khẩu"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "đổi tên"),
        (b"", "rỗng"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "PCI_2030.xlsx"
    path.write_bytes(content)
    with pytest.raises(IndexFileRejected, match=reason):
        read_index_workbook(path)


def test_a_file_named_for_another_year_than_its_summary_table_is_rejected(tmp_path):
    rows = [["Tỉnh", "Gia nhập thị trường", "PCI 2030", "Xếp hạng"]]
    rows += [[row[0], row[1], row[3], row[4]] for row in PROVINCE_ROWS]
    with pytest.raises(
        IndexFileRejected, match="Tên tệp ghi năm 2031 nhưng bảng chính 'Tổng hợp' ghi năm 2030"
    ):
        read_index_workbook(_write(tmp_path / "PCI_2031.xlsx", {"Tổng hợp": rows}))

"""The chase list is laid out again only when its rows or the day changed, or the file is not the one
written: written after every build, it keeps the time it was made while its rows stay what they are."""

import shutil
from datetime import date, datetime

import openpyxl

from pipelines.forms.chase import write_chase_workbook

# agency, level, status, due, received, days late, files refused, last reporter, last reason
LATE = (
    "UBND xã Tân Phú",
    "Cấp xã",
    "nộp muộn",
    date(2024, 9, 20),
    datetime(2024, 9, 23, 9),
    3,
    1,
    None,
    None,
)
RETURNED = ("Sở Y tế", "Cấp sở", "trả lại", date(2024, 9, 20), None, 5, 0, None, "Thiếu số liệu")


def _made_at(path):
    return openpyxl.load_workbook(path)["Đồng Nai"]["A2"].value


def _write(path, at, rows):
    return write_chase_workbook(path, "Quý III/2024", at, [("Đồng Nai", rows)])


def test_the_same_rows_on_the_same_day_leave_the_list_as_it_is(tmp_path):
    path = tmp_path / "don-doc-2024-Q3.xlsx"
    _write(path, datetime(2024, 9, 25, 8, 0), [RETURNED, LATE])
    written = path.read_bytes()
    assert _made_at(path) == "Lập ngày 25/09/2024 08:00 từ kho dữ liệu đã công bố."

    _write(path, datetime(2024, 9, 25, 16, 30), [RETURNED, LATE])
    assert path.read_bytes() == written

    # the late agency's report counted after all: one row left, a list made now
    _write(path, datetime(2024, 9, 25, 17, 0), [RETURNED])
    assert _made_at(path) == "Lập ngày 25/09/2024 17:00 từ kho dữ liệu đã công bố."
    sheet = openpyxl.load_workbook(path)["Đồng Nai"]
    assert [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)] == ["Sở Y tế"]


def test_a_new_day_or_a_file_not_the_one_written_writes_the_list_again(tmp_path):
    path = tmp_path / "don-doc-2024-Q3.xlsx"
    _write(path, datetime(2024, 9, 25, 8, 0), [RETURNED, LATE])
    # the same rows the next day: the list says it was made that day
    _write(path, datetime(2024, 9, 26, 8, 0), [RETURNED, LATE])
    assert _made_at(path) == "Lập ngày 26/09/2024 08:00 từ kho dữ liệu đã công bố."

    # a clerk typed into the list and saved it: the next build puts the warehouse's rows back
    workbook = openpyxl.load_workbook(path)
    workbook["Đồng Nai"]["B5"] = "sửa tay"
    workbook.save(path)
    _write(path, datetime(2024, 9, 26, 9, 0), [RETURNED, LATE])
    sheet = openpyxl.load_workbook(path)["Đồng Nai"]
    assert [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)] == ["Sở Y tế", "UBND xã Tân Phú"]

    # removed, or replaced by another file: written again
    path.unlink()
    _write(path, datetime(2024, 9, 26, 10, 0), [RETURNED, LATE])
    assert _made_at(path) == "Lập ngày 26/09/2024 10:00 từ kho dữ liệu đã công bố."
    shutil.copyfile(path, tmp_path / "copy.xlsx")
    (tmp_path / "copy.xlsx").replace(path)
    _write(path, datetime(2024, 9, 26, 11, 0), [RETURNED, LATE])
    assert _made_at(path) == "Lập ngày 26/09/2024 11:00 từ kho dữ liệu đã công bố."

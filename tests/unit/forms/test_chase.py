"""The chase list is laid out again only when its rows changed: written after every build, it keeps the
time it was made while its rows stay what they are."""

from datetime import date, datetime

import openpyxl

from pipelines.forms.chase import write_chase_workbook

# agency, level, status, due, received, days late, files refused, last reporter, last reason
MISSING = ("Sở Y tế", "Cấp sở", "chưa nộp", date(2024, 9, 20), None, 5, 0, None, None)
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


def _made_at(path):
    return openpyxl.load_workbook(path)["Đồng Nai"]["A2"].value


def test_the_same_rows_leave_the_list_as_it_is_and_new_rows_write_it_again(tmp_path):
    path = tmp_path / "don-doc-2024-Q3.xlsx"
    write_chase_workbook(path, "Quý III/2024", datetime(2024, 9, 25, 8, 0), [("Đồng Nai", [MISSING, LATE])])
    written = path.read_bytes()
    assert _made_at(path) == "Lập ngày 25/09/2024 08:00 từ kho dữ liệu đã công bố."

    write_chase_workbook(path, "Quý III/2024", datetime(2024, 9, 25, 8, 30), [("Đồng Nai", [MISSING, LATE])])
    assert path.read_bytes() == written

    # a day on, the missing agency is a day later: a new list, made now
    a_day_later = (*MISSING[:5], 6, *MISSING[6:])
    write_chase_workbook(
        path, "Quý III/2024", datetime(2024, 9, 26, 8, 0), [("Đồng Nai", [a_day_later, LATE])]
    )
    assert _made_at(path) == "Lập ngày 26/09/2024 08:00 từ kho dữ liệu đã công bố."
    sheet = openpyxl.load_workbook(path)["Đồng Nai"]
    assert [(row[1], row[6]) for row in sheet.iter_rows(min_row=5, values_only=True)] == [
        ("Sở Y tế", 6),
        ("UBND xã Tân Phú", 3),
    ]

    # the late agency's report counted after all: one row left
    write_chase_workbook(path, "Quý III/2024", datetime(2024, 9, 26, 9, 0), [("Đồng Nai", [a_day_later])])
    sheet = openpyxl.load_workbook(path)["Đồng Nai"]
    assert [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)] == ["Sở Y tế"]

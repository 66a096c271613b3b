"""The chase list workbook (danh sách đôn đốc) of a reporting period: one sheet per province, one row
per agency that has not reported or did late, the most overdue first (the rows come from
`pipelines.extracts.chase`). Written after every build, it is laid out again only when its rows or the
day changed (forms.digests): 3,500 rows take 0.75 s."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

from pipelines.forms.cells import put
from pipelines.forms.digests import content_digest, is_current, note_written
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import BOLD, HEADING_FILL, TITLE, WRAP, print_on_a4, save, set_widths

# one A4 landscape page wide at no less than 8 pt: names, levels and reasons wrap within their columns
HEADERS = (
    ("STT", 4),
    ("Cơ quan", 28),
    ("Cấp", 15),
    ("Tình trạng", 9),
    ("Hạn nộp", 10),
    ("Ngày nhận", 15),
    ("Ngày trễ", 7),
    ("Tệp bị từ chối", 7),
    ("Người báo cáo gần nhất, liên hệ", 25),
    ("Lý do từ chối, trả lại gần nhất", 22),
)


def write_chase_workbook(
    path: Path,
    period_label: str,
    today: datetime,
    by_province: Sequence[tuple[str, Sequence[Sequence[object]]]],
) -> Path:
    """Write the list: a sheet per (province name, its rows: agency, level, status, due, received, days
    late, files refused, last reporter with phone and e-mail on lines of their own, last reason a file was
    refused or returned). The list at `path`, written today from these rows and untouched since, is left
    as it is: it says when it was made, from rows that are still the warehouse's."""
    digest = content_digest((period_label, today.date(), by_province))
    if is_current(path, digest):
        return path
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for province, rows in by_province:
        sheet = workbook.create_sheet(province[:31])
        put(sheet["A1"], f"Danh sách đôn đốc báo cáo cải cách hành chính – {period_label}").font = TITLE
        put(sheet["A2"], f"Lập ngày {today:%d/%m/%Y %H:%M} từ kho dữ liệu đã công bố.")
        for column, (header, _) in enumerate(HEADERS, start=1):
            cell = put(sheet.cell(row=4, column=column), header)
            cell.font, cell.fill = BOLD, HEADING_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        set_widths(sheet, [width for _, width in HEADERS])
        if not rows:
            put(sheet["A5"], "Mọi cơ quan đã báo cáo đúng hạn.")
        for number, row in enumerate(rows, start=1):
            agency, level, status, due, received, late, refused, reporter, reason = row
            values = (number, agency, level, status, due, received, late, refused or 0, reporter, reason)
            for column, value in enumerate(values, start=1):
                put(sheet.cell(row=4 + number, column=column), value).alignment = WRAP
            sheet.cell(row=4 + number, column=5).number_format = "dd/mm/yyyy"
            sheet.cell(row=4 + number, column=6).number_format = "dd/mm/yyyy hh:mm"
        sheet.freeze_panes = "C5"
        sheet.print_title_rows = "4:4"
        fit_rows(sheet, first_row=4)
        print_on_a4(sheet)
    save(workbook, path)
    note_written(path, digest)
    return path

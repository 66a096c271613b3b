"""The result workbook of a province's scoring round (kết quả Chỉ số CCHC), for leaders: the ranking by
level with the official index, what each agency claimed and what was appraised, the internal estimate
beside; the largest adjustments the council made and why; the criteria whose proof was missing or
wrong. Printed whole on A4 landscape. The rows come from `pipelines.extracts.round_results`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl

from pipelines.forms.cells import put
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import BOLD, NOTE, TITLE, WRAP, print_on_a4, save, set_widths
from pipelines.forms.tables import write_table

RANKING, ADJUSTMENTS, EVIDENCE = "Xếp hạng", "Điều chỉnh", "Tài liệu kiểm chứng"
RANKING_COLUMNS = (
    ("Hạng", 6),
    ("Cơ quan", 30),
    ("Chỉ số chính thức", 10),
    ("Điểm đề nghị", 9),
    ("Điểm thẩm định", 9),
    ("Điểm điều tra XHH", 9),
    ("Chênh lệch đề nghị − thẩm định", 11),
    ("Chỉ số nội bộ (ước tính)", 10),
    ("Tình trạng", 30),
)
ADJUSTMENT_COLUMNS = (
    ("Cơ quan", 26),
    ("Mã", 6),
    ("Tiêu chí", 34),
    ("Điểm đề nghị", 9),
    ("Điểm thẩm định", 9),
    ("Điều chỉnh", 9),
    ("Lý do", 40),
)
EVIDENCE_COLUMNS = (("Cơ quan", 26), ("Mã", 6), ("Tiêu chí", 34), ("Tình trạng", 18), ("Điểm cần xem", 50))
POINTS = "0.00"


@dataclass(frozen=True)
class Level:
    name: str
    rows: Sequence[Sequence[object]]  # as RANKING_COLUMNS


def _sheet(workbook, title: str, columns, heading: str, note: str):
    sheet = workbook.create_sheet(title)
    set_widths(sheet, [width for _, width in columns])
    put(sheet["A1"], heading).font = TITLE
    put(sheet["A2"], note).alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    return sheet


def write_round_results(
    path: Path,
    title: str,
    today: datetime,
    levels: Sequence[Level],
    adjustments: Sequence[Sequence[object]],
    gaps: Sequence[Sequence[object]],
) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    made = f"Lập ngày {today:%d/%m/%Y %H:%M} từ kho dữ liệu đã công bố."
    ranking = _sheet(
        workbook,
        RANKING,
        RANKING_COLUMNS,
        title,
        f"{made} Chỉ số chính thức là điểm Hội đồng thẩm định công nhận (thang 100); cơ quan chưa thẩm định"
        " xong không có chỉ số và không xếp hạng. Chỉ số nội bộ do kho ước tính từ chỉ tiêu, nhiệm vụ: để"
        " tham khảo.",
    )
    row = 4
    for level in levels:
        put(ranking.cell(row=row, column=1), level.name).font = BOLD
        row = write_table(
            ranking,
            row + 1,
            [name for name, _ in RANKING_COLUMNS],
            level.rows,
            formats={column: POINTS for column in range(3, 9)},
        )
        row += 1
    if not levels:
        put(ranking.cell(row=row, column=1), "Chưa có cơ quan nào trong vòng đánh giá.").font = NOTE
    ranking.print_title_rows = "1:1"
    adjusted = _sheet(
        workbook,
        ADJUSTMENTS,
        ADJUSTMENT_COLUMNS,
        "Các điều chỉnh lớn nhất của Hội đồng thẩm định",
        "Tiêu chí có điểm thẩm định khác điểm cơ quan đề nghị, chênh lệch lớn nhất trước.",
    )
    write_table(
        adjusted,
        4,
        [name for name, _ in ADJUSTMENT_COLUMNS],
        adjustments,
        formats={4: POINTS, 5: POINTS, 6: POINTS},
        empty="Hội đồng không điều chỉnh điểm nào.",
    )
    evidence = _sheet(
        workbook,
        EVIDENCE,
        EVIDENCE_COLUMNS,
        "Tiêu chí thiếu hoặc có vấn đề về tài liệu kiểm chứng",
        "Theo tự đánh giá được tính của từng cơ quan.",
    )
    write_table(
        evidence,
        4,
        [name for name, _ in EVIDENCE_COLUMNS],
        gaps,
        empty="Không có tiêu chí nào thiếu tài liệu.",
    )
    for sheet in workbook.worksheets:
        fit_rows(sheet, first_row=2)
        print_on_a4(sheet)
    return save(workbook, path)

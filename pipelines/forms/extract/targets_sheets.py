"""Sheets 'Chỉ tiêu' and 'Phương pháp': the targets measured in the year, and how the index is
computed.
"""

from __future__ import annotations

import polars as pl
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.extract import content
from pipelines.forms.extract.sheet import (
    merge_across,
    put_heading,
    put_paragraph,
    put_row,
    put_rows,
    put_title,
)
from pipelines.forms.labels import TARGET_SOURCE_VI, target_text
from pipelines.forms.styles import WRAP, set_widths

# a table per field: agency, indicator, target, figure, status, whose target, plan, report file and cell
_TARGET_HEADER = [
    "Cơ quan",
    "Chỉ số",
    "Chỉ tiêu",
    "Kết quả",
    "Đánh giá",
    "Chỉ tiêu theo",
    "Kế hoạch",
    "Số liệu lấy từ (tệp báo cáo, ô)",
]
_TARGET_WIDTHS = [22, 30, 10, 9, 9, 10, 12, 22]


def targets_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    """The targets measured in the scoring period, by field: those with a reported figure row by row;
    those without one counted per agency and field, after them (they are most of them)."""
    measured = trend.targets.filter(pl.col("status") != "no_data").sort("area_order", "agency_name_vi")
    without = trend.targets.filter(pl.col("status") == "no_data")
    areas = without.select("area_order", "area_name_vi").unique().sort("area_order")["area_name_vi"].to_list()
    missing = (
        without.pivot(on="area_name_vi", index="agency_name_vi", values="status", aggregate_function="len")
        .fill_null(0)
        .with_columns(pl.sum_horizontal(areas).alias("total"))
        .sort("agency_name_vi")
        .select("agency_name_vi", "total", *areas)
        if without.height
        else pl.DataFrame({"agency_name_vi": [], "total": []})
    )
    set_widths(sheet, _TARGET_WIDTHS)
    put_title(
        sheet,
        f"Chỉ tiêu của kỳ tính điểm theo lĩnh vực: {measured.height} chỉ tiêu có số liệu;"
        f" {without.height} chỉ tiêu chưa có số liệu (tổng hợp theo cơ quan ở phần 2)",
    )
    row = put_heading(sheet, 3, "1. Chỉ tiêu có số liệu, theo lĩnh vực")
    header_row = row
    row = put_row(sheet, row, _TARGET_HEADER, header=True)
    for field in measured.partition_by("area_order", maintain_order=True):
        row = put_heading(sheet, row, field["area_name_vi"][0])
        for target in field.iter_rows(named=True):
            row = put_row(
                sheet,
                row,
                [
                    target["agency_name_vi"],
                    target["indicator_name_vi"],
                    target_text(target["comparator"], target["target_value"], target["unit"]),
                    target["actual_value"],
                    target["status_vi"],
                    TARGET_SOURCE_VI.get(target["target_source"], target["target_source"]),
                    target["document_number"],
                    f"{target['submission_file']}, ô {target['actual_cell']}",
                ],
                wrapped=(1, 2, 6, 7, 8),
            )
    last = row
    sheet.auto_filter.ref = f"A{header_row}:H{max(last - 1, header_row)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = f"B{header_row + 1}"
    row = put_heading(sheet, last + 1, "2. Chỉ tiêu chưa có số liệu: số chỉ tiêu theo cơ quan và lĩnh vực")
    # the agency across A:B, its total in C, the count of each field in words across D:H
    spans = [(1, 2), (4, 8)]
    row = put_row(sheet, row, ["Cơ quan", None, "Tổng", "Theo lĩnh vực"], header=True)
    merge_across(sheet, row - 1, spans)
    for agency, total, *counts in missing.iter_rows():
        by_area = "; ".join(f"{area}: {count}" for area, count in zip(areas, counts, strict=True) if count)
        row = put_row(sheet, row, [agency, None, total, by_area], wrapped=(1, 4))
        merge_across(sheet, row - 1, spans)


def method_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    set_widths(sheet, [30, 40, 10, 40])
    put_title(sheet, "Phương pháp tính và nguồn số liệu")
    lines = [
        "Chỉ số CCHC nội bộ của mỗi cơ quan được tính từ báo cáo của kỳ tính điểm (báo cáo năm; khi chưa "
        "đến hạn thì kỳ gần nhất đã đóng, và chỉ số là tạm tính).",
        "Mỗi lĩnh vực: điểm = điểm tối đa × (số chỉ tiêu đạt + số nhiệm vụ hoàn thành đúng hạn) / (số chỉ "
        "tiêu được tính + số nhiệm vụ đến hạn). Chỉ tiêu cơ quan không báo cáo số liệu vẫn được tính và "
        "không được điểm.",
        "Tổng điểm = 100 × tổng điểm các lĩnh vực / tổng điểm tối đa của các lĩnh vực được chấm. Lĩnh vực "
        "không có chỉ tiêu, nhiệm vụ nào (luôn có lĩnh vực Tác động) không được chấm.",
        "Xếp hạng: giữa các cơ quan cùng cấp trong tỉnh cùng năm. Mũi tên: ▲ tăng, ▼ giảm, ► không đổi "
        'so với năm trước có số liệu; "mới": năm đầu tiên có số liệu.',
        "Các chỉ số công bố (PAR INDEX, SIPAS, PCI, PAPI) lấy nguyên từ các tệp Bộ Nội vụ, VCCI, "
        "CECODES/UNDP công bố; điểm được quy về thang 100 để vẽ chung một biểu đồ.",
    ]
    row = 3
    for line in lines:
        row = put_paragraph(sheet, row, line)
    row = put_heading(sheet, row + 1, "Phương pháp áp dụng theo năm")
    row = put_row(sheet, row, ["Năm", "Phương pháp có hiệu lực", None, "Trọng số đã áp dụng"], header=True)
    for method in trend.methods.iter_rows(named=True):
        applied = method["applied_vi"]
        if method["method_code"] != method["method_in_force_code"]:
            applied = f"{applied} (trọng số của phương pháp có hiệu lực chưa có trong dữ liệu)"
        values = [f"Năm {method['report_year']}", method["method_in_force_vi"], None, applied]
        row = put_row(sheet, row, values, wrapped=(2, 4))
        merge_across(sheet, row - 1, [(2, 3)])
    row = put_heading(sheet, row + 1, "Trọng số các lĩnh vực (điểm tối đa)")
    row = put_row(sheet, row, ["Phương pháp", "Lĩnh vực", "Điểm tối đa", "Nguồn"], header=True)
    first = row
    row = put_rows(sheet, row, trend.weights.iter_rows())
    row = put_heading(sheet, row + 1, "Độ mới của số liệu")
    row = put_rows(sheet, row, trend.freshness.iter_rows())
    for cells in sheet.iter_rows(min_row=first, max_row=row - 1, max_col=4):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.alignment = WRAP

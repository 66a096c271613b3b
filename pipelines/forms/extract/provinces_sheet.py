"""Sheet 'Các tỉnh': every province of each index's latest full published table by rank, the
province marked, its sub-indices against the nation.

Columns: the table of provinces prints in two halves side by side (A:D and F:I, E between them); the
sub-indices use A:B for the name, C:D for the province and the nation, E for the gap, F for the rank.
"""

from __future__ import annotations

import math

import polars as pl
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.extract import content
from pipelines.forms.extract.native_charts import PROVINCE_CHART_CM, names_at_9_pt, province_half_chart
from pipelines.forms.extract.sheet import (
    merge_across,
    new_page,
    put_heading,
    put_row,
    put_title,
    rows_under,
    whole_number,
)
from pipelines.forms.labels import decimal
from pipelines.forms.styles import BOLD, set_widths

_WIDTHS = [6, 18, 10, 10, 9, 6, 18, 10, 10]
_COMPONENT_CHART_CM = 13  # up to 12 sub-indices, each name beside its pair of bars
_HALF_OFFSET = 5  # a table printed in two halves: the second starts this many columns to the right


def _province_half(sheet: Worksheet, header: int, start: int, part: pl.DataFrame, province_key: str) -> None:
    put_row(
        sheet, header, ["Hạng", "Tỉnh", "Điểm (thang 100)", "Bình quân cả nước"], header=True, column=start
    )
    for row, province in enumerate(part.iter_rows(named=True), start=header + 1):
        values = [
            whole_number(province["rank_among_provinces"]),
            province["province_name_vi"],
            province["score_pct_of_max"],
            province["national_pct_of_max"],
        ]
        put_row(sheet, row, values, column=start)
        if province["province_key"] == province_key:
            for offset in range(len(values)):
                sheet.cell(row=row, column=start + offset).font = BOLD


def _components(sheet: Worksheet, row: int, parts: pl.DataFrame, province_name: str) -> int:
    """The province's sub-indices of one index against the national average: a table (the widest lag
    first) and the same as paired bars beside it; returns the next free row."""
    head = parts.row(0, named=True)
    scale = whole_number(float(parts["score_max"].max()))
    row = put_heading(
        sheet,
        row,
        f"{head['index_label']} năm {head['report_year']} theo chỉ số thành phần: {province_name} so với bình"
        f" quân cả nước (thang {scale}; bình quân là số công bố, hoặc bình quân {head['provinces_scored']}"
        " tỉnh trong bảng công bố)",
    )
    header = row
    labels = ["Chỉ số thành phần", None, province_name, "Bình quân cả nước", "Chênh lệch", "Hạng"]
    row = put_row(sheet, row, labels, header=True)
    for part in parts.iter_rows(named=True):
        name, score, national = part["component_name_vi"], part["score"], part["national_score"]
        values = [name, None, score, national, part["gap_to_national"], part["rank_among_provinces"]]
        row = put_row(sheet, row, values, wrapped=(1,))
    for line in range(header, row):
        merge_across(sheet, line, [(1, 2)])
    bars = BarChart()
    bars.type = "bar"
    bars.title = f"{province_name} và bình quân cả nước"  # the heading names the index and year
    bars.height, bars.width = _COMPONENT_CHART_CM, 11.5
    names_at_9_pt(bars)
    bars.legend.position = "b"
    bars.x_axis.scaling.orientation = "maxMin"  # the table's order, top to bottom
    bars.x_axis.tickLblSkip = 1
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, scale
    bars.y_axis.number_format = "0"
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    values = Reference(sheet, min_col=3, max_col=4, min_row=header, max_row=row - 1)
    bars.add_data(values, titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=row - 1))
    sheet.add_chart(bars, f"G{header}")  # beside the table: under it, a long one pushes it off the page
    return max(row, header + rows_under(_COMPONENT_CHART_CM)) + 1


def provinces_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    """Each official index's latest full table: a page with every province by rank as bars in two
    halves side by side (the province highlighted, the national mean in the heading), as the ministry's
    reports show it, then a page with the table in the same two halves."""
    set_widths(sheet, _WIDTHS)
    row = put_title(sheet, f"Xếp hạng các tỉnh: lần công bố gần nhất đến năm {trend.year}") + 1
    for number, table in enumerate(trend.provinces.partition_by("index_key", maintain_order=True)):
        head = table.row(0, named=True)
        if number:
            row = new_page(sheet, row)
        mine = table.filter(pl.col("province_key") == trend.province_key)
        place = f"; {trend.province_name} hạng {mine['rank_among_provinces'][0]}" if mine.height else ""
        national = head["national_pct_of_max"]
        mean = f"; bình quân cả nước {decimal(national)}" if national is not None else ""
        row = put_heading(
            sheet, row, f"{head['index_label']} năm {head['report_year']}: {table.height} tỉnh{place}{mean}"
        )
        chart_row = row
        header = new_page(sheet, row + rows_under(PROVINCE_CHART_CM))
        half = math.ceil(table.height / 2)
        halves = [(1, table.head(half)), (_HALF_OFFSET + 1, table.tail(table.height - half))]
        for start, part in halves:
            _province_half(sheet, header, start, part, trend.province_key)
            best, worst = (whole_number(part["rank_among_provinces"][at]) for at in (0, -1))
            title = f"Hạng {best}–{worst}"  # the heading above names the index, year and scale
            chart = province_half_chart(sheet, trend.province_key, start, part, header + 1, title)
            sheet.add_chart(chart, f"{get_column_letter(start)}{chart_row}")
        row = header + half + 2
        parts = trend.components.filter(pl.col("index_key") == head["index_key"])
        if parts.height:
            row = _components(sheet, new_page(sheet, row), parts, trend.province_name)

"""The extract's native charts (openpyxl), drawn over the tables beside them, so they render in Excel
and LibreOffice and stay true to the figures printed.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import RichTextProperties
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

TREND_CHART_CM = 11
PROVINCE_CHART_CM = 12


def union_ref(sheet: Worksheet, field: int, first: int, halves: Sequence[tuple[int, pl.DataFrame]]) -> str:
    """A chart reference over one field (0-based) of a table printed in side-by-side halves."""
    quoted = sheet.title.replace("'", "''")
    parts = [
        f"'{quoted}'!${column}${first}:${column}${first + part.height - 1}"
        for start, part in halves
        for column in [get_column_letter(start + field)]
    ]
    return f"({','.join(parts)})"


def province_chart(
    sheet: Worksheet, province_key: str, halves: Sequence[tuple[int, pl.DataFrame]], first: int
) -> BarChart:
    """All provinces by rank as columns, the province's in red, the national mean as a dashed line; the
    data are the table printed in halves (start column, rows) from row `first`, on the page after."""
    table = pl.concat([part for _, part in halves])
    head = table.row(0, named=True)
    names = AxDataSource(strRef=StrRef(f=union_ref(sheet, 1, first, halves)))

    def series(field: int, label: str) -> Series:
        values = NumDataSource(numRef=NumRef(f=union_ref(sheet, field, first, halves)))
        return Series(val=values, cat=names, tx=SeriesLabel(v=label))

    bars = BarChart()
    bars.type = "col"
    bars.title = f"{head['index_label']} {head['report_year']}: điểm các tỉnh (thang 100)"
    bars.height, bars.width = PROVINCE_CHART_CM, 30
    bars.legend.position = "b"
    bars.series.append(series(2, "Điểm (thang 100)"))
    bars.x_axis.tickLblSkip = 1
    bars.x_axis.txPr = RichText(bodyPr=RichTextProperties(rot=-5400000, vert="horz"))
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
    bars.y_axis.number_format = "0"
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    for index, province in enumerate(table["province_key"].to_list()):
        if province == province_key:
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = "C00000"
            bars.series[0].dPt.append(point)
    if head["national_pct_of_max"] is not None:
        mean = LineChart()
        mean.series.append(series(3, "Bình quân cả nước"))
        mean.series[0].graphicalProperties.line.solidFill = "404040"
        mean.series[0].graphicalProperties.line.dashStyle = "dash"
        mean.series[0].marker.symbol = "none"
        bars += mean
    return bars


def line_chart(title_text: str, y_title: str, *, reverse: bool = False) -> LineChart:
    chart = LineChart()
    chart.title = title_text
    chart.y_axis.title = y_title
    chart.x_axis.title = "Năm"
    chart.height, chart.width = TREND_CHART_CM, 24
    # openpyxl hides axes unless told otherwise; LibreOffice then draws none
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    if reverse:
        chart.y_axis.scaling.orientation = "maxMin"
        chart.x_axis.crosses = "max"  # keep the years at the bottom when the ranks run downwards
    return chart


def plot(
    sheet: Worksheet, chart: LineChart | BarChart, header: int, last: int, columns: int, anchor: str
) -> None:
    values = Reference(sheet, min_col=2, max_col=columns, min_row=header, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
    if isinstance(chart, LineChart):
        mark_points(chart)
    sheet.add_chart(chart, anchor)


def points_only(series: Series) -> None:
    """A series drawn as its points, with no line between them (the internal mean: other agencies each
    year)."""
    series.graphicalProperties.line.noFill = True
    series.marker.symbol, series.marker.size = "diamond", 9
    series.marker.graphicalProperties = GraphicalProperties(solidFill="000000")
    series.marker.graphicalProperties.line.solidFill = "000000"


def mark_points(chart: LineChart) -> None:
    for series in chart.series:
        series.marker.symbol = "circle"  # a year alone still shows as a point
        series.smooth = False

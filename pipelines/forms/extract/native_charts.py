"""The extract's native charts (openpyxl), drawn over the tables beside them, so they render in Excel
and LibreOffice and stay true to the figures printed.
"""

from __future__ import annotations

import polars as pl
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties
from openpyxl.worksheet.worksheet import Worksheet

TREND_CHART_CM = 11
PROVINCE_CHART_CM = 15.5  # 32 provinces a chart: a name for each bar
PROVINCE_CHART_WIDTH_CM = 12.5  # two side by side on the page


def names_at_9_pt(chart: BarChart) -> None:
    """The category names at 9 pt (8.8 as printed): LibreOffice leaves out every other name of a chart
    where they do not fit at its 10 pt."""
    size = CharacterProperties(sz=900)
    chart.x_axis.txPr = RichText(
        p=[Paragraph(pPr=ParagraphProperties(defRPr=size), endParaRPr=CharacterProperties())]
    )


def province_half_chart(
    sheet: Worksheet, province_key: str, start: int, half: pl.DataFrame, first: int, title: str
) -> BarChart:
    """One half of the provinces by rank as horizontal bars, best at the top, the province's bar in red;
    the data are that half of the table (from column `start`, rows from `first`), on the page after.
    Horizontal, so every province's name prints level and at full size: 63 upright names under columns
    shrink to 2 pt on an A4 page."""
    bars = BarChart()
    bars.type = "bar"
    bars.title = title
    bars.height, bars.width = PROVINCE_CHART_CM, PROVINCE_CHART_WIDTH_CM
    bars.legend = None
    bars.add_data(
        Reference(sheet, min_col=start + 2, min_row=first, max_row=first + half.height - 1),
        titles_from_data=False,
    )
    bars.set_categories(Reference(sheet, min_col=start + 1, min_row=first, max_row=first + half.height - 1))
    bars.x_axis.scaling.orientation = "maxMin"  # rank order, top to bottom
    bars.x_axis.tickLblSkip = 1
    bars.y_axis.scaling.min, bars.y_axis.scaling.max = 0, 100
    bars.y_axis.majorUnit = 20
    bars.y_axis.number_format = "0"
    bars.x_axis.delete = False
    bars.y_axis.delete = False
    bars.gapWidth = 40
    names_at_9_pt(bars)
    for index, province in enumerate(half["province_key"].to_list()):
        if province == province_key:
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = "C00000"
            bars.series[0].dPt.append(point)
    return bars


def line_chart(title_text: str, y_title: str, *, reverse: bool = False) -> LineChart:
    chart = LineChart()
    chart.title = title_text
    chart.y_axis.title = y_title
    chart.x_axis.title = "Năm"
    chart.height, chart.width = TREND_CHART_CM, 13
    # the years upright: twenty of them side by side would be shrunk or skipped
    chart.x_axis.txPr = RichText(bodyPr=RichTextProperties(rot=-5400000, vert="horz"))
    chart.x_axis.tickLblSkip = 1
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

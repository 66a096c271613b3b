"""Sheets 'Xu hướng' and 'Theo lĩnh vực': the indices and the agencies over the years, and the
PAR Index fields by level; each table with its chart beside it, a block a page.
"""

from __future__ import annotations

import polars as pl
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.extract import content
from pipelines.forms.extract.native_charts import TREND_CHART_CM, line_chart, mark_points, plot, points_only
from pipelines.forms.extract.sheet import (
    merge_across,
    new_page,
    put_heading,
    put_paragraph,
    put_row,
    put_rows,
    put_table,
    put_title,
    rows_under,
)
from pipelines.forms.labels import NO_DATA, short_level
from pipelines.forms.styles import NOTE, set_widths

_NAMES, _FIGURES = 30, 9  # column A of the fields sheet (fields, agencies), and each column of figures
_YEAR = 6  # column A of the trend sheet: the year
_AGENCY_NAME_COLUMNS = 3  # on the trend sheet, an agency's name spans A:C
_AGENCY_CHART_CM = 12
_FIELD_CHART_CM = 11


def _agency_table(sheet: Worksheet, row: int, frame: pl.DataFrame) -> tuple[int, int]:
    """Agencies down, years across: each name across A:C (column A is the narrow year column of the
    tables above), the years from D; returns (header row, last row)."""
    header = row
    for values in [["Cơ quan", *frame.columns[1:]], *frame.iter_rows()]:
        name, *years = values
        row = put_row(sheet, row, [name, None, None, *years], header=row == header, wrapped=(1,))
        merge_across(sheet, row - 1, [(1, _AGENCY_NAME_COLUMNS)])
    return header, row - 1


def _agency_chart(sheet: Worksheet, header: int, last: int, years: int, title: str) -> LineChart:
    """A line per agency (a row of the agency table), the years as categories; the first row, the mean
    of a different set of agencies each year, as points only."""
    chart = line_chart(title, "Điểm")
    chart.height, chart.width = _AGENCY_CHART_CM, 14
    chart.legend.position = "b"
    first_year, last_year = _AGENCY_NAME_COLUMNS + 1, _AGENCY_NAME_COLUMNS + years
    quoted = sheet.title.replace("'", "''")
    for row in range(header + 1, last + 1):
        values = Reference(sheet, min_col=first_year, max_col=last_year, min_row=row, max_row=row)
        series = Series(values)
        series.tx = SeriesLabel(strRef=StrRef(f"'{quoted}'!$A${row}"))
        chart.series.append(series)
    chart.set_categories(
        Reference(sheet, min_col=first_year, max_col=last_year, min_row=header, max_row=header)
    )
    mark_points(chart)
    points_only(chart.series[0])
    return chart


def trend_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    """A page per block: the indices' scores, the province's ranks, the internal index of the best and
    worst agencies (each a table with its chart beside it), then every agency's."""
    scores = content.province_scores_by_year(trend)
    ranks = content.province_ranks_by_year(trend)
    everyone = content.agency_scores_by_agency(trend)
    agency_columns = _AGENCY_NAME_COLUMNS + everyone.width - 1
    set_widths(sheet, [_YEAR] + [_FIGURES] * (max(scores.width, ranks.width, agency_columns) - 1))
    put_title(sheet, f"Xu hướng các chỉ số của tỉnh {trend.province_name} đến năm {trend.year}")
    row = put_heading(sheet, 3, "Điểm các chỉ số (quy về thang 100)")
    header, last = put_table(sheet, row, scores, "Năm")
    if scores.height:
        chart = line_chart("Điểm các chỉ số của tỉnh qua các năm (thang 100)", "Điểm")
        plot(sheet, chart, header, last, scores.width, f"{get_column_letter(scores.width + 2)}{header}")
        internal = content.internal_label(trend)
        if internal in scores.columns:
            points_only(chart.series[scores.columns.index(internal) - 1])
        last = put_paragraph(sheet, last + 1, content.UNJOINED_MEAN_NOTE, NOTE, last_column=scores.width) - 1
    row = new_page(sheet, max(last, header + rows_under(TREND_CHART_CM)) + 2)
    row = put_heading(sheet, row, "Thứ hạng của tỉnh trong cả nước (1 = cao nhất)")
    header, last = put_table(sheet, row, ranks, "Năm")
    if ranks.height:
        chart = line_chart("Thứ hạng của tỉnh qua các năm (1 = cao nhất)", "Thứ hạng", reverse=True)
        plot(sheet, chart, header, last, ranks.width, f"{get_column_letter(ranks.width + 2)}{header}")
    row = new_page(sheet, max(last, header + rows_under(TREND_CHART_CM)) + 2)
    row = put_heading(sheet, row, f"Chỉ số CCHC nội bộ: {content.charted_agencies_label(trend)} năm này")
    charted = content.agency_scores_by_agency(trend, content.charted_agencies(trend))
    header, last = _agency_table(sheet, row, charted)
    chart = _agency_chart(sheet, header, last, charted.width - 1, f"Chỉ số CCHC nội bộ đến năm {trend.year}")
    table_end = _AGENCY_NAME_COLUMNS + charted.width - 1
    last = put_paragraph(sheet, last + 1, content.UNJOINED_MEAN_NOTE, NOTE, last_column=table_end) - 1
    sheet.add_chart(chart, f"{get_column_letter(table_end + 2)}{header}")
    row = new_page(sheet, max(last, header + rows_under(_AGENCY_CHART_CM)) + 2)
    row = put_heading(sheet, row, "Chỉ số CCHC nội bộ của tất cả các cơ quan đã báo cáo")
    _agency_table(sheet, row, everyone)


def fields_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    """The mean share earned per field and level (table, bars beside it), then each agency's points per
    field on the next page."""
    ratios = content.area_ratios_by_level(trend)
    points = trend.areas.pivot(
        on="area_name_vi", index=["agency_name_vi", "agency_level_name_vi"], values="points"
    )
    set_widths(sheet, [_NAMES] + [_FIGURES] * (max(ratios.width, points.width) - 1))
    put_title(sheet, f"Chỉ số CCHC nội bộ năm {trend.year} theo lĩnh vực")
    row = put_heading(
        sheet, 3, "Tỷ lệ đạt bình quân theo cấp (%): chỉ tiêu đạt và nhiệm vụ đúng hạn trên số được tính"
    )
    header = row
    levels = [short_level(level) for level in ratios.columns[2:]]
    row = put_row(sheet, row, ["Lĩnh vực", "Điểm tối đa", *levels], header=True)
    row = put_rows(sheet, row, ratios.iter_rows(), wrapped=(1,))
    last = put_paragraph(
        sheet,
        row,
        f"Ô trống: {NO_DATA} (lĩnh vực không có chỉ tiêu, nhiệm vụ nào để tính ở cấp đó); 0: có tính nhưng"
        " không đạt. Chỉ tiêu không có số liệu trong báo cáo được tính 0 điểm, như tiêu chí không có tài liệu"
        " kiểm chứng trong Chỉ số CCHC.",
        NOTE,
        last_column=ratios.width,  # the chart stands beside the table
    )
    if ratios.width > 2:
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Tỷ lệ đạt theo lĩnh vực năm {trend.year} (%)"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.x_axis.scaling.orientation = "maxMin"  # fields top to bottom in plan order
        chart.height, chart.width = _FIELD_CHART_CM, 14
        chart.x_axis.tickLblSkip = 1  # every field named, not every other one
        chart.y_axis.number_format = "0"
        chart.y_axis.majorUnit = 20
        chart.legend.position = "b"
        # each bar says its value: a 0 % bar shows "0", a field without data shows nothing
        chart.dataLabels = DataLabelList(
            showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
        )
        values = Reference(sheet, min_col=3, max_col=ratios.width, min_row=header, max_row=row - 1)
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=row - 1))
        sheet.add_chart(chart, f"{get_column_letter(ratios.width + 2)}{header}")
    row = new_page(sheet, max(last, header + rows_under(_FIELD_CHART_CM)) + 1)
    row = put_heading(
        sheet, row, "Điểm từng cơ quan theo lĩnh vực (để trống: lĩnh vực không có chỉ tiêu, nhiệm vụ để tính)"
    )
    first = put_row(sheet, row, ["Cơ quan", "Cấp", *points.columns[2:]], header=True)
    rows = ([name, short_level(level), *figures] for name, level, *figures in points.iter_rows())
    put_rows(sheet, first, rows, wrapped=(1,))

"""Sheets 'Xu hướng' and 'Theo lĩnh vực': the indices and the agencies over the years, and the
PAR Index fields by level; each table with its chart.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.extract import content
from pipelines.forms.extract.native_charts import TREND_CHART_CM, line_chart, mark_points, plot, points_only
from pipelines.forms.extract.sheet import new_page, put_heading, put_row, put_rows, put_table, rows_under
from pipelines.forms.labels import NO_DATA
from pipelines.forms.styles import (
    NOTE,
    TITLE,
    set_widths,
)

_AGENCY_CHART_CM = 12
_FIELD_CHART_CM = 11


def trend_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    """A page per block: the indices' scores, the province's ranks (each a table with its chart
    beside it), the internal index of the best and worst agencies (table, chart under it), then every
    agency's."""
    put(sheet["A1"], f"Xu hướng các chỉ số của tỉnh {trend.province_name} đến năm {trend.year}").font = TITLE
    row = put_heading(sheet, 3, "Điểm các chỉ số (quy về thang 100)")
    scores = content.province_scores_by_year(trend)
    header, last = put_table(sheet, row, scores, "Năm")
    if scores.height:
        chart = line_chart("Điểm các chỉ số của tỉnh qua các năm (thang 100)", "Điểm")
        plot(sheet, chart, header, last, scores.width, f"{get_column_letter(scores.width + 2)}{header}")
        internal = content.internal_label(trend)
        if internal in scores.columns:
            points_only(chart.series[scores.columns.index(internal) - 1])
        put(sheet.cell(row=last + 1, column=1), content.UNJOINED_MEAN_NOTE).font = NOTE
    row = new_page(sheet, max(last, header + rows_under(TREND_CHART_CM)) + 2)
    row = put_heading(sheet, row, "Thứ hạng của tỉnh trong cả nước (1 = cao nhất)")
    ranks = content.province_ranks_by_year(trend)
    header, last = put_table(sheet, row, ranks, "Năm")
    if ranks.height:
        chart = line_chart("Thứ hạng của tỉnh qua các năm (1 = cao nhất)", "Thứ hạng", reverse=True)
        plot(sheet, chart, header, last, ranks.width, f"{get_column_letter(ranks.width + 2)}{header}")
    row = new_page(sheet, max(last, header + rows_under(TREND_CHART_CM)) + 2)
    row = put_heading(sheet, row, f"Chỉ số CCHC nội bộ: {content.charted_agencies_label(trend)} năm này")
    charted = content.agency_scores_by_agency(trend, content.charted_agencies(trend))
    header, last = put_table(sheet, row, charted, "Cơ quan")
    chart = line_chart(f"Chỉ số CCHC nội bộ đến năm {trend.year}", "Điểm")
    chart.height, chart.width = _AGENCY_CHART_CM, 24
    chart.legend.position = "b"
    chart.add_data(
        Reference(sheet, min_col=1, max_col=charted.width, min_row=header + 1, max_row=last),
        titles_from_data=True,
        from_rows=True,
    )
    chart.set_categories(Reference(sheet, min_col=2, max_col=charted.width, min_row=header, max_row=header))
    mark_points(chart)
    points_only(chart.series[0])  # the mean, first row
    put(sheet.cell(row=last + 1, column=1), content.UNJOINED_MEAN_NOTE).font = NOTE
    sheet.add_chart(chart, f"A{last + 2}")
    row = new_page(sheet, last + 2 + rows_under(_AGENCY_CHART_CM))
    row = put_heading(sheet, row, "Chỉ số CCHC nội bộ của tất cả các cơ quan đã báo cáo")
    put_table(sheet, row, content.agency_scores_by_agency(trend), "Cơ quan")
    set_widths(sheet, [44] + [12] * 12)


def fields_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    put(sheet["A1"], f"Chỉ số CCHC nội bộ năm {trend.year} theo lĩnh vực").font = TITLE
    row = put_heading(
        sheet, 3, "Tỷ lệ đạt bình quân theo cấp (%): chỉ tiêu đạt và nhiệm vụ đúng hạn trên số được tính"
    )
    ratios = content.area_ratios_by_level(trend)
    header = row
    row = put_row(sheet, row, ["Lĩnh vực", "Điểm tối đa", *ratios.columns[2:]], header=True)
    row = put_rows(sheet, row, ratios.iter_rows())
    put(
        sheet.cell(row=row, column=1),
        f"Ô trống: {NO_DATA} (lĩnh vực không có chỉ tiêu, nhiệm vụ nào để tính ở cấp đó); 0: có tính nhưng"
        " không đạt. Chỉ tiêu không có số liệu trong báo cáo được tính 0 điểm, như tiêu chí không có tài liệu"
        " kiểm chứng trong Chỉ số CCHC.",
    ).font = NOTE
    row += 1
    if ratios.width > 2:
        chart = BarChart()
        chart.type = "bar"
        chart.title = f"Tỷ lệ đạt theo lĩnh vực năm {trend.year} (%)"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.x_axis.scaling.orientation = "maxMin"  # fields top to bottom in plan order
        chart.height, chart.width = _FIELD_CHART_CM, 24
        chart.x_axis.tickLblSkip = 1  # every field named, not every other one
        chart.y_axis.number_format = "0"
        chart.y_axis.majorUnit = 20
        chart.legend.position = "b"
        # each bar says its value: a 0 % bar shows "0", a field without data shows nothing
        chart.dataLabels = DataLabelList(
            showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
        )
        values = Reference(sheet, min_col=3, max_col=ratios.width, min_row=header, max_row=row - 2)
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=row - 2))
        sheet.add_chart(chart, f"A{row + 1}")
    row = new_page(sheet, row + 1 + rows_under(_FIELD_CHART_CM))
    row = put_heading(
        sheet, row, "Điểm từng cơ quan theo lĩnh vực (để trống: lĩnh vực không có chỉ tiêu, nhiệm vụ để tính)"
    )
    points = trend.areas.pivot(
        on="area_name_vi", index=["agency_level_name_vi", "agency_name_vi"], values="points"
    )
    row = put_row(sheet, row, ["Cấp", "Cơ quan", *points.columns[2:]], header=True)
    put_rows(sheet, row, points.iter_rows())
    set_widths(sheet, [40, 40, 16, 16, 16, 16, 16, 16, 16, 16])

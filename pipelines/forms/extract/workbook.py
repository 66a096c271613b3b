"""The PAR Index trend workbook leadership opens: summary, trend, fields, targets, method (openpyxl).

Charts are native Excel charts over the tables beside them, so they render in Excel and LibreOffice
and stay true to the figures printed. Every text cell goes through `cells.put`, so text taken from
plans and reports can never run as a formula.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import polars as pl
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import RichTextProperties
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.extract import content
from pipelines.forms.labels import STATUS_VI, TARGET_SOURCE_VI, arrow, decimal, target_text, title
from pipelines.forms.rows import fit_rows
from pipelines.forms.styles import (
    BOLD,
    HEADING_ALIGNMENT,
    HEADING_FILL,
    TITLE,
    WRAP,
    print_on_a4,
    save,
    set_widths,
)

_ARROW_FONTS = {
    "▲": Font(bold=True, color="1E7B34"),
    "▼": Font(bold=True, color="C00000"),
    "►": Font(bold=True, color="7F7F7F"),
}
_TREND_WORDS = {*_ARROW_FONTS, "mới", "–"}
# two decimals with the Vietnamese decimal comma (58,10): LibreOffice follows the format's locale,
# Excel the reader's system (a Vietnamese Windows shows the comma too)
_SCORE = "[$-42A]0.00"
_POINTS_PER_CM = 28.35
_PROVINCE_CHART_CM = 12
_TREND_CHART_CM = 11
_AGENCY_CHART_CM = 12
_FIELD_CHART_CM = 11
_COMPONENT_CHART_CM = 9
_HALF_OFFSET = 5  # a table printed in two halves: the second starts this many columns to the right


def _row(
    sheet: Worksheet, row: int, values: Sequence[object], *, header: bool = False, column: int = 1
) -> int:
    """Write `values` from `column` on; returns the next row."""
    for at, value in enumerate(values, start=column):
        cell = put(sheet.cell(row=row, column=at), value)
        if header:
            cell.font = BOLD
            cell.fill = HEADING_FILL
            cell.alignment = HEADING_ALIGNMENT
        elif isinstance(value, float):
            cell.number_format = _SCORE
        elif isinstance(value, str) and value in _TREND_WORDS:
            if value in _ARROW_FONTS:
                cell.font = _ARROW_FONTS[value]
            cell.alignment = Alignment(horizontal="center")
    return row + 1


def _rows(sheet: Worksheet, row: int, rows: Iterable[Sequence[object]]) -> int:
    for values in rows:
        row = _row(sheet, row, values)
    return row


def _whole(value: float | None) -> int | float | None:
    """A rank or count stored as a float, shown as the whole number it is."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _heading(sheet: Worksheet, row: int, text: str) -> int:
    put(sheet.cell(row=row, column=1), text).font = BOLD
    return row + 1


def _table(sheet: Worksheet, row: int, frame: pl.DataFrame, first_header: str) -> tuple[int, int]:
    """Write a year × series table with its header; returns (header row, last row)."""
    header = row
    row = _row(sheet, row, [first_header, *frame.columns[1:]], header=True)
    row = _rows(sheet, row, frame.iter_rows())
    return header, row - 1


def _summary(sheet: Worksheet, trend: content.ParTrend) -> None:
    put(sheet["A1"], title(trend.province_name, trend.year)).font = TITLE
    period = trend.agencies["period_label_vi"][0]
    basis = (
        f"Tạm tính theo kỳ {period} (báo cáo năm chưa đến hạn)"
        if trend.is_provisional
        else f"Điểm theo báo cáo {period[:1].lower()}{period[1:]}"
    )
    put(sheet["A2"], f"{basis}. Số liệu kho lúc {trend.built_at:%d/%m/%Y %H:%M}.")
    row = _heading(sheet, 4, "1. Các chỉ số của tỉnh: lần công bố gần nhất so với lần công bố trước")
    index_header = [
        "Chỉ số",
        None,
        None,
        "Năm công bố gần nhất",
        "Điểm (thang 100)",
        "Xếp hạng",
        "Trên số tỉnh",
        "Bình quân cả nước (thang 100)",
        "Xu hướng",
        "Thay đổi điểm",
        "Thay đổi hạng",
        "Lần trước: năm",
        "Điểm",
        "Xếp hạng",
    ]
    for series in [None, *trend.province_indices.partition_by("index_key", maintain_order=True)]:
        if series is None:
            row = _row(sheet, row, index_header, header=True)
        else:
            latest, previous = (
                series.row(-1, named=True),
                (series.row(-2, named=True) if series.height > 1 else {}),
            )
            gained = latest["places_gained"]
            row = _row(
                sheet,
                row,
                [
                    _index_name(latest),
                    None,
                    None,
                    latest["report_year"],
                    latest["score_pct_of_max"],
                    latest["rank_among_provinces"],
                    latest["provinces_ranked"],
                    latest["national_pct_of_max"],
                    arrow(
                        gained if gained is not None else latest["score_change"], has_previous=bool(previous)
                    ),
                    latest["score_change"],
                    gained,
                    previous.get("report_year"),
                    previous.get("score_pct_of_max"),
                    previous.get("rank_among_provinces"),
                ],
            )
        sheet.merge_cells(start_row=row - 1, start_column=1, end_row=row - 1, end_column=3)
    put(
        sheet.cell(row=row, column=1),
        "Bình quân cả nước: số công bố; nguồn nào không công bố thì là bình quân các tỉnh trong bảng công bố"
        " (không gia quyền). Chỉ số CCHC nội bộ: bình quân các cơ quan đã gửi báo cáo; thay đổi so sánh cùng"
        " các cơ quan có điểm cả hai năm.",
    ).font = Font(italic=True, size=9)
    row += 1
    ranked = trend.agencies.filter(pl.col("is_ranked"))
    unranked = trend.agencies.filter(~pl.col("is_ranked"))
    row = _heading(
        sheet,
        row + 1,
        f"2. Xếp hạng Chỉ số CCHC nội bộ năm {trend.year} (theo cấp; chỉ các cơ quan đã gửi báo cáo,"
        " cùng điểm thì đồng hạng)",
    )
    row = _row(
        sheet,
        row,
        [
            "Cấp",
            "Hạng",
            "Cơ quan",
            "Điểm",
            "Xu hướng",
            "Thay đổi",
            "Điểm lần trước",
            "Năm lần trước",
            "Hạng lần trước",
            "Chỉ tiêu đạt",
            "Chỉ tiêu tính điểm",
            "Chỉ tiêu chưa có số liệu",
            "Nhiệm vụ đúng hạn",
            "Nhiệm vụ đến hạn",
            "Ghi chú",
        ],
        header=True,
    )
    first_agency_row = row
    row = _rows(
        sheet,
        row,
        (
            [
                agency["agency_level_name_vi"],
                agency["rank_in_level"],
                agency["agency_name_vi"],
                agency["total_score"],
                arrow(agency["change_from_previous_year"], has_previous=agency["previous_year"] is not None),
                agency["change_from_previous_year"],
                agency["previous_total_score"],
                agency["previous_year"],
                agency["previous_rank_in_level"],
                agency["targets_met"],
                agency["targets_counted"],
                agency["targets_without_data"],
                agency["tasks_on_time"],
                agency["tasks_counted"],
                "đồng hạng" if agency["is_tied"] else None,
            ]
            for agency in ranked.iter_rows(named=True)
        ),
    )
    sheet.auto_filter.ref = f"A{first_agency_row - 1}:O{row - 1}"
    if unranked.height:
        row = _heading(
            sheet,
            row + 1,
            f"Chưa báo cáo – không xếp hạng: {unranked.height} cơ quan chưa gửi báo cáo được tính của kỳ"
            " chấm điểm",
        )
        row = _row(sheet, row, ["Cấp", None, "Cơ quan", "Tình trạng"], header=True)
        row = _rows(
            sheet,
            row,
            (
                [agency["agency_level_name_vi"], None, agency["agency_name_vi"], agency["rank_status_vi"]]
                for agency in unranked.iter_rows(named=True)
            ),
        )
    if trend.index_targets.height:
        row = _heading(sheet, row + 1, "3. Chỉ tiêu về các chỉ số trong kế hoạch")
        row = _row(
            sheet,
            row,
            ["Chỉ số", "Kế hoạch", "Chỉ tiêu", "Hạng mục tiêu", "Hạng đạt được", "Đánh giá"],
            header=True,
        )
        _rows(
            sheet,
            row,
            (
                [
                    target["index_key"].replace("_", " "),
                    target["document_number"],
                    target["source_sentence"],
                    _whole(target["target_rank"]),
                    _whole(target["actual_rank"])
                    if target["measured_on"] == "published_rank"
                    else target["actual_score"],
                    STATUS_VI.get(target["status"], target["status"]),
                ]
                for target in trend.index_targets.iter_rows(named=True)
            ),
        )
        for line in range(row, row + trend.index_targets.height):
            sheet.cell(row=line, column=3).alignment = WRAP  # the plan's sentence, whole
    set_widths(sheet, [34, 14, 48, 10, 10, 10, 14, 12, 12, 12, 12, 14, 14, 14, 12])
    sheet.freeze_panes = "A4"


def _index_name(series: dict) -> str:
    """The index's name; the internal mean says how many of the obliged agencies it covers."""
    if not series["is_internal"] or not series["agencies_obliged"]:
        return series["index_name_vi"]
    covered = f"{series['agencies_scored']}/{series['agencies_obliged']} cơ quan"
    return f"{series['index_name_vi']}: {covered}"


def _new_page(sheet: Worksheet, row: int) -> int:
    """Print from `row` on a new page (a manual break after the row above); returns `row`."""
    sheet.row_breaks.append(Break(id=row - 1))
    return row


def _rows_under(height_cm: float) -> int:
    """Sheet rows of the default height (15 pt) a chart `height_cm` tall anchored at a row covers."""
    return math.ceil(height_cm * _POINTS_PER_CM / 15) + 1


def _union(sheet: Worksheet, field: int, first: int, halves: Sequence[tuple[int, pl.DataFrame]]) -> str:
    """A chart reference over one field (0-based) of a table printed in side-by-side halves."""
    quoted = sheet.title.replace("'", "''")
    parts = [
        f"'{quoted}'!${column}${first}:${column}${first + part.height - 1}"
        for start, part in halves
        for column in [get_column_letter(start + field)]
    ]
    return f"({','.join(parts)})"


def _province_chart(
    sheet: Worksheet, province_key: str, halves: Sequence[tuple[int, pl.DataFrame]], first: int
) -> BarChart:
    """All provinces by rank as columns, the province's in red, the national mean as a dashed line; the
    data are the table printed in halves (start column, rows) from row `first`, on the page after."""
    table = pl.concat([part for _, part in halves])
    head = table.row(0, named=True)
    names = AxDataSource(strRef=StrRef(f=_union(sheet, 1, first, halves)))

    def series(field: int, label: str) -> Series:
        values = NumDataSource(numRef=NumRef(f=_union(sheet, field, first, halves)))
        return Series(val=values, cat=names, tx=SeriesLabel(v=label))

    bars = BarChart()
    bars.type = "col"
    bars.title = f"{head['index_label']} {head['report_year']}: điểm các tỉnh (thang 100)"
    bars.height, bars.width = _PROVINCE_CHART_CM, 30
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


def _province_half(sheet: Worksheet, header: int, start: int, part: pl.DataFrame, province_key: str) -> None:
    _row(sheet, header, ["Hạng", "Tỉnh", "Điểm (thang 100)", "Bình quân cả nước"], header=True, column=start)
    for row, province in enumerate(part.iter_rows(named=True), start=header + 1):
        values = [
            _whole(province["rank_among_provinces"]),
            province["province_name_vi"],
            province["score_pct_of_max"],
            province["national_pct_of_max"],
        ]
        _row(sheet, row, values, column=start)
        if province["province_key"] == province_key:
            for offset in range(len(values)):
                sheet.cell(row=row, column=start + offset).font = BOLD


def _components(sheet: Worksheet, row: int, parts: pl.DataFrame, province_name: str) -> int:
    """The province's sub-indices of one index against the national average: a table (the widest lag
    first) and the same as paired bars under it; returns the next free row."""
    head = parts.row(0, named=True)
    scale = _whole(float(parts["score_max"].max()))
    row = _heading(
        sheet,
        row,
        f"{head['index_label']} năm {head['report_year']} theo chỉ số thành phần: {province_name} so với bình"
        f" quân cả nước (thang {scale}; bình quân là số công bố, hoặc bình quân {head['provinces_scored']}"
        " tỉnh trong bảng công bố)",
    )
    header = row
    labels = ["Chỉ số thành phần", None, province_name, "Bình quân cả nước", "Chênh lệch", "Hạng"]
    row = _row(sheet, row, labels, header=True)
    for part in parts.iter_rows(named=True):
        values = [part["component_name_vi"], None, part["score"], part["national_score"]]
        row = _row(sheet, row, [*values, part["gap_to_national"], part["rank_among_provinces"]])
    for line in range(header, row):
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=2)
        sheet.cell(row=line, column=1).alignment = WRAP
    bars = BarChart()
    bars.type = "bar"
    bars.title = f"{head['index_label']} {head['report_year']}: {province_name} và bình quân cả nước"
    bars.height, bars.width = _COMPONENT_CHART_CM, 30
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
    sheet.add_chart(bars, f"A{row + 1}")
    return row + 1 + _rows_under(_COMPONENT_CHART_CM)


def _provinces(sheet: Worksheet, trend: content.ParTrend) -> None:
    """Each official index's latest full table: a page with every province by rank as a chart (the
    province highlighted, the national mean as a line), as the ministry's reports show it, then a page
    with the table in two halves side by side."""
    put(sheet["A1"], f"Xếp hạng các tỉnh: lần công bố gần nhất đến năm {trend.year}").font = TITLE
    row = 3
    for number, table in enumerate(trend.provinces.partition_by("index_key", maintain_order=True)):
        head = table.row(0, named=True)
        if number:
            row = _new_page(sheet, row)
        mine = table.filter(pl.col("province_key") == trend.province_key)
        place = f"; {trend.province_name} hạng {mine['rank_among_provinces'][0]}" if mine.height else ""
        national = head["national_pct_of_max"]
        mean = f"; bình quân cả nước {decimal(national)}" if national is not None else ""
        row = _heading(
            sheet, row, f"{head['index_label']} năm {head['report_year']}: {table.height} tỉnh{place}{mean}"
        )
        chart_row = row
        header = _new_page(sheet, row + _rows_under(_PROVINCE_CHART_CM))
        half = math.ceil(table.height / 2)
        halves = [(1, table.head(half)), (_HALF_OFFSET + 1, table.tail(table.height - half))]
        for start, part in halves:
            _province_half(sheet, header, start, part, trend.province_key)
        sheet.add_chart(_province_chart(sheet, trend.province_key, halves, header + 1), f"A{chart_row}")
        row = header + half + 2
        parts = trend.components.filter(pl.col("index_key") == head["index_key"])
        if parts.height:
            row = _components(sheet, _new_page(sheet, row), parts, trend.province_name)
    set_widths(sheet, [7, 30, 12, 12, 10, 7, 30, 12, 12])


def _line_chart(title_text: str, y_title: str, *, reverse: bool = False) -> LineChart:
    chart = LineChart()
    chart.title = title_text
    chart.y_axis.title = y_title
    chart.x_axis.title = "Năm"
    chart.height, chart.width = _TREND_CHART_CM, 24
    # openpyxl hides axes unless told otherwise; LibreOffice then draws none
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = "0"
    if reverse:
        chart.y_axis.scaling.orientation = "maxMin"
        chart.x_axis.crosses = "max"  # keep the years at the bottom when the ranks run downwards
    return chart


def _plot(
    sheet: Worksheet, chart: LineChart | BarChart, header: int, last: int, columns: int, anchor: str
) -> None:
    values = Reference(sheet, min_col=2, max_col=columns, min_row=header, max_row=last)
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=last))
    if isinstance(chart, LineChart):
        _mark(chart)
    sheet.add_chart(chart, anchor)


def _mark(chart: LineChart) -> None:
    for series in chart.series:
        series.marker.symbol = "circle"  # a year alone still shows as a point
        series.smooth = False


def _trend(sheet: Worksheet, trend: content.ParTrend) -> None:
    """A page per block: the indices' scores, the province's ranks (each a table with its chart
    beside it), the internal index of the best and worst agencies (table, chart under it), then every
    agency's."""
    put(sheet["A1"], f"Xu hướng các chỉ số của tỉnh {trend.province_name} đến năm {trend.year}").font = TITLE
    row = _heading(sheet, 3, "Điểm các chỉ số (quy về thang 100)")
    scores = content.province_scores_by_year(trend)
    header, last = _table(sheet, row, scores, "Năm")
    if scores.height:
        chart = _line_chart("Điểm các chỉ số của tỉnh qua các năm (thang 100)", "Điểm")
        _plot(sheet, chart, header, last, scores.width, f"{get_column_letter(scores.width + 2)}{header}")
    row = _new_page(sheet, max(last, header + _rows_under(_TREND_CHART_CM)) + 2)
    row = _heading(sheet, row, "Thứ hạng của tỉnh trong cả nước (1 = cao nhất)")
    ranks = content.province_ranks_by_year(trend)
    header, last = _table(sheet, row, ranks, "Năm")
    if ranks.height:
        chart = _line_chart("Thứ hạng của tỉnh qua các năm (1 = cao nhất)", "Thứ hạng", reverse=True)
        _plot(sheet, chart, header, last, ranks.width, f"{get_column_letter(ranks.width + 2)}{header}")
    row = _new_page(sheet, max(last, header + _rows_under(_TREND_CHART_CM)) + 2)
    row = _heading(
        sheet,
        row,
        "Chỉ số CCHC nội bộ: bình quân, 5 cơ quan cao nhất và 5 thấp nhất trong số đã báo cáo năm này",
    )
    charted = content.agency_scores_by_agency(trend, content.charted_agencies(trend))
    header, last = _table(sheet, row, charted, "Cơ quan")
    chart = _line_chart(f"Chỉ số CCHC nội bộ đến năm {trend.year}", "Điểm")
    chart.height, chart.width = _AGENCY_CHART_CM, 24
    chart.legend.position = "b"
    chart.add_data(
        Reference(sheet, min_col=1, max_col=charted.width, min_row=header + 1, max_row=last),
        titles_from_data=True,
        from_rows=True,
    )
    chart.set_categories(Reference(sheet, min_col=2, max_col=charted.width, min_row=header, max_row=header))
    _mark(chart)
    sheet.add_chart(chart, f"A{last + 2}")
    row = _new_page(sheet, last + 2 + _rows_under(_AGENCY_CHART_CM))
    row = _heading(sheet, row, "Chỉ số CCHC nội bộ của tất cả các cơ quan đã báo cáo")
    _table(sheet, row, content.agency_scores_by_agency(trend), "Cơ quan")
    set_widths(sheet, [44] + [12] * 12)


def _fields(sheet: Worksheet, trend: content.ParTrend) -> None:
    put(sheet["A1"], f"Chỉ số CCHC nội bộ năm {trend.year} theo lĩnh vực").font = TITLE
    row = _heading(
        sheet, 3, "Tỷ lệ đạt bình quân theo cấp (%): chỉ tiêu đạt và nhiệm vụ đúng hạn trên số được tính"
    )
    ratios = content.area_ratios_by_level(trend)
    header = row
    row = _row(sheet, row, ["Lĩnh vực", "Điểm tối đa", *ratios.columns[2:]], header=True)
    row = _rows(sheet, row, ratios.iter_rows())
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
        values = Reference(sheet, min_col=3, max_col=ratios.width, min_row=header, max_row=row - 1)
        chart.add_data(values, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=row - 1))
        sheet.add_chart(chart, f"A{row + 1}")
    row = _new_page(sheet, row + 1 + _rows_under(_FIELD_CHART_CM))
    row = _heading(
        sheet, row, "Điểm từng cơ quan theo lĩnh vực (để trống: lĩnh vực không có chỉ tiêu, nhiệm vụ để tính)"
    )
    points = trend.areas.pivot(
        on="area_name_vi", index=["agency_level_name_vi", "agency_name_vi"], values="points"
    )
    row = _row(sheet, row, ["Cấp", "Cơ quan", *points.columns[2:]], header=True)
    _rows(sheet, row, points.iter_rows())
    set_widths(sheet, [40, 40, 16, 16, 16, 16, 16, 16, 16, 16])


def _targets(sheet: Worksheet, trend: content.ParTrend) -> None:
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
    put(
        sheet["A1"],
        f"Chỉ tiêu của kỳ tính điểm theo lĩnh vực: {measured.height} chỉ tiêu có số liệu;"
        f" {without.height} chỉ tiêu chưa có số liệu (tổng hợp theo cơ quan ở phần 2)",
    ).font = TITLE
    row = _heading(sheet, 3, "1. Chỉ tiêu có số liệu")
    header_row = row
    row = _row(
        sheet,
        row,
        [
            "Lĩnh vực",
            "Cơ quan",
            "Chỉ số",
            "Nguồn chỉ tiêu",
            "Chỉ tiêu",
            "Kết quả",
            "Đánh giá",
            "Kế hoạch",
            "Tệp báo cáo",
            "Ô",
        ],
        header=True,
    )
    last = _rows(
        sheet,
        row,
        (
            [
                target["area_name_vi"],
                target["agency_name_vi"],
                target["indicator_name_vi"],
                TARGET_SOURCE_VI.get(target["target_source"], target["target_source"]),
                target_text(target["comparator"], target["target_value"], target["unit"]),
                target["actual_value"],
                target["status_vi"],
                target["document_number"],
                target["submission_file"],
                target["actual_cell"],
            ]
            for target in measured.iter_rows(named=True)
        ),
    )
    for cells in sheet.iter_rows(min_row=row, max_row=last - 1, min_col=1, max_col=10):
        for cell in cells:
            cell.alignment = WRAP
    sheet.auto_filter.ref = f"A{header_row}:J{max(last - 1, header_row)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = f"C{header_row + 1}"
    row = _heading(sheet, last + 1, "2. Chỉ tiêu chưa có số liệu: số chỉ tiêu theo cơ quan và lĩnh vực")
    row = _row(sheet, row, ["Cơ quan", "Tổng", *areas], header=True)
    _rows(sheet, row, missing.iter_rows())
    set_widths(sheet, [30, 30, 40, 16, 12, 10, 14, 14, 40, 8])


def _method(sheet: Worksheet, trend: content.ParTrend) -> None:
    put(sheet["A1"], "Phương pháp tính và nguồn số liệu").font = TITLE
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
        put(sheet.cell(row=row, column=1), line).alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        row += 1
    row = _heading(sheet, row + 1, "Phương pháp áp dụng theo năm")
    row = _row(sheet, row, ["Năm", "Phương pháp có hiệu lực", None, "Trọng số đã áp dụng"], header=True)
    for method in trend.methods.iter_rows(named=True):
        applied = method["applied_vi"]
        if method["method_code"] != method["method_in_force_code"]:
            applied = f"{applied} (trọng số của phương pháp có hiệu lực chưa có trong dữ liệu)"
        row = _row(sheet, row, [f"Năm {method['report_year']}", method["method_in_force_vi"], None, applied])
        sheet.merge_cells(start_row=row - 1, start_column=2, end_row=row - 1, end_column=3)
        for column in (2, 4):
            sheet.cell(row=row - 1, column=column).alignment = WRAP
    row = _heading(sheet, row + 1, "Trọng số các lĩnh vực (điểm tối đa)")
    row = _row(sheet, row, ["Phương pháp", "Lĩnh vực", "Điểm tối đa", "Nguồn"], header=True)
    first = row
    row = _rows(sheet, row, trend.weights.iter_rows())
    row = _heading(sheet, row + 1, "Độ mới của số liệu")
    row = _rows(sheet, row, trend.freshness.iter_rows())
    for cells in sheet.iter_rows(min_row=first, max_row=row - 1, max_col=4):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.alignment = WRAP
    set_widths(sheet, [48, 52, 14, 48])


def write_workbook(trend: content.ParTrend, path: Path) -> Path:
    workbook = Workbook()
    sheets = [
        ("Tổng hợp", _summary),
        ("Các tỉnh", _provinces),
        ("Xu hướng", _trend),
        ("Theo lĩnh vực", _fields),
        ("Chỉ tiêu", _targets),
        ("Phương pháp", _method),
    ]
    for index, (name, fill) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        print_on_a4(sheet)
        fill(sheet, trend)
        fit_rows(sheet, line_height=14)
    workbook.properties.title = title(trend.province_name, trend.year)
    workbook.properties.creator = "cchc-warehouse"
    return save(workbook, path)

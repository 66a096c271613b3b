"""Sheet 'Tổng hợp': the year's internal index, the official indices, the plan's index targets, and
where the figures come from.
"""

from __future__ import annotations

import polars as pl
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.cells import put
from pipelines.forms.extract import content
from pipelines.forms.extract.sheet import put_heading, put_row, put_rows, whole_number
from pipelines.forms.labels import STATUS_VI, arrow, recency, title
from pipelines.forms.styles import (
    NOTE,
    TITLE,
    WRAP,
    set_widths,
)


def _index_name(series: dict) -> str:
    """The index's name; the internal mean says how many of the obliged agencies it covers."""
    if not series["is_internal"] or not series["agencies_obliged"]:
        return series["index_name_vi"]
    covered = f"{series['agencies_scored']}/{series['agencies_obliged']} cơ quan"
    return f"{series['index_name_vi']}: {covered}"


def summary_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    put(sheet["A1"], title(trend.province_name, trend.year)).font = TITLE
    period = trend.agencies["period_label_vi"][0]
    basis = (
        f"Tạm tính theo kỳ {period} (báo cáo năm chưa đến hạn)"
        if trend.is_provisional
        else f"Điểm theo báo cáo {period[:1].lower()}{period[1:]}"
    )
    put(sheet["A2"], f"{basis}. Số liệu kho lúc {trend.built_at:%d/%m/%Y %H:%M}.")
    row = put_heading(sheet, 4, "1. Các chỉ số của tỉnh: lần công bố gần nhất so với lần công bố trước")
    index_header = [
        "Chỉ số",
        None,
        None,
        "Năm công bố gần nhất",
        "Điểm (thang 100)",
        "Xếp hạng",
        "Trên số tỉnh",
        "Bình quân cả nước (thang 100)",
        "Xu hướng điểm",
        "Thay đổi điểm",
        "Thay đổi hạng",
        "Lần trước: năm",
        "Điểm",
        "Xếp hạng",
        "Độ mới",
    ]
    for series in [None, *trend.province_indices.partition_by("index_key", maintain_order=True)]:
        if series is None:
            row = put_row(sheet, row, index_header, header=True)
        else:
            latest, previous = (
                series.row(-1, named=True),
                (series.row(-2, named=True) if series.height > 1 else {}),
            )
            row = put_row(
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
                    arrow(latest["score_change"], has_previous=bool(previous)),
                    latest["score_change"],
                    latest["places_gained"],
                    previous.get("report_year"),
                    previous.get("score_pct_of_max"),
                    previous.get("rank_among_provinces"),
                    recency(latest["report_year"], trend.year),
                ],
            )
        sheet.merge_cells(start_row=row - 1, start_column=1, end_row=row - 1, end_column=3)
    put(
        sheet.cell(row=row, column=1),
        "Bình quân cả nước: số công bố; nguồn nào không công bố thì là bình quân các tỉnh trong bảng công bố"
        " (không gia quyền). Mũi tên theo điểm (▲ tăng, ▼ giảm); thay đổi hạng ở cột riêng."
        " Chỉ số CCHC nội bộ: bình quân các cơ quan đã gửi báo cáo; thay đổi so sánh cùng các cơ quan"
        " có điểm cả hai năm.",
    ).font = NOTE
    row += 1
    ranked = trend.agencies.filter(pl.col("is_ranked"))
    unranked = trend.agencies.filter(~pl.col("is_ranked"))
    row = put_heading(
        sheet,
        row + 1,
        f"2. Xếp hạng Chỉ số CCHC nội bộ năm {trend.year} (theo cấp; chỉ các cơ quan đã gửi báo cáo,"
        " cùng điểm thì đồng hạng)",
    )
    row = put_row(
        sheet,
        row,
        [
            "Cấp",
            "Hạng",
            "Cơ quan",
            "Điểm",
            "Xu hướng điểm",
            "Thay đổi điểm",
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
    row = put_rows(
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
        row = put_heading(
            sheet,
            row + 1,
            f"Chưa báo cáo – không xếp hạng: {unranked.height} cơ quan chưa gửi báo cáo được tính của kỳ"
            " chấm điểm",
        )
        row = put_row(sheet, row, ["Cấp", None, "Cơ quan", "Tình trạng"], header=True)
        row = put_rows(
            sheet,
            row,
            (
                [agency["agency_level_name_vi"], None, agency["agency_name_vi"], agency["rank_status_vi"]]
                for agency in unranked.iter_rows(named=True)
            ),
        )
    if trend.index_targets.height:
        row = put_heading(sheet, row + 1, "3. Chỉ tiêu về các chỉ số trong kế hoạch")
        row = put_row(
            sheet,
            row,
            ["Chỉ số", "Kế hoạch", "Chỉ tiêu", "Hạng mục tiêu", "Hạng đạt được", "Đánh giá"],
            header=True,
        )
        put_rows(
            sheet,
            row,
            (
                [
                    target["index_key"].replace("_", " "),
                    target["document_number"],
                    target["source_sentence"],
                    whole_number(target["target_rank"]),
                    whole_number(target["actual_rank"])
                    if target["measured_on"] == "published_rank"
                    else target["actual_score"],
                    STATUS_VI.get(target["status"], target["status"]),
                ]
                for target in trend.index_targets.iter_rows(named=True)
            ),
        )
        for line in range(row, row + trend.index_targets.height):
            sheet.cell(row=line, column=3).alignment = WRAP  # the plan's sentence, whole
    set_widths(sheet, [34, 14, 48, 10, 10, 10, 14, 12, 12, 12, 12, 14, 14, 14, 16])
    sheet.freeze_panes = "A4"

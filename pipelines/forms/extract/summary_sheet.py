"""Sheet 'Tổng hợp': the year in sentences, then the official indices, the year's internal index and
the plan's index targets.
"""

from __future__ import annotations

import polars as pl
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.forms.extract import content
from pipelines.forms.extract.headline import headline
from pipelines.forms.extract.sheet import (
    merge_across,
    put_heading,
    put_paragraph,
    put_row,
    put_rows,
    put_title,
    whole_number,
)
from pipelines.forms.labels import STATUS_VI, arrow, recency, short_level, title
from pipelines.forms.styles import NOTE, set_widths

# level, rank, agency (names wrap), then figures of seven units: "-52,46" prints whole at that width
_WIDTHS = [9, 6, 20, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 12]


def _index_name(series: dict) -> str:
    """The index's name; the internal mean says how many of the obliged agencies it covers."""
    if not series["is_internal"] or not series["agencies_obliged"]:
        return series["index_name_vi"]
    covered = f"{series['agencies_scored']}/{series['agencies_obliged']} cơ quan"
    return f"{series['index_name_vi']}: {covered}"


def summary_sheet(sheet: Worksheet, trend: content.ParTrend) -> None:
    set_widths(sheet, _WIDTHS)
    put_title(sheet, title(trend.province_name, trend.year))
    period = trend.agencies["period_label_vi"][0]
    basis = (
        f"Tạm tính theo kỳ {period} (báo cáo năm chưa đến hạn)"
        if trend.is_provisional
        else f"Điểm theo báo cáo {period[:1].lower()}{period[1:]}"
    )
    row = put_paragraph(sheet, 2, f"{basis}. Số liệu kho lúc {trend.built_at:%d/%m/%Y %H:%M}.")
    for sentence in headline(trend):
        row = put_paragraph(sheet, row, sentence)
    row = put_heading(sheet, row + 1, "1. Các chỉ số của tỉnh: lần công bố gần nhất so với lần công bố trước")
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
                wrapped=(1, 15),  # the index's name, "cũ: số liệu năm …"
            )
        merge_across(sheet, row - 1, [(1, 3)])
    row = put_paragraph(
        sheet,
        row,
        "Bình quân cả nước: số công bố; nguồn nào không công bố thì là bình quân các tỉnh trong bảng công bố"
        " (không gia quyền). Mũi tên theo điểm (▲ tăng, ▼ giảm); thay đổi hạng ở cột riêng."
        " Chỉ số CCHC nội bộ: bình quân các cơ quan đã gửi báo cáo; thay đổi so sánh cùng các cơ quan"
        " có điểm cả hai năm.",
        NOTE,
    )
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
                short_level(agency["agency_level_name_vi"]),
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
        wrapped=(1, 3),
    )
    sheet.auto_filter.ref = f"A{first_agency_row - 1}:O{row - 1}"
    if unranked.height:
        row = put_heading(
            sheet,
            row + 1,
            f"Chưa báo cáo – không xếp hạng: {unranked.height} cơ quan chưa gửi báo cáo được tính của kỳ"
            " chấm điểm",
        )
        status = (4, 9)  # "chưa báo cáo – không xếp hạng" across six columns
        row = put_row(sheet, row, ["Cấp", None, "Cơ quan", "Tình trạng"], header=True)
        merge_across(sheet, row - 1, [status])
        for agency in unranked.iter_rows(named=True):
            level, name = short_level(agency["agency_level_name_vi"]), agency["agency_name_vi"]
            row = put_row(sheet, row, [level, None, name, agency["rank_status_vi"]], wrapped=(1, 3))
            merge_across(sheet, row - 1, [status])
    if trend.index_targets.height:
        row = put_heading(sheet, row + 1, "3. Chỉ tiêu về các chỉ số trong kế hoạch")
        # the plan's sentence across B:G, the plan's number across H:I, the assessment across L:M
        spans = [(2, 7), (8, 9), (12, 13)]
        header = [
            "Chỉ số",
            "Chỉ tiêu",
            *[None] * 5,
            "Kế hoạch",
            None,
            "Hạng mục tiêu",
            "Đạt được",
            "Đánh giá",
        ]
        row = put_row(sheet, row, header, header=True)
        merge_across(sheet, row - 1, spans)
        for target in trend.index_targets.iter_rows(named=True):
            reached = (
                whole_number(target["actual_rank"])
                if target["measured_on"] == "published_rank"
                else target["actual_score"]
            )
            values = [
                target["index_key"].replace("_", " "),
                target["source_sentence"],
                *[None] * 5,
                target["document_number"],
                None,
                whole_number(target["target_rank"]),
                reached,
                STATUS_VI.get(target["status"], target["status"]),
            ]
            row = put_row(sheet, row, values, wrapped=(1, 2, 8, 12))
            merge_across(sheet, row - 1, spans)
    sheet.freeze_panes = "A2"

"""Write one PAR Index trend extract: the workbook, its charts as PNG and the trend as CSV, in one folder."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.extracts.data import ExtractUnavailable, available_extracts, read_par_trend
from pipelines.forms.cells import neutralise
from pipelines.forms.extract import charts
from pipelines.forms.extract.content import ParTrend
from pipelines.forms.extract.workbook import write_workbook

CSV_HEADER = [
    "Loại",
    "Chỉ số / cơ quan",
    "Cấp",
    "Năm",
    "Điểm",
    "Điểm tối đa",
    "Xếp hạng",
    "Tạm tính",
    "Nguồn",
]


def _csv_rows(trend: ParTrend) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            "Chỉ số của tỉnh",
            index["index_name_vi"],
            "",
            index["report_year"],
            index["score"],
            index["score_max"],
            index["rank_among_provinces"],
            "có" if index["is_provisional"] else "",
            index["source"],
        ]
        for index in trend.province_indices.iter_rows(named=True)
    ]
    rows += [
        [
            "Chỉ số CCHC nội bộ",
            agency["agency_name_vi"],
            agency["agency_level_name_vi"],
            agency["report_year"],
            agency["total_score"],
            100.0,
            "",
            "",
            "mart_cchc_index",
        ]
        for agency in trend.agency_trend.iter_rows(named=True)
    ]
    return rows


def write_csv(trend: ParTrend, path: Path) -> Path:
    # utf-8 with a byte-order mark: Excel opens it with the Vietnamese letters intact
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_HEADER)
        for row in _csv_rows(trend):
            writer.writerow([neutralise(value) if isinstance(value, str) else value for value in row])
    return path


def write_par_trend(trend: ParTrend, directory: Path) -> list[Path]:
    """Every file of the extract, under `directory` (created), named after the province and year."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"par-trend-{trend.province_key}-{trend.year}"
    return [
        write_workbook(trend, directory / f"{stem}.xlsx"),
        write_csv(trend, directory / f"{stem}.csv"),
        charts.province_chart(trend, directory / f"{stem}-chi-so-tinh.png"),
        charts.provinces_chart(trend, directory / f"{stem}-cac-tinh.png"),
        charts.components_chart(trend, directory / f"{stem}-thanh-phan.png"),
        charts.agency_chart(trend, directory / f"{stem}-co-quan.png"),
        charts.area_chart(trend, directory / f"{stem}-linh-vuc.png"),
    ]


def write_par_trends(
    conn: duckdb.DuckDBPyConnection,
    extracts_dir: Path,
    built_at: datetime,
    *,
    year: int | None = None,
    province: str | None = None,
) -> dict[tuple[str, int], list[Path]]:
    """The extracts of every province and year the internal index covers (or of the one asked), each in
    `extracts_dir/par-trend-<year>/`. A province and year with no index raises ExtractUnavailable."""
    wanted = [
        (key, report_year)
        for key, report_year in available_extracts(conn)
        if (year is None or report_year == year) and (province is None or key == province)
    ]
    if not wanted and year is not None:
        if province is not None:
            read_par_trend(conn, province, year, built_at)  # raises, naming the province
        raise ExtractUnavailable(
            f"Chưa có Chỉ số CCHC nội bộ của tỉnh nào năm {year}: chưa có báo cáo nào được tính cho năm này."
        )
    return {
        (key, report_year): write_par_trend(
            read_par_trend(conn, key, report_year, built_at), extracts_dir / f"par-trend-{report_year}"
        )
        for key, report_year in wanted
    }

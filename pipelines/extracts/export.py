"""Write one PAR Index trend extract: the workbook, its charts as PNG and the trend as CSV, in one folder.

The CSV is for people who open it in Excel on a Vietnamese Windows: `;` between fields and the decimal
comma (59,43), which Excel set to Vietnamese reads as numbers, and a byte-order mark for the letters. Tools
read the same figures from the published warehouse or its Parquet files, with the decimal point.
"""

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
from pipelines.forms.labels import decimal

CSV_HEADER = [
    "Loại",
    "Chỉ số / cơ quan",
    "Cấp",
    "Năm",
    "Điểm (thang 100)",
    "Điểm công bố",
    "Thang điểm công bố",
    "Xếp hạng",
    "Tạm tính",
    "Nguồn",
]
# each PNG of the extract: its name after the province and year, and what draws it
CHARTS = (
    ("chi-so-tinh", charts.province_chart),
    ("cac-tinh", charts.provinces_chart),
    ("thanh-phan", charts.components_chart),
    ("co-quan", charts.agency_chart),
    ("linh-vuc", charts.area_chart),
)
INTERNAL_SOURCE = "Tính từ báo cáo định kỳ của các cơ quan (kho dữ liệu, mart_cchc_index)"


def _cell(value: object) -> object:
    """A field as Vietnamese Excel reads it: 59,43 for a number with decimals, text neutralised."""
    if isinstance(value, float):
        return decimal(value).rstrip("0").rstrip(",")  # 59,43; 100; 35,66
    return neutralise(value) if isinstance(value, str) else value


def _published_source(publisher: str | None, published_in: str) -> str:
    """Who published an official figure and where it was read: "CECODES/UNDP – tệp PAPI_2011-2016.xlsx,
    trang 2011_PAPI" (a workbook's "file / sheet"), or the publisher and the report a CSV cites."""
    file, found, sheet = published_in.partition(" / ")
    where = f"tệp {file}, trang {sheet}" if found else published_in
    return f"{publisher} – {where}" if publisher else where


def _csv_rows(trend: ParTrend) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            "Chỉ số của tỉnh",
            index["index_name_vi"],
            "",
            index["report_year"],
            index["score_pct_of_max"],
            index["score"],
            index["score_max"],
            index["rank_among_provinces"],
            "có" if index["is_provisional"] else "",
            INTERNAL_SOURCE
            if index["is_internal"]
            else _published_source(index["publisher"], index["source"]),
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
            agency["total_score"],
            100.0,
            "",
            "",
            INTERNAL_SOURCE,
        ]
        for agency in trend.agency_trend.iter_rows(named=True)
    ]
    return rows


def write_csv(trend: ParTrend, path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(CSV_HEADER)
        for row in _csv_rows(trend):
            writer.writerow([_cell(value) for value in row])
    return path


def write_par_trend(trend: ParTrend, directory: Path) -> list[Path]:
    """Every file of the extract, under `directory` (created), named after the province and year."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"par-trend-{trend.province_key}-{trend.year}"
    figures = charts.figures_drawn(trend)
    return [
        write_workbook(trend, directory / f"{stem}.xlsx"),
        write_csv(trend, directory / f"{stem}.csv"),
        *(charts.draw(chart, trend, directory / f"{stem}-{name}.png", figures) for name, chart in CHARTS),
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

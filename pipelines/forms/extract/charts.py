"""The extract's charts as PNG images, for slides and messages (matplotlib, drawn without a screen).

They plot the same tables as the workbook's charts (pipelines.extracts.data), so the picture and the
workbook never disagree. A chart is drawn again only when the trend it is drawn from changed (`draw`):
every build writes the extracts, and most builds change no province's figures (15 charts take 3.5 s
to draw). matplotlib is imported by the first chart drawn, not with the module: every process that
loads the definitions (a run, the UI's code server, each `cchc` command) imports this one, and most
draw nothing (the import is 0.4-0.7 s of each).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import fields
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
from PIL import Image, UnidentifiedImageError

from pipelines.forms import labels
from pipelines.forms.extract import content
from pipelines.forms.labels import NO_DATA, decimal, title

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_DPI = 150
# the PNG text chunk that says what a chart was drawn from (`figures_drawn`)
_FIGURES_KEY = "cchc-figures"
# the trend's fields no chart draws: when the published copy was made, and the table that says so
_NOT_DRAWN = {"built_at", "freshness"}


def _pyplot():
    """matplotlib's pyplot, drawing without a screen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot


def figures_drawn(trend: content.ParTrend) -> str:
    """What the charts of `trend` show, as a hash: its province and year, every table but those in
    _NOT_DRAWN, and the code that draws them (this module, content, labels, matplotlib's version)."""
    digest = hashlib.sha256(f"{version('matplotlib')}|{pl.__version__}".encode())
    for module in (sys.modules[__name__], content, labels):
        digest.update(Path(module.__file__).read_bytes())
    for field in fields(trend):
        value = getattr(trend, field.name)
        if field.name in _NOT_DRAWN:
            continue
        digest.update(field.name.encode())
        if isinstance(value, pl.DataFrame):
            digest.update(f"{value.schema}|{value.height}".encode())
            digest.update(value.hash_rows(seed=0).to_numpy().tobytes())
        else:
            digest.update(repr(value).encode())
    return digest.hexdigest()


def _drawn_from(path: Path) -> str | None:
    """The hash of the figures the PNG at `path` was drawn from, if it is one of ours."""
    try:
        with Image.open(path) as image:
            return image.text.get(_FIGURES_KEY)
    except (OSError, UnidentifiedImageError, SyntaxError):  # missing, or not a whole PNG
        return None


def draw(
    chart: Callable[[content.ParTrend], Figure], trend: content.ParTrend, path: Path, figures: str
) -> Path:
    """The chart of `trend` at `path`, drawn only when the PNG there was drawn by another chart, for
    another file or from other `figures` (figures_drawn), or is not a whole PNG of ours; written whole or
    not at all (a file beside it, then renamed)."""
    mark = hashlib.sha256(f"{figures}|{chart.__qualname__}|{path.name}".encode()).hexdigest()
    if _drawn_from(path) == mark:
        return path
    figure = chart(trend)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        # the whole drawing: a legend beside the axes (agency names) is not cut at the edge
        figure.savefig(partial, dpi=_DPI, format="png", metadata={_FIGURES_KEY: mark}, bbox_inches="tight")
        partial.replace(path)
    finally:
        _pyplot().close(figure)
        partial.unlink(missing_ok=True)
    return path


def _noted(figure: Figure, note: str | None = None) -> Figure:
    """The figure laid out; a `note` (how to read it) goes in small italics under everything else."""
    figure.tight_layout(rect=(0, 0.04, 1, 1) if note else None)
    if note:
        figure.text(0.01, 0.01, note, fontsize=8, style="italic")
    return figure


def _lines(axes, frame: pl.DataFrame, unjoined: str | None = None) -> None:
    """One line per column over the years; the `unjoined` column as points only (the internal mean)."""
    years = frame["report_year"].to_list()
    for column in frame.columns[1:]:
        style = "none" if column == unjoined else "-"
        axes.plot(years, frame[column].to_list(), marker="o", linestyle=style, label=column)
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8)


def province_chart(trend: content.ParTrend) -> Figure:
    figure, (scores, ranks) = _pyplot().subplots(1, 2, figsize=(13, 5))
    figure.suptitle(title(trend.province_name, trend.year))
    internal = content.internal_label(trend)
    _lines(scores, content.province_scores_by_year(trend), unjoined=internal)
    scores.set(title="Điểm các chỉ số (quy về thang 100)", xlabel="Năm", ylabel="Điểm", ylim=(0, 100))
    rank_table = content.province_ranks_by_year(trend)
    if rank_table.width > 1:
        _lines(ranks, rank_table)
    ranks.invert_yaxis()
    ranks.set(title="Thứ hạng trong cả nước (1 = cao nhất)", xlabel="Năm", ylabel="Thứ hạng")
    return _noted(figure, note=content.UNJOINED_MEAN_NOTE if internal else None)


def agency_chart(trend: content.ParTrend) -> Figure:
    table = content.agency_scores_by_agency(trend, content.charted_agencies(trend))
    years = [int(year) for year in table.columns[1:]]
    figure, axes = _pyplot().subplots(figsize=(11, 6.5))
    for row in table.iter_rows():
        mean = row[0] == table[0, 0]
        axes.plot(
            years,
            row[1:],
            marker="D" if mean else "o",
            markersize=9 if mean else 6,
            linestyle="none" if mean else "-",  # each year's mean is over other agencies
            label=row[0],
            linewidth=1.5,
            color="black" if mean else None,
        )
    counts = content.internal_mean_counts(trend)
    for year, score in zip(years, table.row(0)[1:], strict=True):
        if score is not None and counts.get(year):
            axes.annotate(f"{counts[year]} cơ quan", (year, score), textcoords="offset points", xytext=(8, 6))
    axes.set(
        title=f"Chỉ số CCHC nội bộ đến năm {trend.year}: {content.charted_agencies_label(trend)}",
        xlabel="Năm",
        ylabel="Điểm",
        ylim=(0, 100),
        xticks=years,
    )
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="center left", bbox_to_anchor=(1, 0.5))
    return _noted(figure, note=content.UNJOINED_MEAN_NOTE)


def area_chart(trend: content.ParTrend) -> Figure:
    table = content.area_ratios_by_level(trend)
    levels = table.columns[2:]
    figure, axes = _pyplot().subplots(figsize=(11, 6))
    fields = table["area_name_vi"].to_list()
    height = 0.8 / max(len(levels), 1)
    for index, level in enumerate(levels):
        positions = [field + index * height for field in range(len(fields))]
        ratios = table[level].to_list()
        axes.barh(positions, [ratio or 0 for ratio in ratios], height=height, label=level)
        # every bar says its value, so that 0 % (counted, nothing earned) is not read as "no data"
        for position, ratio in zip(positions, ratios, strict=True):
            label = NO_DATA if ratio is None else f"{decimal(ratio, 1)} %"
            style = "italic" if ratio is None else "normal"
            axes.text((ratio or 0) + 1, position, label, va="center", fontsize=8, fontstyle=style)
    axes.set_yticks([field + height * (len(levels) - 1) / 2 for field in range(len(fields))])
    axes.set_yticklabels(
        [
            f"{name} ({points:g} đ)".replace(".", ",")
            for name, points in zip(fields, table["max_points"], strict=True)
        ]
    )
    axes.invert_yaxis()
    axes.set(title=f"Tỷ lệ đạt theo lĩnh vực năm {trend.year} (%)", xlabel="Tỷ lệ đạt (%)", xlim=(0, 100))
    axes.grid(axis="x", alpha=0.3)
    if levels:
        axes.legend(fontsize=8)
    return _noted(figure)


def provinces_chart(trend: content.ParTrend) -> Figure:
    """Every province in each index's latest full table, by rank: the province in red, the national
    mean dashed."""
    tables = trend.provinces.partition_by("index_key", maintain_order=True) if trend.provinces.height else []
    figure, axes_list = _pyplot().subplots(
        max(len(tables), 1), 1, figsize=(14, 4.5 * max(len(tables), 1)), squeeze=False
    )
    for axes, table in zip(axes_list[:, 0], tables, strict=False):
        first = table.row(0, named=True)
        names = table["province_name_vi"].to_list()
        colours = ["#C00000" if key == trend.province_key else "#8EA9DB" for key in table["province_key"]]
        axes.bar(range(len(names)), table["score_pct_of_max"].to_list(), color=colours)
        national = first["national_pct_of_max"]
        if national is not None:
            label = f"Bình quân cả nước {decimal(national)}"
            axes.axhline(national, color="#404040", linestyle="--", label=label)
            axes.legend(fontsize=8)
        axes.set_xticks(range(len(names)), names, rotation=90, fontsize=6)
        axes.set(
            title=f"{first['index_label']} năm {first['report_year']}: điểm các tỉnh (thang 100)",
            ylabel="Điểm",
            ylim=(0, 100),
            xlim=(-1, len(names)),
        )
        axes.grid(axis="y", alpha=0.3)
    return _noted(figure)


def components_chart(trend: content.ParTrend) -> Figure:
    """For each official index, the province's latest sub-indices beside the national average."""
    components = trend.components
    tables = components.partition_by("index_key", maintain_order=True) if components.height else []
    figure, axes_list = _pyplot().subplots(
        max(len(tables), 1), 1, figsize=(12, 0.45 * max(components.height, 8) + 1.5), squeeze=False
    )
    for axes, table in zip(axes_list[:, 0], tables, strict=False):
        first = table.row(0, named=True)
        names = table["component_name_vi"].to_list()
        positions = range(len(names))
        scores = table["score"].to_list()
        axes.barh([p - 0.2 for p in positions], scores, height=0.4, label=trend.province_name)
        axes.barh(
            [p + 0.2 for p in positions],
            table["national_score"].to_list(),
            height=0.4,
            color="#A6A6A6",
            label="Bình quân cả nước",
        )
        axes.set_yticks(list(positions), names, fontsize=8)
        axes.invert_yaxis()
        axes.set(
            title=f"{first['index_label']} năm {first['report_year']} theo chỉ số thành phần",
            xlabel="Điểm",
            xlim=(0, float(table["score_max"].max())),
        )
        axes.grid(axis="x", alpha=0.3)
        axes.legend(fontsize=8)
    return _noted(figure)

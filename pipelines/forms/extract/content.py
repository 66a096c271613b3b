"""What the PAR Index trend extract shows, as the workbook and the charts print it: the figures of one
province and year (read from the warehouse by `pipelines.extracts.data`), and the wide tables the trend
sheet and the charts plot from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from pipelines.forms.labels import MEAN_LABEL

INTERNAL_INDEX = "CCHC_NOI_BO"


@dataclass(frozen=True)
class ParTrend:
    province_key: str
    province_name: str
    year: int
    built_at: datetime  # when the published copy read was made
    agencies: pl.DataFrame  # the year's internal index, one row per agency: the ranked first within level
    agency_trend: pl.DataFrame  # agency × year internal index, up to the year
    areas: pl.DataFrame  # ranked agency × PAR Index field of the year
    province_indices: pl.DataFrame  # official indices and the internal mean, index × year, up to the year
    targets: pl.DataFrame  # targets measured in the year's scoring period
    index_targets: pl.DataFrame  # plan targets on published indices, for the year
    weights: pl.DataFrame  # PAR Index field weights of the method used
    methods: pl.DataFrame  # per year: the PAR Index method in force and the one whose weights were applied
    provinces: pl.DataFrame  # every province in each index's latest full published table, by rank
    components: pl.DataFrame  # the province's latest published sub-indices of each index, beside the nation
    freshness: pl.DataFrame  # label, value: where the figures come from and how recent they are

    @property
    def is_provisional(self) -> bool:
        return bool(self.agencies["is_provisional"].any()) if self.agencies.height else False


# The series the trend sheet and charts plot, as wide tables: one row per year, one column per series.

_CHARTED_AGENCIES = 10  # beyond this, a line chart of agencies is unreadable: the best and worst five


def _by_year(frame: pl.DataFrame, series: str, value: str) -> pl.DataFrame:
    if frame.is_empty():
        return pl.DataFrame({"report_year": []}, schema={"report_year": pl.Int32})
    order = list(dict.fromkeys(frame[series].to_list()))
    wide = frame.pivot(on=series, index="report_year", values=value, aggregate_function="first")
    # every year of the span, so a chart's axis keeps time even where nothing was published
    years = pl.DataFrame(
        {"report_year": range(frame["report_year"].min(), frame["report_year"].max() + 1)},
        schema={"report_year": pl.Int32},
    )
    return years.join(wide, on="report_year", how="left").select("report_year", *order)


def province_scores_by_year(trend: ParTrend) -> pl.DataFrame:
    """Each index's score over the years, on a 0-100 scale (PAPI's 60 or 80 points rescaled)."""
    scored = trend.province_indices.filter(pl.col("score_pct_of_max").is_not_null())
    return _by_year(scored, "index_label", "score_pct_of_max")


def province_ranks_by_year(trend: ParTrend) -> pl.DataFrame:
    """The province's rank among provinces in each published index, over the years."""
    ranked = trend.province_indices.filter(pl.col("rank_among_provinces").is_not_null())
    return _by_year(ranked, "index_label", "rank_among_provinces")


# the internal mean of a year is over the agencies that reported that year, a different set each year:
# charts draw it as points, never as a line from one year to the next
UNJOINED_MEAN_NOTE = (
    "Bình quân không nối giữa các năm: mỗi năm là bình quân của các cơ quan đã báo cáo năm đó, không cùng"
    " một nhóm cơ quan; thay đổi so sánh cùng các cơ quan ở trang Tổng hợp."
)


def charted_agencies_label(trend: ParTrend) -> str:
    """What the agency chart draws, in words: all the ranked agencies, or the best and worst five."""
    if trend.agencies.filter(pl.col("is_ranked")).height <= _CHARTED_AGENCIES:
        return "bình quân và các cơ quan đã báo cáo"
    half = _CHARTED_AGENCIES // 2
    return f"bình quân, {half} cơ quan cao nhất và {half} thấp nhất trong số đã báo cáo"


def internal_label(trend: ParTrend) -> str | None:
    """The internal mean's name among the province's indices (a column of province_scores_by_year)."""
    internal = trend.province_indices.filter(pl.col("index_key") == INTERNAL_INDEX)
    return internal["index_label"][0] if internal.height else None


def internal_mean_counts(trend: ParTrend) -> dict[int, int]:
    """Per year, how many agencies the internal mean is over."""
    internal = trend.province_indices.filter(pl.col("index_key") == INTERNAL_INDEX)
    return dict(zip(internal["report_year"].to_list(), internal["agencies_scored"].to_list(), strict=True))


def charted_agencies(trend: ParTrend) -> list[str]:
    """The agencies the trend chart draws: all the ranked ones, or the year's best and worst five of them
    (an agency without a counted report is not ranked, so it is never among "the worst")."""
    ranked = (
        trend.agencies.filter(pl.col("is_ranked"))
        .sort("total_score", descending=True)["agency_name_vi"]
        .to_list()
    )
    if len(ranked) <= _CHARTED_AGENCIES:
        return ranked
    half = _CHARTED_AGENCIES // 2
    return ranked[:half] + ranked[-half:]


def agency_scores_by_agency(trend: ParTrend, agencies: list[str] | None = None) -> pl.DataFrame:
    """Internal index over the years, one row per ranked agency (the mean of the agencies that reported
    first), one column per year: agencies are many and years few, so they read down the page."""
    frame = trend.agency_trend
    if agencies is not None:
        frame = frame.filter(pl.col("agency_name_vi").is_in(agencies))
    mean = trend.province_indices.filter(pl.col("index_key") == INTERNAL_INDEX).select(
        pl.lit(MEAN_LABEL).alias("agency_name_vi"), "report_year", "score"
    )
    rows = pl.concat(
        [mean, frame.select("agency_name_vi", "report_year", pl.col("total_score").alias("score"))]
    )
    order = [MEAN_LABEL, *(agencies or list(dict.fromkeys(frame["agency_name_vi"].to_list())))]
    years = sorted(set(rows["report_year"].to_list()))
    wide = rows.with_columns(pl.col("report_year").cast(pl.String)).pivot(
        on="report_year", index="agency_name_vi", values="score", aggregate_function="first"
    )
    return (
        pl.DataFrame({"agency_name_vi": order})
        .join(wide, on="agency_name_vi", how="left", maintain_order="left")
        .select("agency_name_vi", *[str(year) for year in years])
    )


def area_ratios_by_level(trend: ParTrend) -> pl.DataFrame:
    """Per PAR Index field, the mean share earned (%) by agencies of each level, in field order."""
    scored = trend.areas.filter(pl.col("is_scored"))
    fields = trend.areas.select("area_order", "area_name_vi", "max_points").unique().sort("area_order")
    if scored.is_empty():
        return fields.drop("area_order")
    means = (
        scored.group_by("area_name_vi", "agency_level_name_vi")
        .agg((pl.col("earned_ratio").mean() * 100).round(1).alias("ratio"))
        .pivot(on="agency_level_name_vi", index="area_name_vi", values="ratio")
    )
    levels = list(dict.fromkeys(trend.agencies["agency_level_name_vi"].to_list()))
    return (
        fields.join(means, on="area_name_vi", how="left")
        .sort("area_order")
        .select("area_name_vi", "max_points", *[level for level in levels if level in means.columns])
    )

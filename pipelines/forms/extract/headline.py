"""The extract's opening: the year in a few sentences a leader reads before any table (who reported,
who leads and trails each level, the mean and its like-for-like change, targets and tasks, the official
indices and how old they are)."""

from __future__ import annotations

import polars as pl

from pipelines.forms.extract.content import INTERNAL_INDEX, ParTrend
from pipelines.forms.labels import OLD_AFTER_YEARS, decimal, recency, short_level


def _coverage(trend: ParTrend, internal: dict | None) -> str:
    scored = trend.agencies.filter(pl.col("is_ranked")).height
    obliged = (internal or {}).get("agencies_obliged") or trend.agencies.height
    if scored == obliged:
        return f"Năm {trend.year}: cả {obliged} cơ quan đã gửi báo cáo được tính điểm."
    return (
        f"Năm {trend.year}: {scored}/{obliged} cơ quan đã gửi báo cáo được tính điểm; {obliged - scored} cơ"
        " quan chưa gửi, không được xếp hạng."
    )


def _names(rows: pl.DataFrame) -> str:
    return " và ".join(rows["agency_name_vi"].to_list())


def _level(level: str, ranked: pl.DataFrame) -> str:
    """Who leads a level and who trails it; agencies tied share the place."""
    first = ranked.filter(pl.col("rank_in_level") == ranked["rank_in_level"].min())
    score = decimal(first["total_score"][0])
    lead = "đồng dẫn đầu" if first.height > 1 else "dẫn đầu"
    sentence = f"{level}: {_names(first)} {lead} với {score} điểm"
    last = ranked.filter(pl.col("rank_in_level") == ranked["rank_in_level"].max())
    if last["rank_in_level"][0] != first["rank_in_level"][0]:
        sentence += f"; thấp nhất là {_names(last)} với {decimal(last['total_score'][0])} điểm"
    return f"{sentence} ({ranked.height} cơ quan được xếp hạng)."


def _mean(trend: ParTrend, internal: dict) -> str:
    sentence = (
        f"Bình quân Chỉ số CCHC nội bộ: {decimal(internal['score_pct_of_max'])} điểm, trên"
        f" {internal['agencies_scored']} cơ quan đã báo cáo"
    )
    earlier = trend.province_indices.filter(
        (pl.col("index_key") == INTERNAL_INDEX) & (pl.col("report_year") < trend.year)
    )
    if earlier.is_empty():
        return f"{sentence}; năm đầu tiên có chỉ số, chưa có năm trước để so sánh."
    previous = earlier["report_year"].max()
    change, compared = internal["score_change"], internal["agencies_compared"]
    if change is None:
        return f"{sentence}; không so sánh được với năm {previous}: không cơ quan nào có điểm cả hai năm."
    movement = f"{'tăng' if change > 0 else 'giảm'} {decimal(abs(change))} điểm" if change else "không đổi"
    return (
        f"{sentence}; {movement} so với năm {previous}, so sánh cùng {compared} cơ quan có điểm cả hai năm."
    )


def _work(ranked: pl.DataFrame) -> str:
    met, counted, without, on_time, due = (
        ranked[column].sum()
        for column in (
            "targets_met",
            "targets_counted",
            "targets_without_data",
            "tasks_on_time",
            "tasks_counted",
        )
    )
    return (
        f"Các cơ quan đã báo cáo đạt {met}/{counted} chỉ tiêu được tính ({without} chỉ tiêu không có số"
        f" liệu, tính 0 điểm) và hoàn thành đúng hạn {on_time}/{due} nhiệm vụ đến hạn."
    )


def _official(trend: ParTrend) -> str | None:
    """The latest of each published index: its year, rank and, when more than two years behind, "cũ"."""
    official = trend.province_indices.filter(~pl.col("is_internal"))
    parts, any_old = [], False
    for series in official.partition_by("index_key", maintain_order=True):
        latest = series.row(-1, named=True)
        if latest["rank_among_provinces"] is not None:
            ranked = latest["provinces_ranked"]
            place = f"hạng {int(latest['rank_among_provinces'])}{f'/{ranked}' if ranked else ''}"
        else:
            place = f"{decimal(latest['score_pct_of_max'])} điểm (thang 100)"
        old = recency(latest["report_year"], trend.year) is not None
        any_old |= old
        parts.append(f"{latest['index_label']} năm {latest['report_year']} {place}{' (cũ)' if old else ''}")
    if not parts:
        return None
    sentence = f"Các chỉ số công bố lần gần nhất: {'; '.join(parts)}"
    return f"{sentence}; cũ: trước năm báo cáo hơn {OLD_AFTER_YEARS} năm." if any_old else f"{sentence}."


def headline(trend: ParTrend) -> list[str]:
    """The sentences, in order: coverage, each level's first and last, the mean, targets and tasks, the
    official indices."""
    internal_rows = trend.province_indices.filter(
        (pl.col("index_key") == INTERNAL_INDEX) & (pl.col("report_year") == trend.year)
    )
    internal = internal_rows.row(0, named=True) if internal_rows.height else None
    ranked = trend.agencies.filter(pl.col("is_ranked"))
    sentences = [_coverage(trend, internal)]
    for level in ranked.partition_by("agency_level_name_vi", maintain_order=True):
        sentences.append(_level(short_level(level["agency_level_name_vi"][0]), level))
    if internal is not None and internal["score_pct_of_max"] is not None:
        sentences.append(_mean(trend, internal))
    if ranked.height:
        sentences.append(_work(ranked))
    official = _official(trend)
    return sentences + ([official] if official else [])

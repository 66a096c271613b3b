"""What the scoring round tells leaders and agencies (`cchc round-results`): the province's result
workbook (ranking by level, the largest adjustments, the gaps in proof) and one scorecard per agency the
council has appraised, listing the points it lost and why. Written under
extracts/ket-qua/<province>-<year>/. Read from the published copy: the figures are what BI tools show.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.forms.labels import NO_DATA, decimal, plain, short_level
from pipelines.forms.round_results import Level, write_round_results
from pipelines.forms.scorecard import write_scorecard

FOLDER = "ket-qua"
ADJUSTMENTS_SHOWN = 30
_OFFICIAL = """
select
    official.agency_key, official.agency_name_vi, levels.agency_level_name_vi, official.rank_in_level,
    official.agencies_ranked, official.official_index, official.claimed_points, official.appraised_points,
    official.survey_points, official.self_minus_appraised, official.internal_estimate,
    official.index_status_vi, official.previous_official_index, official.criteria_appraised
from main.mart_cchc_official_index as official
left join (select distinct agency_level, agency_level_name_vi from main.dim_agency) as levels
    using (agency_level)
where official.province_key = $province and official.assessed_year = $year
order by official.agency_level, official.rank_in_level nulls last, official.agency_name_vi
"""
_CRITERIA = """
select
    scores.agency_key, scores.agency_name_vi, scores.criterion_code, scores.criterion_name_vi,
    scores.max_points, scores.data_score, scores.data_basis_vi, scores.self_score, scores.claimed_score,
    scores.appraised_score,
    scores.adjustment, scores.appraisal_reason, scores.evidence_status, scores.evidence_status_vi,
    (
        select list(findings.finding_vi order by findings.row_number, findings.finding_code)
        from main.criterion_evidence_findings as findings
        where findings.criterion_score_key = scores.criterion_score_key
    ) as findings
from main.fact_criterion_score as scores
left join main.dim_criterion as criteria using (criterion_key)
where scores.province_code = $province and scores.assessed_year = $year
order by scores.agency_name_vi, criteria.sort_order
"""


def _points(value: float | None) -> str:
    return decimal(value) if value is not None else NO_DATA


def _why(row: dict) -> str:
    """Why a criterion lost points, in the words that say what to do about it."""
    parts = []
    if row["adjustment"] is not None and row["adjustment"] < 0:
        said = f"{plain(row['claimed_score'])} → {plain(row['appraised_score'])}"
        parts.append(f"Hội đồng điều chỉnh {said}: {row['appraisal_reason'] or 'không ghi lý do'}")
    if row["data_score"] is not None:
        parts.append(f"Theo dữ liệu: {row['data_basis_vi']}")
    if row["evidence_status"] == "survey":
        parts.append(f"Điều tra xã hội học: {plain(row['appraised_score'])}/{plain(row['max_points'])}")
    if row["evidence_status"] in ("missing", "findings"):
        parts += list(row["findings"] or [])[:2]
    if not parts and row["self_score"] is not None:
        parts.append(f"Tự chấm {plain(row['self_score'])}/{plain(row['max_points'])}")
    return "\n".join(parts)


def _lost(criteria: list[dict]) -> list[list[object]]:
    """The criteria where an appraised agency lost points, most lost first; those it did not score
    itself at all (nothing claimed, nothing proven) folded into one line, so the card stays one page."""
    lost = [
        r for r in criteria if r["appraised_score"] is not None and r["appraised_score"] < r["max_points"]
    ]
    blank = [
        r for r in lost if r["evidence_status"] in ("not_scored", "not_assessed") and not r["adjustment"]
    ]
    lines = sorted(
        (
            [
                r["criterion_code"],
                r["criterion_name_vi"],
                r["max_points"],
                r["appraised_score"],
                round(r["max_points"] - r["appraised_score"], 2),
                _why(r),
            ]
            for r in lost
            if r not in blank
        ),
        key=lambda line: (-line[4], line[0]),
    )
    if blank:
        codes = ", ".join(r["criterion_code"] for r in blank)
        maximum = sum(r["max_points"] for r in blank)
        got = sum(r["appraised_score"] for r in blank)
        why = f"Cơ quan không tự chấm, không có tài liệu kiểm chứng: {codes}"
        lines.append(["…", f"{len(blank)} tiêu chí chưa tự chấm", maximum, got, round(maximum - got, 2), why])
    return lines


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[dict]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def write_round_results_for(
    conn: duckdb.DuckDBPyConnection, province: str, year: int, directory: Path, today: datetime
) -> list[Path]:
    """The result workbook and the scorecards of `province`'s round for `year` under `directory`; the
    paths written (the result workbook first). ValueError for an unknown province."""
    named = conn.execute("select province_name_vi from main.dim_province where province_key = ?", [province])
    found = named.fetchone()
    if found is None:
        raise ValueError(f"No province {province!r} in dim_province (cchc agencies shows the keys)")
    params = {"province": province, "year": year}
    official = _rows(conn.execute(_OFFICIAL, params))
    criteria = _rows(conn.execute(_CRITERIA, params))
    folder = directory / f"{province}-{year}"
    levels: dict[str, list[list[object]]] = {}
    for row in official:
        levels.setdefault(short_level(row["agency_level_name_vi"] or ""), []).append(
            [
                row["rank_in_level"],
                row["agency_name_vi"],
                row["official_index"],
                row["claimed_points"],
                row["appraised_points"],
                row["survey_points"],
                row["self_minus_appraised"],
                row["internal_estimate"],
                row["index_status_vi"],
            ]
        )
    adjusted = sorted(
        (row for row in criteria if row["adjustment"]),
        key=lambda row: (-abs(row["adjustment"]), row["agency_name_vi"], row["criterion_code"]),
    )[:ADJUSTMENTS_SHOWN]
    adjustments = [
        [
            r["agency_name_vi"],
            r["criterion_code"],
            r["criterion_name_vi"],
            r["claimed_score"],
            r["appraised_score"],
            r["adjustment"],
            r["appraisal_reason"],
        ]
        for r in adjusted
    ]
    gaps = [
        [
            r["agency_name_vi"],
            r["criterion_code"],
            r["criterion_name_vi"],
            r["evidence_status_vi"],
            "\n".join(r["findings"] or []),
        ]
        for r in criteria
        if r["evidence_status"] in ("missing", "findings")
    ]
    title = f"Kết quả Chỉ số cải cách hành chính năm {year} – tỉnh {found[0]}"
    paths = [
        write_round_results(
            folder / f"ket-qua-{province}-{year}.xlsx",
            title,
            today,
            [Level(name, rows) for name, rows in levels.items()],
            adjustments,
            gaps,
        )
    ]
    for row in official:
        if not row["criteria_appraised"]:
            continue
        lost = _lost([r for r in criteria if r["agency_key"] == row["agency_key"]])
        level = short_level(row["agency_level_name_vi"] or "")
        rank = (
            f"{row['rank_in_level']}/{row['agencies_ranked']} ({level})"
            if row["rank_in_level"]
            else "không xếp hạng"
        )
        facts = [
            ("Cơ quan", row["agency_name_vi"]),
            ("Chỉ số chính thức", f"{_points(row['official_index'])} ({row['index_status_vi']})"),
            ("Xếp hạng", rank),
            (
                "Điểm đề nghị, thẩm định",
                f"{_points(row['claimed_points'])}; {_points(row['appraised_points'])}",
            ),
            ("Điểm điều tra xã hội học", _points(row["survey_points"])),
            ("Năm trước", _points(row["previous_official_index"])),
            ("Chỉ số nội bộ (ước tính)", _points(row["internal_estimate"])),
        ]
        paths.append(
            write_scorecard(
                folder / f"diem-{row['agency_key']}.xlsx",
                f"Phiếu kết quả Chỉ số CCHC năm {year}",
                facts,
                lost,
                today,
            )
        )
    return paths

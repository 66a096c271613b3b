"""The self-assessment workbook of an agency and year (`cchc self-assessment-template`): the criteria of
the set in force for it (dim_criterion) with the scores the warehouse already gives from its data
(fact_criterion_score), so an agency types only what the data cannot say.

Read from the published copy: the prefilled scores are what BI tools show.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from pipelines.forms.self_assessment import AssessmentForm, CriterionLine, write_self_assessment

FOLDER = "tu-danh-gia"
_ASSESSMENT = """
select distinct criteria_set_key, agency_name_vi
from main.fact_criterion_score
where agency_key = $agency and assessed_year = $year
"""
_LINES = """
select
    criteria.criterion_code,
    criteria.criterion_name_vi,
    criteria.max_points,
    criteria.scoring_rule_vi,
    criteria.evidence_vi,
    criteria.is_scored,
    criteria.is_survey,
    scores.data_score,
    scores.data_basis_vi,
    criteria.set_name_vi,
    criteria.citation_vi
from main.dim_criterion as criteria
left join main.fact_criterion_score as scores
    on scores.criterion_key = criteria.criterion_key
    and scores.agency_key = $agency
    and scores.assessed_year = $year
where criteria.criteria_set_key = $set
order by criteria.sort_order
"""


def assessment_form(conn: duckdb.DuckDBPyConnection, agency: str, year: int) -> AssessmentForm:
    """The form of `agency` for `year`; ValueError when no criteria set scores it that year."""
    found = conn.execute(_ASSESSMENT, {"agency": agency, "year": year}).fetchall()
    if not found:
        raise ValueError(
            f"No criteria set scores {agency!r} in {year}: the agency is unknown, not obliged to report that"
            " year, or its province and level have no set (dbt/seeds/criteria_sets.csv)"
        )
    ((criteria_set, agency_name),) = found
    rows = conn.execute(_LINES, {"agency": agency, "year": year, "set": criteria_set}).fetchall()
    lines = [
        CriterionLine(
            code=code,
            name=name,
            max_points=maximum,
            scoring_rule=rule,
            evidence=evidence,
            is_scored=scored,
            is_survey=survey,
            data_score=data_score,
            data_basis=basis,
        )
        for code, name, maximum, rule, evidence, scored, survey, data_score, basis, *_ in rows
    ]
    set_name, citation = rows[0][-2:]
    return AssessmentForm(agency, agency_name, year, criteria_set, set_name, citation, lines)


def write_self_assessment_template(
    conn: duckdb.DuckDBPyConnection, agency: str, year: int, directory: Path, today: datetime
) -> Path:
    """Write tu-danh-gia-<agency>-<year>.xlsx under `directory`; its path."""
    form = assessment_form(conn, agency, year)
    return write_self_assessment(directory / f"tu-danh-gia-{agency}-{year}.xlsx", form, today)

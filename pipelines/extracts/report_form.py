"""What a report template lists for one agency and period, read from the warehouse's marts.

Indicators: the quantified targets for the period's year from the agency's own plan and, where it
sets none, from its province's plan for the agency's level or for all agencies ("các chỉ tiêu không
thấp hơn Kế hoạch này"). Tasks: appendix tasks the agency (or one of its own units) leads in plans
covering the year and not due before it. Ranks in published indices are not asked for: they come
from fact_index_score.
"""

from __future__ import annotations

import duckdb

from pipelines.forms.report.template import IndicatorLine, ReportForm, TaskLine
from pipelines.warehouse.periods import period


class UnknownAgencyOrPeriod(ValueError):
    """The agency or period a template was asked for is not in the warehouse."""


_AGENCY = """
select agency_name_vi, agency_level, province_code
from main.dim_agency
where agency_key = ? and valid_from_on <= ? and (valid_to_on is null or valid_to_on >= ?)
"""

_TARGETS = """
with province_plan_issuers as (
    select agency_key from main.dim_agency where role_code = 'ubnd_tinh' and province_code = $province
),

candidates as (
    select
        targets.*,
        targets.issuer_agency_key = $agency as is_own
    from main.plan_targets as targets
    where targets.indicator_code <> 'unclassified'
        and targets.target_value is not null
        and not targets.is_implausible
        and (
            targets.target_year = $year
            or (
                targets.target_year is null
                and $year between targets.period_start_year and targets.period_end_year
            )
        )
        and (
            targets.issuer_agency_key = $agency
            or (
                targets.issuer_agency_key in (select agency_key from province_plan_issuers)
                and (targets.agency_level = $level or targets.agency_level is null)
            )
        )
)

select
    candidates.indicator_code,
    indicators.indicator_name_vi,
    coalesce(candidates.unit, indicators.unit) as unit,
    candidates.target_value,
    candidates.comparator,
    indicators.is_rate,
    coalesce(candidates.document_number, candidates.source_file) as plan,
    candidates.plan_target_key,
    areas.area_name_vi
from candidates
inner join main.dim_indicator as indicators using (indicator_code)
left join main.dim_area as areas on areas.area_key = indicators.area_key
-- ranks in published indices (PCI, PAR INDEX) are read from fact_index_score, not reported by agencies
where coalesce(indicators.unit, '') <> 'rank'
qualify row_number() over (
    partition by candidates.indicator_code
    order by candidates.is_own desc, candidates.agency_level is null, candidates.plan_target_key
) = 1
order by areas.sort_order, candidates.indicator_code
"""

_TASKS = """
select distinct
    tasks.plan_task_key,
    tasks.stt,
    coalesce(tasks.task, tasks.activity, tasks.objective) as task,
    tasks.deadline_text,
    tasks.task_output,
    coalesce(documents.document_number, tasks.source_file) as plan,
    tasks.section_heading,
    tasks.source_file,
    tasks.task_seq
from main.plan_tasks as tasks
inner join main.plan_task_agencies as agencies using (plan_task_key)
inner join main.plan_documents as documents using (source_file)
where agencies.agency_role = 'lead'
    and (
        agencies.agency_key = $agency
        or agencies.agency_key in (select agency_key from main.dim_agency where parent_agency_key = $agency)
    )
    and $year between documents.period_start_year and documents.period_end_year
    and (tasks.due_on is null or year(tasks.due_on) >= $year)
order by tasks.source_file, tasks.task_seq
"""


def report_form(conn: duckdb.DuckDBPyConnection, agency_key: str, period_key: str) -> ReportForm:
    found = period(conn, period_key)
    if found is None:
        raise UnknownAgencyOrPeriod(
            f"Kỳ báo cáo '{period_key}' không có: dùng dạng NĂM-Q1, NĂM-H1, NĂM-Q3 hoặc NĂM-FY"
            " (ví dụ 2024-Q3)."
        )
    year, period_label, period_end = found.report_year, found.period_label_vi, found.period_end_on
    cutoff_start, cutoff_end = found.cutoff_start_on, found.cutoff_end_on
    is_cumulative, due_on = found.is_cumulative, found.report_due_on
    agency = conn.execute(_AGENCY, [agency_key, period_end, period_end]).fetchone()
    if agency is None:
        raise UnknownAgencyOrPeriod(
            f"Cơ quan '{agency_key}' không có trong danh mục cơ quan vào {period_label}."
        )
    name, level, province = agency
    recipient = conn.execute(_AGENCY, [f"{province}.so_noi_vu", period_end, period_end]).fetchone()
    parameters = {"agency": agency_key, "year": year, "level": level, "province": province}
    targets = conn.execute(_TARGETS, parameters).fetchall()
    tasks = conn.execute(_TASKS, {"agency": agency_key, "year": year}).fetchall()
    return ReportForm(
        agency_key=agency_key,
        agency_name=name,
        period_key=period_key,
        period_label=period_label,
        cutoff=(cutoff_start, cutoff_end),
        is_cumulative=is_cumulative,
        due_on=due_on,
        recipient=recipient[0] if recipient else None,
        indicators=tuple(
            IndicatorLine(
                code=code,
                name=indicator_name,
                unit=unit,
                target=value,
                comparator=comparator,
                is_rate=bool(is_rate),
                source=plan,
                plan_target_key=target_key,
                area=area,
            )
            for code, indicator_name, unit, value, comparator, is_rate, plan, target_key, area in targets
        ),
        tasks=tuple(
            TaskLine(
                code=key,
                stt=stt or "",
                task=task or "",
                deadline=deadline,
                output=output,
                plan=plan,
                section=section,
            )
            for key, stt, task, deadline, output, plan, section, _, _ in tasks
        ),
    )

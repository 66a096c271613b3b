{#- The facts behind the internal CCHC index: one row per target or appendix task that counts for an
    agency in a year, with whether it earns its share. A year is scored on its latest closed period (the
    annual report once năm has closed; until then the latest closed quarter, and the index is provisional).
    Targets count when measured (met, not_met, or no_data: a target the agency did not report on earns
    nothing), once per indicator (the most demanding of an agency's targets on it); implausible and
    unclassified targets do not count. Tasks count when they are due by the
    period's end or done: done on time earns, late, overdue or unreported does not; recurring, not yet due
    and cancelled tasks do not count. A unit's item (a phòng or centre under a department or commune, which
    its parent reports for) counts for the parent: the index ranks the agencies that report. -#}
with periods as (
    select * from {{ ref('dim_period') }}
),

targets as (
    select * from {{ ref('dim_target') }}
),

target_progress as (
    select * from {{ ref('fact_target_progress') }}
),

task_progress as (
    select * from {{ ref('fact_task_progress') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

scoring_periods as (
    select
        report_year,
        period_key,
        period_end_on,
        not is_annual as is_provisional
    from periods
    where is_closed
    qualify row_number() over (partition by report_year order by period_sequence desc) = 1
),

target_items as (
    select
        'target' as item_kind,
        target_progress.target_progress_key as item_key,
        target_progress.agency_key,
        target_progress.agency_version_key,
        scoring_periods.report_year,
        target_progress.period_key,
        scoring_periods.is_provisional,
        target_progress.area_key,
        target_progress.status as item_status,
        target_progress.status = 'met' as is_earned,
        target_progress.submission_file,
        target_progress.actual_cell as source_cell,
        targets.indicator_code as measure_key,
        -- the most demanding target first: the highest floor, the lowest ceiling
        case when targets.direction = 'lower' then targets.target_value else -targets.target_value end
            as demand_order,
        -- equally demanding: the one its plan states first
        targets.source_file as plan_file,
        targets.plan_order
    from target_progress
    inner join scoring_periods using (period_key)
    inner join targets using (target_key)
    where target_progress.status in ('met', 'not_met', 'no_data')
        and not targets.is_implausible
        and not targets.is_unclassified
),

task_items as (
    select
        'task' as item_kind,
        task_progress.task_progress_key as item_key,
        task_progress.agency_key,
        task_progress.agency_version_key,
        scoring_periods.report_year,
        task_progress.period_key,
        scoring_periods.is_provisional,
        task_progress.area_key,
        task_progress.timing as item_status,
        task_progress.timing = 'done_on_time' as is_earned,
        task_progress.submission_file,
        task_progress.status_cell as source_cell,
        task_progress.plan_task_key as measure_key,
        null as demand_order,
        null as plan_file,
        null as plan_order
    from task_progress
    inner join scoring_periods using (period_key)
    where task_progress.timing in ('done_on_time', 'done_late', 'overdue')
        or (task_progress.timing = 'not_reported' and task_progress.due_on <= scoring_periods.period_end_on)
),

unioned as (
    select * from target_items
    union all
    select * from task_items
),

final as (
    select
        unioned.item_kind || ':' || unioned.item_key as index_item_key,
        unioned.item_kind,
        unioned.item_key,
        case when agencies.agency_level = 'unit' then agencies.parent_agency_key else unioned.agency_key end
            as agency_key,
        unioned.agency_key as lead_agency_key,
        unioned.report_year,
        unioned.period_key,
        unioned.is_provisional,
        unioned.area_key,
        unioned.item_status,
        unioned.is_earned,
        unioned.submission_file,
        unioned.source_cell
    from unioned
    inner join agencies using (agency_version_key)
    -- one measure, one item: the targets of one indicator for the agency scored in a year (restated in two
    -- parts of a plan, the province's beside the agency's own, or its units' read from its report) are
    -- judged by the same report cell, so they count once, against the most demanding of them; a task led
    -- by two of its units, or by it and a unit, is one task
    qualify row_number() over (
        partition by
            case when agencies.agency_level = 'unit' then agencies.parent_agency_key else unioned.agency_key end,
            unioned.report_year,
            unioned.item_kind,
            unioned.measure_key
        order by unioned.demand_order nulls last, unioned.plan_file, unioned.plan_order, unioned.item_key
    ) = 1
)

select * from final

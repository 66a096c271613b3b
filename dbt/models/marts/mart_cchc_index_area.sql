{#- The internal CCHC index per agency × year × PAR Index field: the share of its counted targets and
    tasks it earned (mart_cchc_index_items), times the field's maximum points under the PAR Index method in
    force that year (seed par_index_weights). A field with nothing to count (always the impact field, which
    plans do not address) is not scored and leaves the total's denominator. An agency that sent no counted
    report for the scoring period has no points at all (null, not 0: nothing was reported); one that did, and
    left a target blank, earns nothing for that target, as a criterion without proof earns nothing in the
    PAR Index. -#}
with items as (
    select * from {{ ref('mart_cchc_index_items') }}
),

weights as (
    select * from {{ ref('stg_reference__par_index_weights') }}
),

submissions as (
    select * from {{ ref('fact_report_submission') }}
),

agency_years as (
    select
        agency_key,
        report_year,
        any_value(period_key) as scoring_period_key,
        bool_or(is_provisional) as is_provisional
    from items
    group by agency_key, report_year
),

year_methods as (
    select
        years.report_year,
        methods.method_code
    from (select distinct report_year from agency_years) as years
    inner join (select distinct method_code, first_year from weights) as methods
        on methods.first_year <= years.report_year
    qualify row_number() over (partition by years.report_year order by methods.first_year desc) = 1
),

area_counts as (
    select
        agency_key,
        report_year,
        area_key,
        count(*) filter (where item_kind = 'target') as targets_counted,
        count(*) filter (where item_kind = 'target' and is_earned) as targets_met,
        count(*) filter (where item_kind = 'target' and item_status = 'no_data') as targets_without_data,
        count(*) filter (where item_kind = 'task') as tasks_counted,
        count(*) filter (where item_kind = 'task' and is_earned) as tasks_on_time
    from items
    group by agency_key, report_year, area_key
),

scored as (
    select
        agency_years.agency_key,
        agency_years.report_year,
        agency_years.scoring_period_key,
        agency_years.is_provisional,
        weights.method_code,
        weights.area_key,
        weights.max_points,
        coalesce(area_counts.targets_counted, 0) as targets_counted,
        coalesce(area_counts.targets_met, 0) as targets_met,
        coalesce(area_counts.targets_without_data, 0) as targets_without_data,
        coalesce(area_counts.tasks_counted, 0) as tasks_counted,
        coalesce(area_counts.tasks_on_time, 0) as tasks_on_time,
        submissions.counted_file is not null as has_counted_report
    from agency_years
    inner join year_methods using (report_year)
    inner join weights using (method_code)
    left join area_counts
        on area_counts.agency_key = agency_years.agency_key
        and area_counts.report_year = agency_years.report_year
        and area_counts.area_key = weights.area_key
    left join submissions
        on submissions.agency_key = agency_years.agency_key
        and submissions.period_key = agency_years.scoring_period_key
),

final as (
    select
        agency_key || '|' || report_year || '|' || area_key as index_area_key,
        *,
        targets_counted + tasks_counted > 0 as is_scored,
        case when has_counted_report then
            round((targets_met + tasks_on_time) / nullif(targets_counted + tasks_counted, 0), 4)
        end as earned_ratio,
        case when has_counted_report then
            round(max_points * (targets_met + tasks_on_time) / nullif(targets_counted + tasks_counted, 0), 2)
        end as points
    from scored
)

select * from final

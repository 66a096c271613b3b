{#- One row per target × reporting agency × period: the target, what the agency's counted report says,
    and whether it is met. Statuses: met (đạt), not_met (chưa đạt), no_data (chưa có số liệu),
    not_due (chưa đến kỳ: the period's cut-off has not passed). Interim periods are measured against
    the year's target, so a quý I "chưa đạt" reads as progress, not failure. -#}
with assignments as (
    select * from {{ ref('int_target_assignments') }}
),

targets as (
    select * from {{ ref('dim_target') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

-- the figures of indicators some target measures: the others are never joined (a national warehouse has
-- 2.6 M report rows, of some 60 indicators)
reported_values as (
    select * from {{ ref('report_indicator_values') }}
    where is_counted and row_status in ('accepted', 'flagged') and actual_value is not null
        and indicator_code in (select indicator_code from targets)
),

actuals as (
    select
        agency_key,
        period_key,
        indicator_code,
        actual_value,
        source_file as submission_file,
        actual_cell,
        row_status as reported_row_status
    from reported_values
    qualify row_number() over (partition by agency_key, period_key, indicator_code order by actual_cell) = 1
),

province_targets as (
    select
        agency_key,
        period_key,
        indicator_code,
        max(target_value) filter (where direction = 'higher') as higher_target,
        min(target_value) filter (where direction = 'lower') as lower_target
    from assignments
    inner join targets using (target_key)
    where assignments.target_source = 'province'
    group by agency_key, period_key, indicator_code
),

joined as (
    select
        assignments.target_key,
        assignments.agency_key,
        assignments.agency_version_key,
        assignments.period_key,
        assignments.target_source,
        targets.area_key,
        targets.sub_area_key,
        targets.indicator_code,
        targets.comparator,
        targets.target_value,
        targets.unit,
        targets.direction,
        periods.period_sequence,
        periods.is_closed,
        actuals.actual_value,
        actuals.submission_file,
        actuals.actual_cell,
        case
            when assignments.target_source <> 'own' then false
            when targets.direction = 'higher' then targets.target_value < province_targets.higher_target
            when targets.direction = 'lower' then targets.target_value > province_targets.lower_target
            else false
        end as is_below_province_target
    from assignments
    inner join targets using (target_key)
    inner join periods using (period_key)
    left join actuals
        on actuals.agency_key = assignments.agency_key
        and actuals.period_key = assignments.period_key
        and actuals.indicator_code = targets.indicator_code
    left join province_targets
        on province_targets.agency_key = assignments.agency_key
        and province_targets.period_key = assignments.period_key
        and province_targets.indicator_code = targets.indicator_code
),

evaluated as (
    select
        *,
        case
            when actual_value is null then null
            when comparator = '>=' then actual_value >= target_value
            when comparator = '>' then actual_value > target_value
            when comparator = '<=' then actual_value <= target_value
            when comparator = '<' then actual_value < target_value
            when comparator = '=' then abs(actual_value - target_value) < 1e-9
            when direction = 'lower' then actual_value <= target_value
            else actual_value >= target_value
        end as is_met
    from joined
),

measured as (
    select
        target_key || '|' || agency_key || '|' || period_key as target_progress_key,
        target_key,
        agency_key,
        agency_version_key,
        period_key,
        area_key,
        sub_area_key,
        indicator_code,
        target_source,
        comparator,
        target_value,
        unit,
        direction,
        actual_value,
        actual_value - target_value as gap,
        case
            when actual_value is null or target_value = 0 then null
            when direction = 'lower' then round(target_value / nullif(actual_value, 0), 4)
            else round(actual_value / target_value, 4)
        end as achievement_ratio,
        case
            when not is_closed then 'not_due'
            when actual_value is null then 'no_data'
            when is_met then 'met'
            else 'not_met'
        end as status,
        lag(actual_value) over (partition by target_key, agency_key order by period_sequence) as previous_actual_value,
        actual_value - lag(actual_value) over (partition by target_key, agency_key order by period_sequence)
            as change_from_previous,
        is_below_province_target,
        submission_file,
        actual_cell
    from evaluated
),

final as (
    select
        *,
        case status
            when 'not_due' then 'chưa đến kỳ'
            when 'no_data' then 'chưa có số liệu'
            when 'met' then 'đạt'
            else 'chưa đạt'
        end as status_vi
    from measured
)

select * from final

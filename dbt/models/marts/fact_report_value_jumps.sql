{#- Figures that jump across periods, for the reviewer: per agency and indicator, over the figures
    counted period after period,
    - cumulative_fall: a year-to-date count (6 tháng, năm) below the year's previous year-to-date figure;
    - leap: a rate that moved more than var('jump_rate_points') points since the agency's previous figure;
    - outlier: a figure whose robust z-score against the agency's own figures for the indicator (median
      and median absolute deviation, 0.6745 (x - median) / MAD) exceeds var('jump_robust_z'), once the
      agency has var('jump_min_history') figures.
    Non-blocking: listed, never a reason to stop. -#}
with figures as (
    select
        values_reported.agency_key,
        values_reported.indicator_code,
        values_reported.period_key,
        values_reported.actual_value,
        values_reported.source_file,
        values_reported.actual_cell,
        periods.report_year,
        periods.period_sequence,
        periods.is_cumulative,
        indicators.is_rate
    from {{ ref('report_indicator_values') }} as values_reported
    inner join {{ ref('dim_period') }} as periods using (period_key)
    inner join {{ ref('dim_indicator') }} as indicators using (indicator_code)
    where values_reported.is_counted and values_reported.actual_value is not null
    qualify row_number() over (
        partition by values_reported.agency_key, values_reported.indicator_code, values_reported.period_key
        order by values_reported.actual_cell
    ) = 1
),

sequenced as (
    select
        *,
        lag(actual_value) over by_series as previous_value,
        lag(period_key) over by_series as previous_period_key,
        lag(actual_value) over by_year_to_date as previous_to_date_value,
        lag(period_key) over by_year_to_date as previous_to_date_period_key,
        median(actual_value) over by_agency as history_median,
        count(*) over by_agency as history_count
    from figures
    window
        by_series as (partition by agency_key, indicator_code order by period_sequence),
        by_year_to_date as (
            partition by agency_key, indicator_code, report_year, is_cumulative order by period_sequence
        ),
        by_agency as (partition by agency_key, indicator_code)
),

deviations as (
    select
        *,
        median(abs(actual_value - history_median)) over (partition by agency_key, indicator_code) as history_mad
    from sequenced
),

jumps as (
    select *, 'cumulative_fall' as jump_kind, previous_to_date_value as compared_value,
        previous_to_date_period_key as compared_period_key, null::double as robust_z
    from deviations
    where is_cumulative and not is_rate and actual_value < previous_to_date_value
    union all
    select *, 'leap', previous_value, previous_period_key, null::double
    from deviations
    where is_rate and abs(actual_value - previous_value) > {{ var('jump_rate_points') }}
    union all
    select *, 'outlier', history_median, null, 0.6745 * (actual_value - history_median) / history_mad
    from deviations
    where history_count >= {{ var('jump_min_history') }} and history_mad > 0
        and abs(0.6745 * (actual_value - history_median) / history_mad) > {{ var('jump_robust_z') }}
),

final as (
    select
        agency_key || '|' || indicator_code || '|' || period_key || '|' || jump_kind as report_value_jump_key,
        agency_key,
        indicator_code,
        period_key,
        jump_kind,
        actual_value,
        compared_value,
        compared_period_key,
        round(robust_z, 2) as robust_z,
        source_file,
        actual_cell
    from jumps
)

select * from final

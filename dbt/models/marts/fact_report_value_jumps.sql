{#- Figures that jump across periods, for the reviewer: per agency and indicator, over the figures
    counted period after period,
    - cumulative_fall: a year-to-date count (6 tháng, năm) below the year's previous year-to-date figure;
    - leap: a rate that moved more than var('jump_rate_points') points since the agency's previous figure;
    - outlier: a figure whose robust z-score against the agency's own figures for the indicator (median
      and median absolute deviation, 0.6745 (x - median) / MAD) exceeds var('jump_robust_z'), once the
      agency has var('jump_min_history') figures.
    The comparisons come with each figure from int_report_value_series (kept incrementally by agency).
    Non-blocking: listed, never a reason to stop. -#}
with deviations as (
    select * from {{ ref('int_report_value_series') }}
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

{{ config(alias='report_value_changes') }}
{#- Số liệu thay đổi giữa các lần gửi báo cáo (bi.report_value_changes): fact_report_value_changes with names. -#}
with changes as (
    select * from {{ ref('fact_report_value_changes') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

final as (
    select
        changes.report_value_change_key,
        periods.report_year,
        changes.period_key,
        periods.period_label_vi,
        agencies.province_code as province_key,
        changes.agency_key,
        agencies.agency_name_vi,
        changes.indicator_code,
        indicators.indicator_name_vi,
        changes.change_kind,
        changes.old_value,
        changes.new_value,
        changes.old_text,
        changes.new_text,
        changes.actual_cell,
        changes.old_file,
        changes.new_file,
        changes.old_received_at,
        changes.new_received_at,
        changes.old_submitter,
        changes.new_submitter
    from changes
    left join agencies using (agency_key)
    left join periods using (period_key)
    left join indicators using (indicator_code)
)

select * from final

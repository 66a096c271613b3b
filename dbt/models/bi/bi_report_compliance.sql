{{ config(alias='report_compliance') }}
{#- Tình hình nộp báo cáo, for chasing late agencies (đôn đốc): fact_report_submission with names. -#}
with submissions as (
    select * from {{ ref('fact_report_submission') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        submissions.report_submission_key,
        periods.report_year,
        periods.period_key,
        periods.period_label_vi,
        agencies.province_code as province_key,
        agencies.agency_key,
        agencies.agency_name_vi,
        agencies.agency_level_name_vi,
        submissions.is_expected,
        submissions.report_due_on,
        submissions.counted_file,
        submissions.counted_received_at,
        submissions.days_late,
        submissions.superseded_count,
        submissions.rejected_count,
        submissions.duplicate_count,
        submissions.returned_count,
        submissions.after_close_count,
        submissions.compliance_status,
        submissions.compliance_status_vi
    from submissions
    inner join agencies using (agency_version_key)
    inner join periods using (period_key)
)

select * from final

with source as (
    select * from {{ ref('report_kinds') }}
),

renamed as (
    select
        report_kind,
        report_kind_name_vi,
        label_template_vi,
        sort_order,
        quarter,
        period_start_month,
        period_end_month,
        cutoff_starts_previous_year,
        cutoff_start_month,
        cutoff_start_day,
        cutoff_end_month,
        cutoff_end_day,
        due_month,
        due_day,
        is_cumulative,
        close_after_due_days
    from source
)

select * from renamed

with source as (
    select * from {{ source('raw_reports', 'report_indicator_values') }}
),

renamed as (
    select
        source_file,
        content_hash,
        sheet_name,
        row_number as sheet_row,
        indicator_code,
        is_percent,
        target_text,
        printed_target,
        actual_text,
        actual_cell,
        actual_value,
        numerator,
        denominator,
        is_computed,
        row_status,
        issue as row_issue,
        note as clerk_note
    from source
)

select * from renamed

with source as (
    select * from {{ source('raw_plans', 'plan_targets') }}
),

renamed as (
    select
        source_file || '#' || target_seq as target_code,
        source_file,
        content_hash,
        target_seq,
        area_code,
        sub_area_code,
        indicator_code,
        target_value,
        value_text,
        unit,
        comparator,
        agency_level,
        target_year,
        sentence as source_sentence,
        is_implausible,
        is_low_confidence,
        source_line,
        source_page
    from source
)

select * from renamed

with provinces as (
    select * from {{ ref('stg_reference__provinces') }}
),

successions as (
    select * from {{ ref('stg_reference__province_successions') }}
),

final as (
    select
        provinces.province_code as province_key,
        provinces.province_name_vi,
        provinces.valid_from_on,
        provinces.valid_to_on,
        provinces.valid_to_on is null as is_current,
        -- every merger so far lands on a province that still exists, so one step reaches today's
        coalesce(successions.successor_province_code, provinces.province_code) as current_province_key,
        successions.effective_on as merged_on
    from provinces
    left join successions on successions.predecessor_province_code = provinces.province_code
)

select * from final

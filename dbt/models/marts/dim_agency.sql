-- Type-2 agency dimension: one row per version of an agency, so a 2024 fact joins the 2024 version
-- and the 2025 reorganisation adds history instead of overwriting it.
with agencies as (
    select * from {{ ref('stg_reference__agencies') }}
),

roles as (
    select * from {{ ref('stg_reference__agency_roles') }}
),

levels as (
    select * from {{ ref('stg_reference__agency_levels') }}
),

provinces as (
    select * from {{ ref('stg_reference__provinces') }}
),

carriers as (
    select * from {{ ref('int_agency_carriers') }}
),

latest_names as (
    select * from {{ ref('int_agency_latest_names') }}
),

final as (
    select
        agencies.agency_version_key,
        agencies.agency_key,
        agencies.agency_name_vi,
        agencies.role_code,
        roles.role_name_vi,
        roles.agency_level,
        levels.agency_level_name_vi,
        agencies.province_code,
        provinces.province_name_vi,
        agencies.parent_agency_key,
        parents.agency_name_vi as parent_agency_name_vi,
        agencies.valid_from_on,
        agencies.valid_to_on,
        agencies.valid_to_on is null as is_current_version,
        carriers.current_agency_key,
        current_names.agency_name_vi as current_agency_name_vi,
        carriers.succession_steps,
        agencies.version_note
    from agencies
    inner join roles on roles.role_code = agencies.role_code
    inner join levels on levels.agency_level = roles.agency_level
    inner join provinces on provinces.province_code = agencies.province_code
    inner join carriers on carriers.agency_key = agencies.agency_key
    left join latest_names as parents on parents.agency_key = agencies.parent_agency_key
    left join latest_names as current_names on current_names.agency_key = carriers.current_agency_key
)

select * from final

-- Which agencies a name as written in documents can denote, province by province. A BI analyst
-- searching "Sở TT&TT" finds every Sở Thông tin và Truyền thông and, through dim_agency, who carries it.
with aliases as (
    select * from {{ ref('stg_reference__agency_aliases') }}
),

roles as (
    select * from {{ ref('stg_reference__agency_roles') }}
),

agencies as (
    select distinct
        agency_key,
        role_code,
        province_code
    from {{ ref('stg_reference__agencies') }}
),

final as (
    select
        aliases.agency_alias || '|' || agencies.agency_key as agency_alias_key,
        aliases.agency_alias,
        aliases.role_code,
        agencies.agency_key,
        agencies.province_code
    from aliases
    inner join roles on roles.role_code = aliases.role_code
    inner join agencies on agencies.role_code = aliases.role_code
    where not roles.is_group
)

select * from final

-- For every agency, the agency that carries its work today: itself, or the end of its succession chain.
with recursive

lineage as (
    select * from {{ ref('stg_reference__agency_successions') }}
),

agencies as (
    select distinct agency_key from {{ ref('stg_reference__agencies') }}
),

chain as (
    select
        agency_key,
        agency_key as carrier_agency_key,
        0 as succession_steps
    from agencies

    union all

    select
        chain.agency_key,
        lineage.successor_agency_key as carrier_agency_key,
        chain.succession_steps + 1 as succession_steps
    from chain
    inner join lineage on lineage.predecessor_agency_key = chain.carrier_agency_key
    -- a cycle in the seed would otherwise recurse forever; the unique test below then fails loudly
    where chain.succession_steps < 20
),

final as (
    select
        agency_key,
        carrier_agency_key as current_agency_key,
        succession_steps
    from chain
    qualify row_number() over (partition by agency_key order by succession_steps desc) = 1
)

select * from final

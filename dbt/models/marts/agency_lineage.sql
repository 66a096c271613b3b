-- Succession between agencies, with names on both sides, for following a merged agency's history.
with lineage as (
    select * from {{ ref('stg_reference__agency_successions') }}
),

latest_names as (
    select * from {{ ref('int_agency_latest_names') }}
),

final as (
    select
        lineage.predecessor_agency_key || '>' || lineage.successor_agency_key as agency_lineage_key,
        lineage.predecessor_agency_key,
        predecessors.agency_name_vi as predecessor_agency_name_vi,
        lineage.successor_agency_key,
        successors.agency_name_vi as successor_agency_name_vi,
        lineage.effective_on,
        lineage.change_kind,
        lineage.change_basis
    from lineage
    inner join latest_names as predecessors on predecessors.agency_key = lineage.predecessor_agency_key
    inner join latest_names as successors on successors.agency_key = lineage.successor_agency_key
)

select * from final

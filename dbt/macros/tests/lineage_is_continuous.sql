{#- A succession hands over on its effective day: the predecessor has ceased by then and the
    successor exists on that day. -#}
{% test lineage_is_continuous(model) %}
with agencies as (
    select * from {{ ref('dim_agency') }}
)

select lineage.*
from {{ model }} as lineage
where exists (
        select 1 from agencies
        where agencies.agency_key = lineage.predecessor_agency_key
            and (agencies.valid_to_on is null or agencies.valid_to_on >= lineage.effective_on)
    )
    or not exists (
        select 1 from agencies
        where agencies.agency_key = lineage.successor_agency_key
            and agencies.valid_from_on <= lineage.effective_on
            and (agencies.valid_to_on is null or agencies.valid_to_on >= lineage.effective_on)
    )
{% endtest %}

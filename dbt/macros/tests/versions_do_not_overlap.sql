{#- Type-2 history: no two versions of one agency may be valid on the same day. -#}
{% test versions_do_not_overlap(model) %}
select
    earlier.agency_key,
    earlier.agency_version_key as earlier_version,
    later.agency_version_key as later_version
from {{ model }} as earlier
inner join {{ model }} as later
    on later.agency_key = earlier.agency_key
    and later.valid_from_on > earlier.valid_from_on
where earlier.valid_to_on is null or earlier.valid_to_on >= later.valid_from_on
{% endtest %}

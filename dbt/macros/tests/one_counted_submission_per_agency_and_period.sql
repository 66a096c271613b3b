{#- A later file supersedes an earlier one: at most one submission counts per agency and period. -#}
{% test one_counted_submission_per_agency_and_period(model) %}
select agency_key, period_key, count(*) as counted
from {{ model }}
where is_counted
group by agency_key, period_key
having count(*) > 1
{% endtest %}

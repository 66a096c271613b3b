{#- Every figure's component is one the catalog (seed index_components) lists for that index and year. -#}
{% test every_component_is_catalogued(model) %}
select index_score_key, index_key, score_year, component_code
from {{ model }}
where index_component_key is null
{% endtest %}

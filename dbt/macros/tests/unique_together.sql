{#- No two rows share the same values in `columns`: the declared grain of a table that has no single key. -#}
{% test unique_together(model, columns) %}
select {{ columns | join(', ') }}, count(*) as rows_at_grain
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

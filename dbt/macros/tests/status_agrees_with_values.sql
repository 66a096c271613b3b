{#- A status says what its numbers say: met only with an actual that reaches the target, no data only
    without an actual. -#}
{% test status_agrees_with_values(model) %}
select target_progress_key, status, actual_value, target_value, comparator
from {{ model }}
where (status = 'no_data' and actual_value is not null)
    or (status in ('met', 'not_met') and actual_value is null)
    or (status = 'met' and comparator = '>=' and actual_value < target_value)
    or (status = 'not_met' and comparator = '>=' and actual_value >= target_value)
{% endtest %}

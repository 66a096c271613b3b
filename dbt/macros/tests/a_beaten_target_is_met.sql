{#- A target the actual meets or beats in the direction that is better is never "chưa đạt": 82.4 against a
    floor of 70 is met. Only a strict comparator (> or <) leaves a figure equal to the target unmet. -#}
{% test a_beaten_target_is_met(model) %}
select target_progress_key, status, actual_value, target_value, comparator, direction
from {{ model }}
where status = 'not_met'
    and (
        (direction = 'higher'
            and (actual_value > target_value or (actual_value = target_value and comparator <> '>')))
        or (direction = 'lower'
            and (actual_value < target_value or (actual_value = target_value and comparator <> '<')))
    )
{% endtest %}

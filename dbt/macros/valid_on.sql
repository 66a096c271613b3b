{#- The agency version (or any type-2 row with valid_from_on/valid_to_on) valid on `day`. -#}
{% macro valid_on(relation, day) %}
    {{ relation }}.valid_from_on <= {{ day }}
    and ({{ relation }}.valid_to_on is null or {{ relation }}.valid_to_on >= {{ day }})
{% endmacro %}

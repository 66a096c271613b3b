{#- A number as Vietnamese documents write it, without trailing zeros: 0,75; 1; 12,5. -#}
{% macro vi_number(expression) -%}
    replace(printf('%g', {{ expression }}), '.', ',')
{%- endmacro %}

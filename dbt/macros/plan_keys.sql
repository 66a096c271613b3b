{#- The lasting keys of a plan's tasks and targets (int_plan_task_keys, int_plan_target_keys). -#}

{#- A text's words as a key compares them: Unicode composed (NFC: a re-encoded file may decompose
    "ệ"), lower case, runs of spaces as one, no spaces at the ends; empty for null. -#}
{% macro plain_words(column) -%}
    coalesce(trim(regexp_replace(lower(nfc_normalize({{ column }})), '\s+', ' ', 'g')), '')
{%- endmacro %}

{#- The plan's key, `marker`, the first 12 hex digits of what the row is (`identity`, an md5), and "-2",
    "-3"… for the second and later rows of one file that are the same thing, in `order_by` order. -#}
{% macro lasting_key(marker, identity, order_by) -%}
    plan_key || '{{ marker }}' || left({{ identity }}, 12) || coalesce(
        '-' || nullif(row_number() over (partition by source_file, {{ identity }} order by {{ order_by }}), 1),
        ''
    )
{%- endmacro %}

{#- A text's words as a key compares them: Unicode composed (NFC: a re-encoded file may decompose
    "ệ"), lower case, runs of spaces as one, no spaces at the ends; empty for null. -#}
{% macro plain_words(column) -%}
    coalesce(trim(regexp_replace(lower(nfc_normalize({{ column }})), '\s+', ' ', 'g')), '')
{%- endmacro %}

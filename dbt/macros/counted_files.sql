{#- Which raw file counts, the same way for plans, index files and reports: a file is a copy when an
    earlier-received file has the same bytes (copy_number > 1), superseded when a later one covers the
    same thing (recency > 1, the caller ranks by what "the same thing" is). -#}
{% macro copy_number() -%}
    row_number() over (partition by content_hash order by received_at, source_file)
{%- endmacro %}

{% macro file_status(load_status, counted_label) -%}
    case
        when {{ load_status }} = 'rejected' then 'rejected'
        when copy_number > 1 then 'duplicate'
        when recency > 1 then 'superseded'
        else '{{ counted_label }}'
    end
{%- endmacro %}

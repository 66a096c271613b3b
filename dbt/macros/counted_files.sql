{#- Which raw file counts, the same way for plans, index files and reports: a file is a copy when an
    earlier-received file has the same bytes (copy_number > 1), superseded when a later one covers the
    same thing (recency > 1, the caller ranks by what "the same thing" is). A file refused by its reader
    (`accepted` false: a workbook whose name contradicts its year) is never the first copy of bytes an
    accepted file also holds, so it cannot make that file a "duplicate" and take its rows away. -#}
{% macro copy_number(accepted) -%}
    row_number() over (partition by content_hash order by not ({{ accepted }}), received_at, source_file)
{%- endmacro %}

{% macro file_status(load_status, counted_label) -%}
    case
        when {{ load_status }} = 'rejected' then 'rejected'
        when copy_number > 1 then 'duplicate'
        when recency > 1 then 'superseded'
        else '{{ counted_label }}'
    end
{%- endmacro %}

{#- How many different contents each raw file has had, from its append-only versions table. -#}
{% macro version_counts(versions) %}
    select
        source_file,
        count(*) as version_count
    from {{ versions }}
    group by source_file
{% endmacro %}

{#- Column comments without a second DESCRIBE: dbt's persist_docs has already kept the documented
    columns that the relation has (validate_doc_columns, from one DESCRIBE), and dbt-duckdb's own
    alter_column_comment would DESCRIBE the relation again for the same answer. One statement fewer
    for each model of every build (about 10 ms each with dbt's events around it). -#}
{% macro duckdb__alter_column_comment(relation, column_dict) %}
  {% for column_name in column_dict %}
    {% set comment = column_dict[column_name]['description'] %}
    comment on column {{ relation }}.{{ adapter.quote(column_name) if column_dict[column_name]['quote'] else column_name }} is {{ duckdb_escape_comment(comment) }};
  {% endfor %}
{% endmacro %}

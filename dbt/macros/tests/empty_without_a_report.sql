{#- Missing is never zero: where an agency sent no counted report, its score columns are empty, not 0, so
    that an analyst's avg() is over the agencies that reported and a chart tells "0" from "không có số
    liệu". Fails on each row with a value where `reported` is false. -#}
{% test empty_without_a_report(model, column_name, reported) %}
select *
from {{ model }}
where not ({{ reported }}) and {{ column_name }} is not null
{% endtest %}

{#- A table's column rules as one test: dbt's not_null, unique, accepted_values and relationships, with
    their meaning and their counts, in one node. dbt spends about 17 ms on each node it runs beside its
    query (compiling, events, results), so 458 such tests cost 6.6 of the 13.5 s of a `dbt test` of the
    sample warehouse; as 125 tables' checks, about 2 s. A rule with a config of its own (a `where`, a
    severity) stays a test of its own.

    not_null: [column, ...]              rows where the column is null
    unique: [column, ...]                values found on more than one row (nulls aside)
    accepted_values: {column: [v, ...]}  distinct values outside the list (nulls aside); a string is
                                         compared quoted, a number as a number
    relationships: [{column, to, field}] rows whose value (not null) is no `field` of `to`

    A row per broken rule, `rule` naming it as `not_null(column)`, `unique(column)`,
    `accepted_values(column)` or `relationships(column, table.field)`, and `failing` the rows the rule
    found, as dbt's own test would count them; the test's failures are their sum. -#}
{% test column_checks(model, not_null=[], unique=[], accepted_values={}, relationships=[]) %}
{{ config(fail_calc="coalesce(sum(failing), 0)") }}
{%- set one_pass = [] -%}
{%- for column in not_null -%}
  {%- do one_pass.append(("not_null(" ~ column ~ ")", "count(*) filter (where " ~ column ~ " is null)")) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
  {%- set listed = [] -%}
  {%- for value in values -%}
    {%- do listed.append("'" ~ value | replace("'", "''") ~ "'" if value is string else value | string) -%}
  {%- endfor -%}
  {%- do one_pass.append((
      "accepted_values(" ~ column ~ ")",
      "count(distinct " ~ column ~ ") filter (where " ~ column ~ " not in (" ~ listed | join(", ") ~ "))"
  )) -%}
{%- endfor -%}
{%- set counts = [] -%}
{%- for rule, _ in one_pass -%}
  {%- do counts.append("select '" ~ rule ~ "' as rule, \"" ~ rule ~ "\" as failing from one_pass") -%}
{%- endfor -%}
{%- for column in unique -%}
  {%- do counts.append(
      "select 'unique(" ~ column ~ ")', (select count(*) from (select " ~ column ~ " from " ~ model
      ~ " where " ~ column ~ " is not null group by " ~ column ~ " having count(*) > 1))"
  ) -%}
{%- endfor -%}
{%- for reference in relationships -%}
  {%- do counts.append(
      "select 'relationships(" ~ reference.column ~ ", " ~ reference.to.identifier ~ "." ~ reference.field
      ~ ")', (select count(*) from " ~ model ~ " as child left join " ~ reference.to ~ " as parent on child."
      ~ reference.column ~ " = parent." ~ reference.field ~ " where child." ~ reference.column
      ~ " is not null and parent." ~ reference.field ~ " is null)"
  ) -%}
{%- endfor %}
with one_pass as (
    select
    {%- for rule, expression in one_pass %}
        {{ expression }} as "{{ rule }}"{{ "," if not loop.last }}
    {%- else %}
        0 as nothing
    {%- endfor %}
    from {{ model }}
)
select rule, failing
from (
    {{ counts | join("\n    union all\n    ") if counts else "select null as rule, 0 as failing" }}
) as rules
where failing > 0
{% endtest %}

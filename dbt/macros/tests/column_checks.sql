{#- A table's plain column rules as one test: dbt's not_null, unique and accepted_values, with their
    meaning and their counts, in one node. dbt spends about 14 ms on each node it runs beside its query
    (compiling, events, results): the 458 tests of these kinds cost 6.6 of the 13.5 s of a `dbt test`
    of the sample warehouse, as 125 tables' column_checks about 2 s. A rule with a config of its own (a
    `where`, a severity) stays a test of its own, and so does every relationships test: a test that
    reads several tables holds back only what is built on all of them, so a table's own rules must not
    read its parents.

    not_null: [column, ...]              rows where the column is null
    unique: [column, ...]                values found on more than one row (nulls aside)
    accepted_values: {column: [v, ...]}  distinct values outside the list (nulls aside); a string is
                                         compared quoted, a number as a number

    A row per broken rule, `rule` naming it as `not_null(column)`, `unique(column)` or
    `accepted_values(column)`, and `failing` the rows the rule found, as dbt's own test would count
    them; the test's failures are their sum. -#}
{% test column_checks(model, not_null=[], unique=[], accepted_values={}) %}
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
      "select 'unique(" ~ column ~ ")' as rule, (select count(*) from (select " ~ column ~ " from " ~ model
      ~ " where " ~ column ~ " is not null group by " ~ column ~ " having count(*) > 1)) as failing"
  ) -%}
{%- endfor -%}
{%- if not counts -%}
  {{ exceptions.raise_compiler_error("column_checks on " ~ model ~ " names no rule") }}
{%- endif -%}
{%- if (not_null | unique | list | length) != (not_null | length) or (unique | unique | list | length) != (unique | length) -%}
  {{ exceptions.raise_compiler_error("column_checks on " ~ model ~ " names a column twice in one rule") }}
{%- endif -%}
{%- if one_pass %}
with one_pass as (
    select
    {%- for rule, expression in one_pass %}
        {{ expression }} as "{{ rule }}"{{ "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
)
{%- endif %}
select rule, failing
from (
    {{ counts | join("\n    union all\n    ") }}
) as rules
where failing > 0
{% endtest %}

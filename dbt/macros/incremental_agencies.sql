{#- The pre-hook of int_report_value_series: delete the series of every agency whose counted figures
    do not come from the files (and the reading of them: ingested_at) its series was built from: a new
    or corrected report, one superseded, returned or gone. The model then adds the series of the
    agencies the table no longer holds. -#}
{% macro drop_series_of_changed_agencies(series) %}
    delete from {{ series }}
    where agency_key in (
        with counted as (
            select distinct values_reported.agency_key, values_reported.source_file, values_reported.ingested_at
            from {{ ref('report_indicator_values') }} as values_reported
            inner join {{ ref('dim_period') }} using (period_key)
            inner join {{ ref('dim_indicator') }} using (indicator_code)
            where values_reported.is_counted and values_reported.actual_value is not null
        ),

        built as (
            select distinct agency_key, source_file, ingested_at from {{ series }}
        ),

        moved as (
            (select * from counted except select * from built)
            union all
            (select * from built except select * from counted)
        )

        select agency_key from moved
    )
{% endmacro %}

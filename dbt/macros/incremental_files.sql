{#- The pre-hook of a model kept incrementally by report file (report_indicator_values): delete the rows of every file whose state in `files` (report_submissions) is not
    the one they were built from: a file read again (ingested_at), given another agency or period, or
    another status; and those of a file that is gone. The model then adds the rows of the files the table
    no longer holds. -#}
{% macro drop_rows_of_changed_files(model, files) %}
    delete from {{ model }} as kept
    where not exists (
        select 1
        from {{ files }} as files
        where files.source_file = kept.source_file
            and files.ingested_at = kept.ingested_at
            and files.agency_key is not distinct from kept.agency_key
            and files.period_key is not distinct from kept.period_key
            and files.submission_status = kept.submission_status
            and files.is_counted = kept.is_counted
    )
{% endmacro %}

{#- One row per plan file. Which plan counts: a byte-identical copy of an earlier file is a duplicate;
    among distinct parsed files with the same issuer, number and first year (a corrected plan sent
    again) the one received last counts and the earlier ones are superseded (kept, never deleted). -#}
with documents as (
    select * from {{ ref('stg_plans__documents') }}
),

version_counts as (
    {{ version_counts(ref('stg_plans__document_versions')) }}
),

copies as (
    select
        *,
        {{ copy_number("parse_status = 'parsed'") }} as copy_number
    from documents
),

ranked as (
    select
        copies.*,
        case
            when parse_status = 'parsed' and copy_number = 1 and document_number is not null
                then row_number() over (
                    partition by
                        issuer_agency_key, document_number, period_start_year,
                        parse_status = 'parsed' and copy_number = 1 and document_number is not null
                    order by received_at desc, source_file desc
                )
            else 1
        end as recency
    from copies
),

final as (
    select
        ranked.* exclude (copy_number, recency),
        coalesce(version_counts.version_count, 1) as version_count,
        ranked.parse_status = 'parsed' as is_parsed,
        {{ file_status('ranked.parse_status', 'counted') }} as document_status,
        ranked.parse_status = 'parsed' and ranked.copy_number = 1 and ranked.recency = 1 as is_counted
    from ranked
    left join version_counts using (source_file)
)

select * from final

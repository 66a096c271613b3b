{#- Every plan file that parsed, with the plan it is a version of: the issuer, the plan's number and its
    first year, the same three plan_documents ranks copies and corrections by. A file whose number was not
    read is a plan of its own. -#}
with documents as (
    select * from {{ ref('stg_plans__documents') }}
    where parse_status = 'parsed'
),

final as (
    select
        source_file,
        content_hash,
        case
            when document_number is not null
                then concat_ws('|', coalesce(issuer_agency_key, '?'), document_number, period_start_year)
            else source_file
        end as plan_key
    from documents
)

select * from final

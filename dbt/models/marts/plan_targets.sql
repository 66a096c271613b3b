with targets as (
    select * from {{ ref('stg_plans__targets') }}
),

documents as (
    select * from {{ ref('plan_documents') }}
    where is_counted
),

indicators as (
    select * from {{ ref('stg_reference__indicators') }}
),

target_keys as (
    select * from {{ ref('int_plan_target_keys') }}
),

final as (
    select
        target_keys.plan_target_key,
        targets.target_code,
        targets.source_file,
        documents.document_number,
        documents.issuer_agency_key,
        documents.province_code,
        documents.period_start_year,
        documents.period_end_year,
        targets.target_seq,
        targets.area_code as area_key,
        targets.sub_area_code as sub_area_key,
        targets.indicator_code,
        indicators.indicator_name_vi,
        targets.target_value,
        targets.value_text,
        targets.unit,
        targets.comparator,
        targets.agency_level,
        targets.target_year,
        targets.is_implausible,
        targets.is_low_confidence,
        targets.source_sentence,
        targets.source_line,
        targets.source_page,
        targets.content_hash
    from targets
    inner join documents using (source_file, content_hash)
    inner join target_keys using (target_code)
    left join indicators using (indicator_code)
)

select * from final

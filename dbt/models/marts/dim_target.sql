{#- Each quantified plan target, as the fact measures it: who set it, for which level and year, on
    which indicator, which way is better, and how a figure is judged against it (a bare figure is at
    least where more is better: seeds target_wordings and comparators). Targets on published indices (ranks) are evaluated against
    fact_index_score rather than agency reports. -#}
with targets as (
    select * from {{ ref('plan_targets') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

comparators as (
    select * from {{ ref('stg_reference__comparators') }}
),

final as (
    select
        targets.plan_target_key as target_key,
        targets.source_file,
        targets.document_number,
        targets.issuer_agency_key,
        targets.province_code as province_key,
        targets.area_key,
        targets.sub_area_key,
        targets.indicator_code,
        targets.indicator_name_vi,
        targets.agency_level,
        targets.comparator,
        comparators.meaning_vi as comparator_meaning_vi,
        targets.target_value,
        coalesce(targets.unit, indicators.unit) as unit,
        indicators.direction,
        -- a target names its year, else it holds for every year of its plan
        coalesce(targets.target_year, targets.period_start_year) as first_year,
        coalesce(targets.target_year, targets.period_end_year) as last_year,
        indicators.unit = 'rank' as is_index_target,
        targets.indicator_code = 'unclassified' as is_unclassified,
        targets.is_implausible,
        targets.source_sentence,
        targets.source_line,
        targets.target_seq as plan_order
    from targets
    left join indicators using (indicator_code)
    left join comparators using (comparator)
)

select * from final

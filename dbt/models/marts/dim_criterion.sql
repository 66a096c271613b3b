{#- Every criterion of every criteria set (bộ tiêu chí) with the set's province, level and years: fields,
    criteria and sub-criteria, the maximum points, the scoring rule and the proof it asks for, and whether
    the warehouse scores it from data (rule_key) or the survey does. Only a leaf (is_scored) is scored;
    a heading's points are its children's. -#}
with criteria as (
    select * from {{ ref('stg_reference__criteria') }}
),

sets as (
    select * from {{ ref('stg_reference__criteria_sets') }}
),

areas as (
    select * from {{ ref('dim_area') }}
),

final as (
    select
        criteria.criterion_key,
        criteria.criteria_set_key,
        sets.set_name_vi,
        sets.citation_vi,
        sets.province_code,
        sets.agency_level,
        sets.first_year,
        sets.last_year,
        criteria.criterion_code,
        criteria.parent_code,
        length(criteria.criterion_code) - length(replace(criteria.criterion_code, '.', '')) as depth,
        criteria.field_no,
        criteria.area_code as area_key,
        areas.area_name_vi,
        criteria.criterion_name_vi,
        criteria.max_points,
        criteria.scoring_rule_vi,
        criteria.evidence_vi,
        criteria.rule_key,
        criteria.is_scored,
        criteria.is_survey,
        criteria.sort_order
    from criteria
    inner join sets using (criteria_set_key)
    left join areas on areas.area_key = criteria.area_code
)

select * from final

{#- The criteria of every set, with what the tree says: a criterion with sub-criteria is a heading whose
    points are its children's; only a leaf is scored. Tiers (">90=2|70=1|0=0": above 90 % two points, from 70 %
    one, else none) as a list of (percent, is_strict, points), highest first. -#}
with source as (
    select * from {{ ref('criteria') }}
),

parsed as (
    select
        criteria_set_key || '|' || criterion_code as criterion_key,
        criteria_set_key,
        criterion_code,
        nullif(parent_code, '') as parent_code,
        field_no,
        area_code,
        criterion_name_vi,
        max_points,
        scoring_rule_vi,
        evidence_vi,
        nullif(rule_key, '') as rule_key,
        list_sort(
            coalesce(
                list_transform(
                    string_split(nullif(rule_tiers, ''), '|'),
                    lambda tier: {
                        'percent': cast(ltrim(trim(split_part(tier, '=', 1)), '>') as double),
                        'is_strict': starts_with(trim(tier), '>'),
                        'points': cast(trim(split_part(tier, '=', 2)) as double)
                    }
                ),
                []
            ),
            'DESC'
        ) as rule_tiers,
        nullif(rule_deadline_md, '') as rule_deadline_md,
        coalesce(rule_deadline_in_previous_year, false) as rule_deadline_in_previous_year,
        coalesce(
            list_transform(string_split(nullif(evidence_issuer_roles, ''), '|'), lambda role: trim(role)), []
        ) as evidence_issuer_roles,
        coalesce(evidence_months_before, 0) as evidence_months_before,
        coalesce(evidence_months_after, 0) as evidence_months_after,
        coalesce(is_evidence_shareable, false) as is_evidence_shareable,
        coalesce(is_survey, false) as is_survey,
        sort_order
    from source
),

final as (
    select
        parsed.*,
        not exists (
            select 1 from parsed as children
            where children.criteria_set_key = parsed.criteria_set_key
                and children.parent_code = parsed.criterion_code
        ) as is_scored
    from parsed
)

select * from final

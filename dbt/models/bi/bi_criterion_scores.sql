{{ config(alias='criterion_scores') }}
{#- Điểm tự đánh giá Chỉ số CCHC theo từng tiêu chí, for Sở Nội vụ's officers and the appraisal council:
    fact_criterion_score with the criterion's field and rule, newest year first. -#}
with scores as (
    select * from {{ ref('fact_criterion_score') }}
),

criteria as (
    select * from {{ ref('dim_criterion') }}
),

final as (
    select
        scores.criterion_score_key,
        scores.assessed_year,
        scores.province_code as province_key,
        scores.agency_key,
        scores.agency_name_vi,
        scores.agency_level,
        scores.criterion_code,
        criteria.area_name_vi,
        scores.criterion_name_vi,
        scores.max_points,
        criteria.scoring_rule_vi,
        scores.data_score,
        scores.data_basis_vi,
        scores.is_data_provisional,
        scores.self_score,
        scores.claimed_score,
        scores.explanation,
        scores.evidence_count,
        scores.finding_count,
        scores.evidence_status,
        scores.evidence_status_vi,
        scores.appraised_score,
        scores.adjustment,
        scores.appraisal_reason,
        scores.final_score,
        scores.self_assessment_file
    from scores
    inner join criteria using (criterion_key)
)

select * from final

{{ config(alias='cchc_official_index') }}
{#- Chỉ số CCHC chính thức, for leaders and BI tools: mart_cchc_official_index, newest year first. -#}
with official as (
    select * from {{ ref('mart_cchc_official_index') }}
),

final as (
    select
        assessment_key,
        assessed_year,
        province_key,
        agency_key,
        agency_name_vi,
        agency_level,
        official_index,
        rank_in_level,
        agencies_ranked,
        index_status_vi,
        claimed_points,
        appraised_points,
        survey_points,
        self_minus_appraised,
        criteria_with_evidence_gaps,
        internal_estimate,
        change_from_previous_year
    from official
)

select * from final

{#- The council's score for each agency × year × criterion, bound to the self-assessment content it
    appraised (an appraisal of an agency that sent none binds to no content): the one in the appraisal
    file received last. A corrected self-assessment sent since is therefore not appraised until the
    council appraises it. Files refused and rows rejected decide nothing. -#}
with files as (
    select * from {{ ref('stg_appraisals__files') }}
    where load_status = 'loaded'
),

scores as (
    select * from {{ ref('stg_appraisals__scores') }}
    where row_status = 'accepted'
),

final as (
    select
        scores.agency_key || '|' || files.assessed_year || '|' || scores.criterion_code
            || '|' || coalesce(scores.self_assessment_hash, '') as criterion_appraisal_key,
        scores.agency_key,
        files.assessed_year,
        scores.criterion_code,
        scores.self_assessment_hash,
        scores.appraised_score,
        scores.reason as appraisal_reason,
        files.appraiser,
        files.received_at as appraised_at,
        scores.appraisal_file,
        scores.score_cell as appraisal_cell
    from scores
    inner join files on files.source_file = scores.appraisal_file
    qualify row_number() over (
        partition by scores.agency_key, files.assessed_year, scores.criterion_code, scores.self_assessment_hash
        order by files.received_at desc, scores.appraisal_file desc, scores.row_number desc
    ) = 1
)

select * from final

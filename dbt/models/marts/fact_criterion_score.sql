{#- One row per agency × year × scored criterion of the set in force for it: the score the warehouse's
    data gives (with its basis in words), the score the agency gave itself in its counted
    self-assessment and what it said, how many documents prove it and what is wrong with them.
    evidence_status: data (scored from data: no proof needed), survey (Sở Nội vụ scores it), not_assessed
    (no self-assessment counted yet), not_scored (the agency left it blank), not_needed (scored 0),
    missing (scored with neither document nor explanation: not recognised), explained (no document, an
    explanation), findings (documents with findings), ok (documents without findings). claimed_score is
    what the agency's self-assessment amounts to: the data score where the data scores, else its own.
    The council's appraisal (the latest, of the content the agency's counted self-assessment has, or of
    none for an agency that sent none) gives appraised_score, which is the final score: nothing counts in
    the official index before the council has said it. adjustment = appraised − claimed. -#}
with scope as (
    select * from {{ ref('int_criterion_scope') }}
),

criteria as (
    select * from {{ ref('dim_criterion') }}
    where is_scored
),

data_scores as (
    select * from {{ ref('int_criterion_data_scores') }}
),

files as (
    select * from {{ ref('self_assessment_files') }}
    where is_counted
),

scores as (
    select scores.*, files.agency_key, files.assessed_year
    from {{ ref('stg_self_assessments__scores') }} as scores
    inner join files using (source_file)
    where scores.row_status = 'accepted'
),

evidence as (
    select files.agency_key, files.assessed_year, evidence.criterion_code, count(*) as evidence_count
    from {{ ref('stg_self_assessments__evidence') }} as evidence
    inner join files using (source_file)
    where evidence.row_status = 'accepted'
    group by all
),

appraisals as (
    select * from {{ ref('int_criterion_appraisals') }}
),

returned as (
    select distinct assessment_key
    from {{ ref('self_assessment_files') }}
    where file_status = 'returned'
),

findings as (
    select
        criterion_score_key,
        count(*) as finding_count,
        bool_or(finding_code = 'no_evidence') as is_without_evidence
    from {{ ref('criterion_evidence_findings') }}
    group by criterion_score_key
),

joined as (
    select
        scope.assessment_key || '|' || criteria.criterion_code as criterion_score_key,
        scope.assessment_key,
        scope.agency_key,
        scope.agency_version_key,
        scope.agency_name_vi,
        scope.agency_level,
        scope.province_code,
        scope.assessed_year,
        criteria.criteria_set_key,
        criteria.criterion_key,
        criteria.criterion_code,
        criteria.field_no,
        criteria.area_key,
        criteria.criterion_name_vi,
        criteria.max_points,
        criteria.rule_key,
        criteria.is_survey,
        data_scores.data_score,
        data_scores.data_basis_vi,
        coalesce(data_scores.is_provisional, false) as is_data_provisional,
        files.source_file as self_assessment_file,
        files.source_file is not null as is_self_assessed,
        case
            when files.source_file is not null then 'counted'
            when returned.assessment_key is not null then 'returned'
            else 'none'
        end as self_assessment_status,
        scores.self_score,
        scores.score_cell as self_score_cell,
        scores.explanation,
        coalesce(evidence.evidence_count, 0) as evidence_count,
        coalesce(findings.finding_count, 0) as finding_count,
        coalesce(findings.is_without_evidence, false) as is_without_evidence,
        appraisals.appraised_score,
        appraisals.appraisal_reason,
        appraisals.appraiser,
        appraisals.appraised_at,
        appraisals.appraisal_file
    from scope
    inner join criteria
        on criteria.criteria_set_key = scope.criteria_set_key
    left join data_scores
        on data_scores.criterion_score_key = scope.assessment_key || '|' || criteria.criterion_code
    left join files on files.assessment_key = scope.assessment_key
    left join scores
        on scores.source_file = files.source_file
        and scores.criterion_code = criteria.criterion_code
    left join evidence
        on evidence.agency_key = scope.agency_key
        and evidence.assessed_year = scope.assessed_year
        and evidence.criterion_code = criteria.criterion_code
    left join findings
        on findings.criterion_score_key = scope.assessment_key || '|' || criteria.criterion_code
    left join returned on returned.assessment_key = scope.assessment_key
    left join appraisals
        on appraisals.agency_key = scope.agency_key
        and appraisals.assessed_year = scope.assessed_year
        and appraisals.criterion_code = criteria.criterion_code
        and coalesce(appraisals.self_assessment_hash, '') = coalesce(files.content_hash, '')
),

classified as (
    select
        *,
        case
            when data_score is not null then 'data'
            when is_survey then 'survey'
            when not is_self_assessed then 'not_assessed'
            when self_score is null then 'not_scored'
            when self_score = 0 then 'not_needed'
            when is_without_evidence then 'missing'
            when evidence_count = 0 then 'explained'
            when finding_count > 0 then 'findings'
            else 'ok'
        end as evidence_status,
        case
            when not is_self_assessed or is_survey then null
            when data_score is not null then data_score
            else self_score
        end as claimed_score,
        appraised_score is not null as is_appraised,
        appraised_score as final_score
    from joined
),

final as (
    select
        *,
        case evidence_status
            when 'data' then 'chấm từ dữ liệu'
            when 'survey' then 'điều tra xã hội học'
            when 'not_assessed' then 'chưa tự đánh giá'
            when 'not_scored' then 'chưa chấm'
            when 'not_needed' then 'không cần tài liệu (0 điểm)'
            when 'missing' then 'thiếu tài liệu kiểm chứng'
            when 'explained' then 'có giải trình, không có tài liệu'
            when 'findings' then 'tài liệu có điểm cần xem'
            else 'đủ tài liệu'
        end as evidence_status_vi,
        round(appraised_score - claimed_score, 2) as adjustment
    from classified
)

select * from final

{#- The council's decision on each self-assessment content (the bytes appraised, whatever the file is
    called now): the one in the appraisal file received last. Files refused and rows rejected decide
    nothing. -#}
with files as (
    select * from {{ ref('stg_appraisals__files') }}
    where load_status = 'loaded'
),

decisions as (
    select * from {{ ref('stg_appraisals__decisions') }}
    where row_status = 'accepted'
),

final as (
    select
        decisions.self_assessment_hash,
        decisions.self_assessment_file,
        decisions.decision,
        decisions.reason,
        files.appraiser,
        files.received_at as decided_at,
        decisions.appraisal_file,
        decisions.decision_cell
    from decisions
    inner join files on files.source_file = decisions.appraisal_file
    qualify row_number() over (
        partition by decisions.self_assessment_hash
        order by files.received_at desc, decisions.appraisal_file desc, decisions.row_number desc
    ) = 1
)

select * from final

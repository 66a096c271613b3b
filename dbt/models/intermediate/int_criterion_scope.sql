{#- Who is scored in a year's round and against which criteria set: every agency that must report in
    the year (report obligations) and any agency that sent a self-assessment for it, as it was at the end
    of the year, by the set in force for its province and level that year. An agency that ceased during
    the year is not scored; whoever carries it on is. -#}
with submissions as (
    select * from {{ ref('fact_report_submission') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

self_assessments as (
    select * from {{ ref('stg_self_assessments__files') }}
    where load_status = 'loaded'
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

sets as (
    select * from {{ ref('stg_reference__criteria_sets') }}
),

candidates as (
    select distinct submissions.agency_key, periods.report_year as assessed_year
    from submissions
    inner join periods using (period_key)
    where submissions.is_expected
    union
    select agency_key, assessed_year
    from self_assessments
),

final as (
    select
        candidates.agency_key || '|' || candidates.assessed_year as assessment_key,
        candidates.agency_key,
        candidates.assessed_year,
        agencies.agency_version_key,
        agencies.agency_name_vi,
        agencies.agency_level,
        agencies.role_code,
        agencies.province_code,
        sets.criteria_set_key
    from candidates
    inner join agencies
        on agencies.agency_key = candidates.agency_key
        and {{ valid_on('agencies', 'make_date(candidates.assessed_year, 12, 31)') }}
    inner join sets
        on sets.province_code = agencies.province_code
        and sets.agency_level = agencies.agency_level
        and candidates.assessed_year between sets.first_year and coalesce(sets.last_year, 9999)
)

select * from final

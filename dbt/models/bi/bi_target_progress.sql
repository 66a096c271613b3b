{{ config(alias='target_progress') }}
{#- Tiến độ chỉ tiêu, read as a sentence: fact_target_progress with the names a BI user filters by. -#}
with progress as (
    select * from {{ ref('fact_target_progress') }}
),

targets as (
    select * from {{ ref('dim_target') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

areas as (
    select * from {{ ref('dim_area') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

final as (
    select
        progress.target_progress_key,
        periods.report_year,
        periods.period_key,
        periods.period_label_vi,
        agencies.province_code as province_key,
        agencies.agency_key,
        agencies.agency_name_vi,
        agencies.agency_level_name_vi,
        areas.area_name_vi,
        targets.indicator_name_vi,
        case progress.target_source when 'own' then 'Kế hoạch của cơ quan' else 'Kế hoạch của tỉnh' end
            as target_source_vi,
        progress.comparator,
        progress.target_value,
        progress.unit,
        progress.actual_value,
        progress.gap,
        progress.achievement_ratio,
        progress.status,
        progress.status_vi,
        progress.is_below_province_target,
        targets.document_number,
        targets.source_sentence,
        progress.submission_file,
        progress.actual_cell
    from progress
    inner join targets using (target_key)
    inner join agencies using (agency_version_key)
    inner join areas on areas.area_key = progress.area_key
    inner join periods using (period_key)
)

select * from final

{{ config(alias='cchc_index') }}
{#- Chỉ số CCHC nội bộ per agency and year, with its points per PAR Index field side by side. -#}
with totals as (
    select * from {{ ref('mart_cchc_index') }}
),

areas as (
    select * from {{ ref('mart_cchc_index_area') }}
),

by_field as (
    select
        agency_key,
        report_year,
        max(points) filter (where area_key = 'direction') as direction_points,
        max(points) filter (where area_key = 'institutions') as institutions_points,
        max(points) filter (where area_key = 'procedures') as procedures_points,
        max(points) filter (where area_key = 'organisation') as organisation_points,
        max(points) filter (where area_key = 'civil_service') as civil_service_points,
        max(points) filter (where area_key = 'public_finance') as public_finance_points,
        max(points) filter (where area_key = 'digital_government') as digital_government_points
    from areas
    group by agency_key, report_year
),

final as (
    select
        totals.cchc_index_key,
        totals.report_year,
        totals.province_key,
        totals.agency_key,
        totals.agency_name_vi,
        totals.agency_level_name_vi,
        totals.total_score,
        totals.is_ranked,
        totals.rank_status_vi,
        totals.rank_in_level,
        totals.is_tied,
        totals.agencies_in_level,
        totals.previous_total_score,
        totals.change_from_previous_year,
        totals.places_gained,
        totals.is_provisional,
        totals.scoring_period_key,
        totals.targets_counted,
        totals.targets_met,
        totals.targets_without_data,
        totals.tasks_counted,
        totals.tasks_on_time,
        by_field.direction_points,
        by_field.institutions_points,
        by_field.procedures_points,
        by_field.organisation_points,
        by_field.civil_service_points,
        by_field.public_finance_points,
        by_field.digital_government_points
    from totals
    inner join by_field using (agency_key, report_year)
)

select * from final

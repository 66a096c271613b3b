{#- Which targets each reporting agency is measured against in each period.

    In scope: every agency and period with a counted report, every agency the report obligations
    expect a report from (one that did not report is still measured: its targets have no data), and
    every agency below province level with a plan of its own, for each period of its plan's years. Against: its own plan's targets and
    its province plan's targets, each for its level or for all ("các chỉ tiêu không thấp hơn Kế hoạch
    này"); both are kept, named by target_source. Unclassified targets, implausible values and targets
    on published indices are left to other facts. -#}
with targets as (
    select * from {{ ref('dim_target') }}
    where not is_unclassified and not is_implausible and not is_index_target and target_value is not null
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

submissions as (
    select * from {{ ref('report_submissions') }}
),

expected_reports as (
    select * from {{ ref('fact_report_submission') }}
    where is_expected
),

reported as (
    select distinct agency_key, period_key
    from submissions
    where is_counted
),

expected as (
    select distinct agency_key, period_key
    from expected_reports
),

planned as (
    select distinct targets.issuer_agency_key as agency_key, periods.period_key
    from targets
    inner join periods on periods.report_year between targets.first_year and targets.last_year
    inner join agencies
        on agencies.agency_key = targets.issuer_agency_key
        and {{ valid_on('agencies', 'periods.period_end_on') }}
    where agencies.agency_level <> 'province'
),

in_scope as (
    select * from reported
    union
    select * from expected
    union
    select * from planned
),

scoped as (
    select
        in_scope.agency_key,
        in_scope.period_key,
        periods.report_year,
        periods.period_end_on,
        agencies.agency_version_key,
        agencies.agency_level,
        agencies.province_code
    from in_scope
    inner join periods using (period_key)
    inner join agencies
        on agencies.agency_key = in_scope.agency_key
        and {{ valid_on('agencies', 'periods.period_end_on') }}
),

province_issuers as (
    select agency_key, province_code, valid_from_on, valid_to_on
    from agencies
    where role_code = 'ubnd_tinh'
),

own as (
    select
        scoped.*,
        targets.target_key,
        'own' as target_source
    from scoped
    inner join targets
        on targets.issuer_agency_key = scoped.agency_key
        and scoped.report_year between targets.first_year and targets.last_year
        and (targets.agency_level = scoped.agency_level or targets.agency_level is null)
),

cascaded as (
    select
        scoped.*,
        targets.target_key,
        'province' as target_source
    from scoped
    inner join province_issuers
        on province_issuers.province_code = scoped.province_code
        and province_issuers.agency_key <> scoped.agency_key
    inner join targets
        on targets.issuer_agency_key = province_issuers.agency_key
        and scoped.report_year between targets.first_year and targets.last_year
        and (targets.agency_level = scoped.agency_level or targets.agency_level is null)
),

final as (
    select
        target_key,
        agency_key,
        agency_version_key,
        period_key,
        target_source
    from own
    union all
    select
        target_key,
        agency_key,
        agency_version_key,
        period_key,
        target_source
    from cascaded
)

select * from final

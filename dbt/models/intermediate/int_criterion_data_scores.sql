{#- What the warehouse itself can score: one row per agency × year × criterion whose rule key it knows,
    with the counts it rests on and the basis in words ("3/4 báo cáo đúng hạn: 0,75/1"). A ratio scores
    max × ratio (2 decimals), or by the criterion's tiers when it has them (the points of the highest
    tier the percentage reaches). A plan issued by the deadline scores the maximum, a late one half.
    Tasks and targets count from the agency's counted report for the year, as the internal index counts
    them (mart_cchc_index: a target left without a figure in that report counts and earns nothing). Where
    the warehouse holds nothing to count (no report due, no counted report, no task, no target, no plan
    of the agency) the data score is null, never 0, and the agency scores the criterion itself with proof. -#}
with scope as (
    select * from {{ ref('int_criterion_scope') }}
),

criteria as (
    select * from {{ ref('stg_reference__criteria') }}
    where is_scored and rule_key is not null
),

submissions as (
    select * from {{ ref('fact_report_submission') }}
),

periods as (
    select * from {{ ref('dim_period') }}
),

index_totals as (
    select * from {{ ref('mart_cchc_index') }}
),

plans as (
    select * from {{ ref('plan_documents') }}
    where is_counted and issuer_agency_key is not null
),

reports as (
    select
        submissions.agency_key,
        periods.report_year as assessed_year,
        count(*) filter (where submissions.compliance_status <> 'not_due') as reports_due,
        count(*) filter (where submissions.compliance_status = 'on_time') as reports_on_time,
        count(*) filter (where submissions.compliance_status = 'not_due') as reports_not_due
    from submissions
    inner join periods using (period_key)
    where submissions.is_expected
    group by all
),

own_plans as (
    select
        scope.agency_key,
        scope.assessed_year,
        arg_min(plans.document_number, plans.issued_on) as plan_number,
        min(plans.issued_on) as plan_issued_on
    from scope
    inner join plans
        on plans.issuer_agency_key = scope.agency_key
        -- the plan for the year (kế hoạch CCHC năm), not a plan for several years
        and plans.period_start_year = scope.assessed_year
        and plans.period_end_year = scope.assessed_year
    group by all
),

counted as (
    select
        scope.assessment_key,
        scope.agency_key,
        scope.assessed_year,
        criteria.criterion_key,
        criteria.criterion_code,
        criteria.rule_key,
        criteria.max_points,
        criteria.rule_tiers,
        case criteria.rule_key
            when 'reports_on_time' then reports.reports_on_time
            when 'plan_tasks_on_time' then index_totals.tasks_on_time
            when 'targets_met' then index_totals.targets_met
        end as counted_numerator,
        case criteria.rule_key
            when 'reports_on_time' then reports.reports_due
            when 'plan_tasks_on_time' then index_totals.tasks_counted
            when 'targets_met' then index_totals.targets_counted
        end as counted_denominator,
        coalesce(index_totals.has_counted_report, false) as has_counted_report,
        case criteria.rule_key
            when 'reports_on_time' then ' báo cáo đúng hạn'
            when 'plan_tasks_on_time' then ' nhiệm vụ hoàn thành đúng hạn'
            when 'targets_met' then ' chỉ tiêu đạt'
        end as counted_words,
        own_plans.plan_number,
        own_plans.plan_issued_on,
        make_date(
            scope.assessed_year - case when criteria.rule_deadline_in_previous_year then 1 else 0 end,
            cast(split_part(criteria.rule_deadline_md, '-', 1) as integer),
            cast(split_part(criteria.rule_deadline_md, '-', 2) as integer)
        ) as plan_deadline_on,
        case criteria.rule_key
            when 'reports_on_time' then coalesce(reports.reports_not_due, 0) > 0
            when 'plan_tasks_on_time' then coalesce(index_totals.is_provisional, false)
            when 'targets_met' then coalesce(index_totals.is_provisional, false)
            else false
        end as is_provisional
    from scope
    inner join criteria using (criteria_set_key)
    left join reports using (agency_key, assessed_year)
    left join index_totals
        on index_totals.agency_key = scope.agency_key
        and index_totals.report_year = scope.assessed_year
    left join own_plans using (agency_key, assessed_year)
),

scored as (
    select
        *,
        case
            when rule_key = 'plan_issued_on_time' and plan_issued_on is not null then
                case when plan_issued_on <= plan_deadline_on then max_points else round(max_points / 2, 2) end
            when rule_key = 'plan_issued_on_time' then null
            when rule_key in ('plan_tasks_on_time', 'targets_met') and not has_counted_report then null
            when coalesce(counted_denominator, 0) = 0 then null
            when len(rule_tiers) > 0 then coalesce(
                list_filter(
                    rule_tiers,
                    lambda tier: case
                        when tier.is_strict then counted_numerator * 100 > tier.percent * counted_denominator
                        else counted_numerator * 100 >= tier.percent * counted_denominator
                    end
                )[1].points,
                0
            )
            else round(max_points * counted_numerator / counted_denominator, 2)
        end as data_score
    from counted
),

final as (
    select
        assessment_key || '|' || criterion_code as criterion_score_key,
        assessment_key,
        agency_key,
        assessed_year,
        criterion_key,
        rule_key,
        counted_numerator,
        counted_denominator,
        plan_number,
        plan_issued_on,
        plan_deadline_on,
        data_score,
        is_provisional,
        case
            when rule_key = 'plan_issued_on_time' and plan_issued_on is null
                then 'Kho chưa có kế hoạch CCHC năm ' || assessed_year || ' của cơ quan: tự chấm, kèm tài liệu kiểm chứng'
            when rule_key = 'plan_issued_on_time'
                then 'Kế hoạch số ' || coalesce(plan_number, '?') || ' ban hành ngày '
                    || strftime(plan_issued_on, '%d/%m/%Y') || ', hạn ' || strftime(plan_deadline_on, '%d/%m/%Y')
                    || case
                        when plan_issued_on <= plan_deadline_on then ' (đúng hạn)'
                        else ' (chậm ' || date_diff('day', plan_deadline_on, plan_issued_on) || ' ngày)'
                    end
                    || ': ' || {{ vi_number('data_score') }} || '/' || {{ vi_number('max_points') }}
            when data_score is null then
                case
                    when rule_key = 'reports_on_time' then 'Chưa có kỳ báo cáo nào của năm đến hạn'
                    when not has_counted_report then 'Kho chưa có báo cáo năm ' || assessed_year || ' được tính của cơ quan'
                    when rule_key = 'plan_tasks_on_time' then 'Kho không có nhiệm vụ đến hạn trong năm của cơ quan'
                    else 'Kho không có chỉ tiêu được tính của cơ quan'
                end || ': tự chấm, kèm tài liệu kiểm chứng'
            else counted_numerator || '/' || counted_denominator || counted_words
                || case
                    when len(rule_tiers) > 0
                        then ' (' || {{ vi_number('round(100.0 * counted_numerator / counted_denominator, 1)') }} || ' %)'
                    else ''
                end
                || ': ' || {{ vi_number('data_score') }} || '/' || {{ vi_number('max_points') }}
                || case when is_provisional then ' (tạm tính: năm chưa hết kỳ báo cáo)' else '' end
        end as data_basis_vi
    from scored
)

select * from final

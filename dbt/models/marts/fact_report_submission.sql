{#- Reporting discipline: one row per agency × period, for every agency the obligations say must report
    (and any other agency that did). on_time: a counted report received by the due date; late: after
    it; missing: none by now though the due date has passed (đôn đốc); returned: Sở Nội vụ returned the file that would
    count and none newer came (trả lại – chờ gửi lại); after_close: only a file sent after the books
    closed, not yet accepted by a review; not_due: the due date is still ahead. Superseded, returned,
    late and rejected files are counted beside. -#}
with obligations as (
    select * from {{ ref('stg_reference__report_obligations') }}
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

expected as (
    select distinct
        agencies.agency_key,
        periods.period_key
    from obligations
    inner join periods
        on periods.report_year between obligations.first_year and coalesce(obligations.last_year, 9999)
    inner join agencies
        on agencies.province_code = obligations.province_code
        and agencies.agency_level = obligations.agency_level
        and not list_contains(obligations.excluded_role_codes, agencies.role_code)
        and {{ valid_on('agencies', 'periods.period_end_on') }}
    -- only up to the periods whose reports are due by now or next
    where periods.cutoff_start_on <= current_date
),

received as (
    select
        agency_key,
        period_key,
        min(received_at) filter (where is_counted) as counted_received_at,
        max(source_file) filter (where is_counted) as counted_file,
        count(*) filter (where submission_status = 'superseded') as superseded_count,
        count(*) filter (where submission_status = 'rejected') as rejected_count,
        count(*) filter (where submission_status = 'duplicate') as duplicate_count,
        count(*) filter (where submission_status = 'returned') as returned_count,
        count(*) filter (where submission_status = 'after_close') as after_close_count,
        max(received_at) filter (where submission_status = 'returned') as last_returned_at,
        max(received_at) filter (where submission_status = 'after_close') as last_after_close_at,
        min(received_at) as first_received_at
    from submissions
    where agency_key is not null and period_key is not null
    group by agency_key, period_key
),

pairs as (
    select agency_key, period_key, true as is_expected from expected
    union all
    select agency_key, period_key, false as is_expected
    from received
    where not exists (
        select 1 from expected
        where expected.agency_key = received.agency_key and expected.period_key = received.period_key
    )
),

classified as (
    select
        pairs.agency_key || '|' || pairs.period_key as report_submission_key,
        pairs.agency_key,
        agencies.agency_version_key,
        agencies.agency_level,
        pairs.period_key,
        pairs.is_expected,
        periods.report_due_on,
        received.counted_file,
        received.counted_received_at,
        received.first_received_at,
        coalesce(received.superseded_count, 0) as superseded_count,
        coalesce(received.rejected_count, 0) as rejected_count,
        coalesce(received.duplicate_count, 0) as duplicate_count,
        coalesce(received.returned_count, 0) as returned_count,
        coalesce(received.after_close_count, 0) as after_close_count,
        case
            when received.counted_received_at is null then null
            else greatest(date_diff('day', periods.report_due_on, cast(received.counted_received_at as date)), 0)
        end as days_late,
        case
            when received.counted_received_at is not null
                and cast(received.counted_received_at as date) <= periods.report_due_on then 'on_time'
            when received.counted_received_at is not null then 'late'
            -- of a returned file and a late one sent since, the newer says what the agency waits on
            when received.returned_count > 0
                and (received.last_after_close_at is null or received.last_returned_at > received.last_after_close_at)
                then 'returned'
            when received.after_close_count > 0 then 'after_close'
            when periods.report_due_on < current_date then 'missing'
            else 'not_due'
        end as compliance_status
    from pairs
    inner join periods using (period_key)
    left join received using (agency_key, period_key)
    left join agencies
        on agencies.agency_key = pairs.agency_key
        and {{ valid_on('agencies', 'periods.period_end_on') }}
),

final as (
    select
        *,
        case compliance_status
            when 'on_time' then 'đúng hạn'
            when 'late' then 'trễ hạn'
            when 'missing' then 'chưa nộp'
            when 'returned' then 'trả lại – chờ gửi lại'
            when 'after_close' then 'sau khóa sổ – chờ xem xét'
            else 'chưa đến hạn'
        end as compliance_status_vi
    from classified
)

select * from final

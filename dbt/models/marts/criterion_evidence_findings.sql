{#- What is wrong with the proof an agency's counted self-assessment gives, one row per finding, each
    naming the file, sheet and cell and saying it in Vietnamese for the clerk and the council. Checked
    for the criteria the agency scores itself (not those the data or the survey score):
    number_missing / number_shape: a document number in the shape documents have (123/KH-UBND,
        45/2024/QĐ-UBND, 1234/UBND-KT; a leading "Số" is allowed);
    date_missing / date_unreadable / date_outside: an issue date inside the year assessed, widened by the
        criterion's months before and after (a plan for the year is issued in the December before);
    issuer_missing / issuer_unknown / issuer_not_allowed: an issuer the agency registry knows and that
        the criterion accepts (its own documents, or those of the roles it names; any, when it names none);
    link_missing / link_invalid: a link to the document that is a web address;
    shared_across_agencies: the same document (number and issuer) claimed by another agency in the same
        year when one of the claimants issued it (a provincial decision every agency may cite is fine);
    reused_for_criteria: the same document claimed for several criteria where one of them wants its own;
    no_evidence: a criterion scored above 0 with neither a document nor an explanation. -#}
with files as (
    select * from {{ ref('self_assessment_files') }}
    where is_counted
),

evidence as (
    select evidence.*, files.agency_key, files.assessed_year, files.criteria_set_key
    from {{ ref('stg_self_assessments__evidence') }} as evidence
    inner join files using (source_file)
    where evidence.row_status = 'accepted'
),

scores as (
    select scores.*, files.agency_key, files.assessed_year, files.criteria_set_key
    from {{ ref('stg_self_assessments__scores') }} as scores
    inner join files using (source_file)
    where scores.row_status = 'accepted'
),

criteria as (
    select * from {{ ref('stg_reference__criteria') }}
    where is_scored and not is_survey
),

data_scores as (
    select * from {{ ref('int_criterion_data_scores') }}
    where data_score is not null
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

roles as (
    select * from {{ ref('stg_reference__agency_roles') }}
),

open_evidence as (
    select
        evidence.*,
        criteria.evidence_issuer_roles,
        criteria.evidence_months_before,
        criteria.evidence_months_after,
        criteria.is_evidence_shareable,
        cast(make_date(evidence.assessed_year, 1, 1) - to_months(criteria.evidence_months_before) as date)
            as window_start_on,
        cast(make_date(evidence.assessed_year, 12, 31) + to_months(criteria.evidence_months_after) as date)
            as window_end_on
    from evidence
    inner join criteria using (criteria_set_key, criterion_code)
    where not exists (
        select 1 from data_scores
        where data_scores.agency_key = evidence.agency_key
            and data_scores.assessed_year = evidence.assessed_year
            and data_scores.criterion_key = criteria.criterion_key
    )
),

issuers as (
    select
        open_evidence.evidence_row_key,
        bool_or(
            len(open_evidence.evidence_issuer_roles) = 0
            or list_contains(open_evidence.evidence_issuer_roles, 'self')
                and open_evidence.agency_key in (agencies.agency_key, agencies.parent_agency_key)
            or list_contains(open_evidence.evidence_issuer_roles, agencies.role_code)
        ) as is_allowed
    from open_evidence
    inner join agencies on agencies.agency_key = open_evidence.issuer_agency_key
    group by open_evidence.evidence_row_key
),

allowed_names as (
    select
        open_evidence.evidence_row_key,
        string_agg(
            case when role = 'self' then 'chính cơ quan' else coalesce(roles.role_name_vi, role) end, ', '
            order by index
        ) as allowed_vi
    from open_evidence,
        unnest(open_evidence.evidence_issuer_roles) with ordinality as allowed(role, index)
    left join roles on roles.role_code = allowed.role
    group by open_evidence.evidence_row_key
),

claims as (
    -- one document: its number from one issuer (two provinces' Sở Nội vụ may each have a 01/KH-SNV)
    select
        document_key,
        issuer_agency_key,
        assessed_year,
        count(distinct agency_key) as agencies_claiming,
        list(distinct agency_key) as claiming_agency_keys
    from open_evidence
    where document_key is not null and issuer_agency_key is not null
    group by document_key, issuer_agency_key, assessed_year
),

reuse as (
    select
        agency_key,
        assessed_year,
        document_key,
        string_agg(distinct criterion_code, ', ' order by criterion_code) as criteria_codes,
        count(distinct criterion_code) as criteria_claimed
    from open_evidence
    where document_key is not null
    group by agency_key, assessed_year, document_key
),

names as (
    select distinct on (agency_key) agency_key, agency_name_vi
    from agencies
    order by agency_key, valid_from_on desc
),

evidence_findings as (
    select
        open_evidence.*,
        issuers.is_allowed,
        allowed_names.allowed_vi,
        claims.agencies_claiming,
        claims.claiming_agency_keys,
        reuse.criteria_codes,
        reuse.criteria_claimed,
        '''' || coalesce(open_evidence.document_number, '') || '''' as quoted_number
    from open_evidence
    left join issuers using (evidence_row_key)
    left join allowed_names using (evidence_row_key)
    left join claims using (document_key, issuer_agency_key, assessed_year)
    left join reuse using (agency_key, assessed_year, document_key)
),

checks as (
    select
        source_file, agency_key, assessed_year, criterion_code, sheet_name, row_number,
        number_cell as cell, document_number as typed,
        case when document_number is null then 'number_missing' else 'number_shape' end as finding_code,
        case
            when document_number is null then 'Không ghi số hiệu văn bản.'
            else 'Số hiệu ' || quoted_number || ' không đúng dạng số/ký hiệu văn bản (ví dụ 123/KH-UBND, 45/2024/QĐ-UBND).'
        end as finding_vi
    from evidence_findings
    where document_number is null
        or not regexp_full_match(document_key, '[0-9]{1,6}(/[0-9]{4})?/[A-ZĐ][A-ZĐ0-9&.]*(-[A-ZĐ0-9&.]+)*')

    union all
    select
        source_file, agency_key, assessed_year, criterion_code, sheet_name, row_number, date_cell, issued_on_text,
        case
            when issued_on_text is null then 'date_missing'
            when issued_on is null then 'date_unreadable'
            else 'date_outside'
        end,
        case
            when issued_on_text is null then 'Không ghi ngày ban hành.'
            when issued_on is null then 'Ngày ban hành ''' || issued_on_text || ''' không đọc được; nhập dạng ngày/tháng/năm.'
            else 'Ngày ban hành ' || strftime(issued_on, '%d/%m/%Y') || ' ngoài thời gian được tính của tiêu chí '
                || criterion_code || ' (' || strftime(window_start_on, '%d/%m/%Y') || ' – '
                || strftime(window_end_on, '%d/%m/%Y') || ').'
        end
    from evidence_findings
    where issued_on is null or issued_on not between window_start_on and window_end_on

    union all
    select
        source_file, agency_key, assessed_year, criterion_code, sheet_name, row_number, issuer_cell, issuer,
        case
            when issuer is null then 'issuer_missing'
            when issuer_agency_key is null then 'issuer_unknown'
            else 'issuer_not_allowed'
        end,
        case
            when issuer is null then 'Không ghi cơ quan ban hành.'
            when issuer_agency_key is null
                then 'Cơ quan ban hành ''' || issuer || ''' không có (hoặc không rõ là cơ quan nào) trong danh mục cơ quan.'
            else 'Cơ quan ban hành ''' || issuer || ''' không phải cơ quan ban hành tài liệu kiểm chứng của tiêu chí '
                || criterion_code || ' (được ban hành: ' || allowed_vi || ').'
        end
    from evidence_findings
    where issuer is null or issuer_agency_key is null or not coalesce(is_allowed, true)

    union all
    select
        source_file, agency_key, assessed_year, criterion_code, sheet_name, row_number, link_cell, link,
        case when link is null then 'link_missing' else 'link_invalid' end,
        case
            when link is null then 'Không có đường dẫn tới văn bản: Hội đồng thẩm định không xem được tài liệu.'
            else 'Đường dẫn ''' || link || ''' không phải địa chỉ web (bắt đầu bằng http:// hoặc https://).'
        end
    from evidence_findings
    where link is null or not regexp_full_match(link, 'https?://[^\s/]+\.[^\s]+')

    union all
    select
        source_file, agency_key, assessed_year, criterion_code, sheet_name, row_number, number_cell, document_number,
        'shared_across_agencies',
        'Văn bản ' || quoted_number || ' cũng được ' || (
            select string_agg(names.agency_name_vi, ', ' order by names.agency_name_vi)
            from names
            where list_contains(evidence_findings.claiming_agency_keys, names.agency_key)
                and names.agency_key <> evidence_findings.agency_key
        ) || ' dùng làm tài liệu kiểm chứng năm ' || assessed_year || '.'
    from evidence_findings
    where agencies_claiming > 1 and list_contains(claiming_agency_keys, issuer_agency_key)

    union all
    select
        source_file, agency_key, assessed_year, criterion_code, sheet_name, row_number, number_cell, document_number,
        'reused_for_criteria',
        'Văn bản ' || quoted_number || ' được dùng cho nhiều tiêu chí (' || criteria_codes || '); tiêu chí '
            || criterion_code || ' cần tài liệu kiểm chứng riêng.'
    from evidence_findings
    where criteria_claimed > 1 and not is_evidence_shareable

    union all
    select
        scores.source_file, scores.agency_key, scores.assessed_year, scores.criterion_code, scores.sheet_name,
        scores.row_number, scores.score_cell, scores.score_text,
        'no_evidence',
        'Tiêu chí ' || scores.criterion_code || ' tự chấm ' || {{ vi_number('scores.self_score') }}
            || ' điểm nhưng không có tài liệu kiểm chứng hoặc giải trình: điểm không được công nhận.'
    from scores
    inner join criteria using (criteria_set_key, criterion_code)
    where scores.self_score > 0
        and scores.explanation is null
        and not exists (
            select 1 from open_evidence
            where open_evidence.source_file = scores.source_file
                and open_evidence.criterion_code = scores.criterion_code
        )
        and not exists (
            select 1 from data_scores
            where data_scores.agency_key = scores.agency_key
                and data_scores.assessed_year = scores.assessed_year
                and data_scores.criterion_key = criteria.criterion_key
        )
),

final as (
    select
        source_file || '#' || sheet_name || '!' || cell || '#' || finding_code as evidence_finding_key,
        agency_key || '|' || assessed_year as assessment_key,
        agency_key || '|' || assessed_year || '|' || criterion_code as criterion_score_key,
        *
    from checks
)

select * from final

{#- Documents named as proof, with the number as a key to compare claims by: upper case, no spaces, no
    leading "Số" ("Số 123/kh-ubnd " and "123/KH-UBND" are one number). -#}
with source as (
    select * from {{ source('raw_self_assessments', 'self_assessment_evidence') }}
),

renamed as (
    select
        source_file || '#' || row_number as evidence_row_key,
        source_file,
        content_hash,
        sheet_name,
        row_number,
        criterion_code,
        code_cell,
        document_number,
        nullif(regexp_replace(upper(regexp_replace(document_number, '\s+', '', 'g')), '^SỐ:?', ''), '')
            as document_key,
        number_cell,
        issued_on,
        issued_on_text,
        date_cell,
        issuer,
        issuer_cell,
        issuer_agency_key,
        issuer_status,
        summary,
        link,
        link_cell,
        row_status,
        issue as row_issue
    from source
)

select * from renamed

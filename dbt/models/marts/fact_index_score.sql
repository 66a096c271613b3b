{#- One published figure per index × year × place × component, from the files that count (not a
    duplicate, not superseded: index_files). A figure two such files give (a workbook and a reported
    CSV line, or two editions covering different years) is taken from the workbook as published over a
    reported value, then from the file received last. -#}
with scores as (
    select * from {{ ref('stg_indices__scores') }}
),

files as (
    select * from {{ ref('index_files') }}
    where is_counted
),

components as (
    select * from {{ ref('dim_index_component') }}
),

provinces as (
    select * from {{ ref('dim_province') }}
),

chosen as (
    select
        scores.*,
        files.ingested_at
    from scores
    inner join files using (source_file)
    qualify row_number() over (
        partition by scores.index_code, scores.score_year, scores.component_code, scores.province_code, scores.place_scope
        order by scores.source_sheet is null, files.received_at desc, scores.source_file
    ) = 1
),

ranked as (
    select
        *,
        -- rank among the provinces by score, for years whose publisher printed none (PCI 2006, 2008);
        -- only over whole published tables (workbooks), never over the few provinces a report names
        case
            when place_scope = 'province' and score is not null and source_sheet is not null
                then rank() over (
                    partition by
                        index_code, score_year, component_code,
                        place_scope = 'province' and score is not null and source_sheet is not null
                    order by score desc
                )
        end as score_rank
    from chosen
),

final as (
    select
        ranked.index_code
        || ':' || ranked.score_year
        || ':' || coalesce(ranked.province_code, ranked.place_scope)
        || ':' || ranked.component_code as index_score_key,
        ranked.index_code as index_key,
        ranked.score_year,
        ranked.component_code,
        components.index_component_key,
        ranked.place_scope,
        ranked.province_code as province_key,
        provinces.current_province_key,
        ranked.place_label,
        ranked.score,
        components.score_max,
        round(100.0 * ranked.score / components.score_max, 2) as score_pct_of_max,
        ranked.published_rank,
        coalesce(ranked.published_rank, ranked.score_rank) as rank_among_provinces,
        ranked.published_rank is null and ranked.score_rank is not null as is_rank_derived,
        ranked.source_file,
        ranked.source_sheet,
        ranked.source_cell,
        ranked.published_in,
        ranked.source_note
    from ranked
    left join components
        on components.index_key = ranked.index_code
        and components.component_code = ranked.component_code
        and ranked.score_year between components.first_year and coalesce(components.last_year, 9999)
    left join provinces on provinces.province_key = ranked.province_code
)

select * from final

"""A source of a few files a year read as one folder (Sở Nội vụ's reviews, agencies' self-assessments,
the council's appraisals): one run for the folder (partition `all`) reads again only the files whose
content, or whose reader, changed since they were loaded, and forgets removed ones (their rows go with
them: the state is the warehouse plus raw/). A file its reader refuses is recorded as rejected with the
reason, and so quarantined, and so is a file its reader fails on by a fault of its own
(`pipelines.landing.faults`); the others load. What differs between such sources is only the reader: it
turns a landed file into its files-table row, its row tables, the reason it was refused, and a line for
the log.

No `from __future__ import annotations` here: Dagster reads the asset's config annotation at runtime.
"""

from collections.abc import Callable, Mapping

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from pipelines.landing.ledger import Landed, Ledger
from pipelines.landing.source import FOLDER, RunFiles, Source, one_run_per_folder
from pipelines.settings import WAREHOUSE_POOL, Settings

# a landed file → (its files-table row, its row tables, why it was refused or None, what the log says)
Read = Callable[[Landed], tuple[pl.DataFrame, Mapping[str, pl.DataFrame], str | None, str]]


def folder_source(
    *,
    name: str,
    title: str,
    noun: str,
    ledger: Ledger,
    reader: str,
    asset_name: str,
    descriptions: Mapping[str, str],
    read: Read,
) -> Source:
    """The Source of raw/<name>: `descriptions` says what each raw table holds (the files table first,
    then the row tables and the versions table, which depend on it)."""
    partitions = dg.StaticPartitionsDefinition([FOLDER])
    files_table = ledger.files_table
    specs = [
        ledger.spec(table, text, *(() if table == files_table else (files_table,)))
        for table, text in descriptions.items()
    ]

    @dg.multi_asset(
        name=asset_name, specs=specs, partitions_def=partitions, pool=WAREHOUSE_POOL, can_subset=False
    )
    def raw_tables(
        context: dg.AssetExecutionContext, config: RunFiles, duckdb: DuckDBResource, settings: Settings
    ):
        def load_file(landed: Landed) -> tuple[pl.DataFrame, Mapping[str, pl.DataFrame], str | None]:
            file_row, frames, reason, said = read(landed)
            if reason is None:
                context.log.info(f"{title}: {landed.source_file} {said}")
            else:
                context.log.warning(f"{title}: {landed.source_file} rejected: {reason}")
            return file_row, frames, reason

        with duckdb.get_connection() as conn:
            outcomes, forgotten = source.load_each(conn, settings, context.partition_key, config, load_file)
        if forgotten:
            context.log.info(f"{title} no longer in raw/{name}, rows removed: {', '.join(forgotten)}")
        rejected = sum(1 for reason in outcomes.values() if reason is not None)
        common = {"read_now": len(outcomes), "parser_version": source.reader_version()}
        yield dg.MaterializeResult(
            asset_key=ledger.key(files_table),
            metadata={**common, "loaded_now": len(outcomes) - rejected, "rejected_now": rejected},
        )
        for table in descriptions:
            if table != files_table:
                yield dg.MaterializeResult(asset_key=ledger.key(table), metadata=common)

    source = Source(
        name=name,
        title=title,
        noun=noun,
        ledger=ledger,
        reader=reader,
        group=one_run_per_folder,
        partitions=partitions,
        assets=raw_tables,
        files_mart=(files_table, "file_status"),
    )
    return source

"""A source: one kind of file people send, landed in its folder of `raw/` and read into its raw tables.

Every source is one `Source` (the list is `pipelines.sources.registry.SOURCES`): its folder, its ledger,
its reader version, how pending files are grouped into runs, and the Dagster objects built from those
(the partitioned asset of its raw tables, its ingestion job, its sensor). One ingestion shape for all:
a run is a partition of the source's job, handed the files it loads and forgets; what differs between
sources is only the grouping (a plan file a run, a reporting period a run, the index folder a run).
Definitions, the sensors, `cchc run` and its summary iterate the list, so a new source is a package and
one line.
"""

from __future__ import annotations

import hashlib
import reprlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl
from pydantic import Field, field_validator

from pipelines.landing.ledger import Entry, Landed, Ledger, Pending, land, pending
from pipelines.landing.versions import reader_version
from pipelines.settings import Settings, sensor_status

# partition → {file: content hash to load, or None for a file removed from the folder}
Runs = dict[str, dict[str, str | None]]


class RunFiles(dg.Config):
    """The files of a run as the planner found them (to load, and gone from the folder), so the run
    neither lists nor identifies them again. Unplanned (a run launched by hand in the UI), the run finds
    the files of its partition itself."""

    planned: bool = False
    # typed Any for Dagster, whose config system checks a list name by name (a period's 3,000 names cost
    # the run's process 0.16 s, several times a national load); checked here, as one list, instead
    load: Any = Field(default_factory=list)
    forget: Any = Field(default_factory=list)

    @field_validator("load", "forget")
    @classmethod
    def _file_names(cls, names: object) -> list[str]:
        if not isinstance(names, list):
            raise ValueError(f"a list of file names under the source's folder, not {reprlib.repr(names)}")
        if wrong := [name for name in names if not isinstance(name, str)]:
            raise ValueError(
                f"a list of file names under the source's folder, not one holding {reprlib.repr(wrong[0])}"
            )
        return names


def one_run_per_file(_directory: Path, todo: Pending, _current: Mapping[str, Entry], _version: str) -> Runs:
    """Grouping of a source whose files are few and large (plans): each file is its own run."""
    runs: Runs = {key: {key: digest} for key, digest in todo.changed.items()}
    runs.update({key: {key: None} for key in todo.removed})
    return runs


FOLDER = "all"  # the one partition of a source read as a folder


def one_run_per_folder(_directory: Path, todo: Pending, _current: Mapping[str, Entry], _version: str) -> Runs:
    """Grouping of a source of a handful of files a year (published indices): one run for the folder."""
    files: dict[str, str | None] = {**todo.changed, **dict.fromkeys(todo.removed)}
    return {FOLDER: files} if files else {}


Grouping = Callable[[Path, Pending, Mapping[str, Entry], str], Runs]
# the settings, a run's files (file → content hash, or None when removed) and the ledger they were
# planned from → their reading started
ReadAhead = Callable[[Settings, Mapping[str, str | None], Mapping[str, Entry]], None]


@dataclass(frozen=True)
class Source:
    """One kind of file: `name` is its folder under raw/, its asset group and its archive folder.

    `title` names its files in the run summary; its job is `ingest_<name>` and `noun` names its sensor
    (`<noun>_files_sensor`); `reader` is the module whose imports make the reader version (the asset
    module: it builds the rows from what the readers return); `group` turns what is pending into runs;
    `partitions` and `assets` are its Dagster partitions (dynamic, or one static partition for a source
    read as a folder) and multi-asset; `files_mart` the mart and column that say whether each of its
    files counted; `read_ahead`, for a source of many files a run, starts reading a run's files in the
    worker pool before the run asks (landing.workers.read_ahead), given the settings, the run's files
    and the ledger they were planned from."""

    name: str
    title: str
    noun: str
    ledger: Ledger
    reader: str
    group: Grouping
    partitions: dg.PartitionsDefinition
    assets: dg.AssetsDefinition
    files_mart: tuple[str, str]
    read_ahead: ReadAhead | None = None

    def folder(self, settings: Settings) -> Path:
        return settings.raw_dir / self.name

    def archive(self, settings: Settings) -> Path:
        return settings.archive_dir(self.name)

    def reader_version(self) -> str:
        return reader_version(self.reader)

    def runs(self, settings: Settings, current: Mapping[str, Entry]) -> Runs:
        """What is pending in the folder against `current` (a ledger), grouped into runs."""
        version = self.reader_version()
        folder = self.folder(settings)
        return self.group(folder, pending(folder, current, version), current, version)

    def pending_runs(self, settings: Settings, database: Path) -> Runs:
        """The runs pending against the ledger of a warehouse file (the published copy for a sensor)."""
        return self.runs(settings, self.ledger.read_current(database))

    def run_config(self, files: Mapping[str, str | None]) -> dict:
        """The run config that hands a run its planned files."""
        load, forget = split(files)
        return {"ops": {self.assets.op.name: {"config": {"planned": True, "load": load, "forget": forget}}}}

    def run_key(self, partition: str, files: Mapping[str, str | None]) -> str:
        listing = "".join(f"{key}:{digest}\n" for key, digest in sorted(files.items()))
        return f"{partition}:{hashlib.sha256(listing.encode()).hexdigest()[:16]}:{self.reader_version()}"

    def files_of_run(
        self, conn: duckdb.DuckDBPyConnection, settings: Settings, partition: str, config: RunFiles
    ) -> tuple[list[str], list[str]]:
        """The files a run loads and forgets: as planned; for a run launched by hand, its file read again
        (a source of a run per file) or what is pending in the folder now."""
        if config.planned:
            return sorted(config.load), sorted(config.forget)
        if self.group is one_run_per_file:
            present = (self.folder(settings) / partition).is_file()
            return ([partition], []) if present else ([], [partition])
        return split(self.runs(settings, self.ledger.current(conn)).get(partition, {}))

    def load_each(
        self,
        conn: duckdb.DuckDBPyConnection,
        settings: Settings,
        partition: str,
        config: RunFiles,
        load: Callable[[Landed], tuple[pl.DataFrame, Mapping[str, pl.DataFrame], str | None]],
    ) -> tuple[dict[str, str | None], list[str]]:
        """Land each file of a run and write what `load` makes of it (its files-table row, its row
        tables, and why it was rejected), a file at a time, each in its own transaction (a source of a few
        large files); then forget the removed ones. (file → rejection reason or None, files forgotten)."""
        self.ledger.ensure(conn)
        to_load, to_forget = self.files_of_run(conn, settings, partition, config)
        outcomes = {}
        for key in to_load:
            landed = land(self.folder(settings), key, self.archive(settings), self.reader_version())
            file_row, rows, outcomes[key] = load(landed)
            self.ledger.write(conn, file_row, rows)
        self.ledger.forget(conn, to_forget)
        return outcomes, to_forget

    def register(self, instance: dg.DagsterInstance, partitions: Iterable[str]) -> None:
        """Add the partitions of pending runs the instance does not know (a static one it always does)."""
        if isinstance(self.partitions, dg.DynamicPartitionsDefinition):
            known = set(instance.get_dynamic_partitions(self.partitions.name))
            instance.add_dynamic_partitions(self.partitions.name, sorted(set(partitions) - known))

    @cached_property
    def job(self) -> dg.UnresolvedAssetJobDefinition:
        return dg.define_asset_job(
            name=f"ingest_{self.name}",
            selection=dg.AssetSelection.groups(self.ledger.group),
            partitions_def=self.partitions,
            description=f"Ingest new, changed or removed files of raw/{self.name} into {self.ledger.schema}.",
        )

    @cached_property
    def sensor(self) -> dg.SensorDefinition:
        source = self

        @dg.sensor(
            name=f"{self.noun}_files_sensor",
            job_name=f"ingest_{self.name}",
            minimum_interval_seconds=30,
            default_status=sensor_status(),
            description=(
                f"Watches raw/{self.name} every 30 s and asks for an ingestion run for each group of new, "
                "changed or removed files (against the published copy's ledger); the build follows."
            ),
        )
        def files_sensor(context: dg.SensorEvaluationContext, settings: Settings) -> dg.SensorResult:
            runs = source.pending_runs(settings, settings.published_path)
            partitions = source.partitions
            added = []
            if isinstance(partitions, dg.DynamicPartitionsDefinition):
                known = set(context.instance.get_dynamic_partitions(partitions.name))
                added = [partitions.build_add_request(sorted(set(runs) - known))]
            return dg.SensorResult(
                run_requests=[
                    dg.RunRequest(
                        partition_key=partition,
                        run_key=source.run_key(partition, files),
                        run_config=source.run_config(files),
                    )
                    for partition, files in sorted(runs.items())
                ],
                dynamic_partitions_requests=added,
            )

        return files_sensor


def split(files: Mapping[str, str | None]) -> tuple[list[str], list[str]]:
    """A run's pending files (file → content hash, or None when removed): to load, and to forget."""
    return (
        sorted(key for key, digest in files.items() if digest),
        sorted(key for key, digest in files.items() if digest is None),
    )

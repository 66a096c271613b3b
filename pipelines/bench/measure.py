"""What the benchmark measures beside the pipeline: memory of the process tree over time, the naive
script a user would write, and the read limit of the fastest xlsx reader, on the same files, each
measure starting with the files in memory (`into_memory`)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import fastexcel
import pandas as pd

from pipelines.forms.report import layout
from pipelines.landing.workers import POOL_THRESHOLD, read_all
from pipelines.quality import worker
from pipelines.warehouse import warm_dbt

_KB_IN_MB = 1 / 1024  # /proc reports VmRSS in kB


def _servers() -> set[str]:
    """The command lines' last words that name this code's dbt and quality servers (their addresses):
    a run's dbt and its quality worker are their forks, not its children."""
    return {warm_dbt.server_address(), worker.server_address()}


def _tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and every process below it, and of the dbt and quality servers with
    their forks (the run's dbt and quality worker), in MB."""
    parents: dict[int, int] = {}
    rss: dict[int, float] = {}
    roots, servers = {root}, _servers()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            command = (status.parent / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # the process ended while we looked
        pid = int(status.parent.name)
        parents[pid] = int(fields.get("PPid", "0"))
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * _KB_IN_MB
        if len(command) > 1 and command[-2].decode(errors="replace") in servers:
            roots.add(pid)
    tree, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0.0) for pid in tree)


@dataclass
class MemorySampler:
    """Samples the process tree's memory every `interval` seconds until stopped."""

    root: int
    interval: float = 0.2
    samples: list[tuple[float, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.time(), _tree_rss_mb(self.root)))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_mb(self, start: float = 0.0, end: float = float("inf")) -> float:
        return round(max((mb for moment, mb in self.samples if start <= moment <= end), default=0.0), 1)


def into_memory(files: list[Path]) -> None:
    """Read every file once, untimed, so that the measure that follows reads them from memory, whatever
    came before it: this kind of machine pages out what no process touched for a minute (the kernel's
    DAMON reclaim), so the same files were read from disk by one measure and from memory by another."""
    for path in files:
        path.read_bytes()


def naive_baseline(files: list[Path], database: Path) -> tuple[float, int]:
    """The script a user would write: one pandas.read_excel(openpyxl) per file, concatenated, written to
    DuckDB. Seconds taken and indicator rows written (files pandas cannot open are skipped, as such a
    script's try/except would)."""
    start = time.perf_counter()
    frames = []
    for path in files:
        try:
            frame = pd.read_excel(path, sheet_name=layout.INDICATORS_SHEET, header=2, engine="openpyxl")
        except Exception:
            continue
        frames.append(frame.assign(source_file=path.name).astype(str))
    combined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    database.unlink(missing_ok=True)
    with duckdb.connect(str(database)) as conn:
        conn.register("combined", combined)
        conn.execute("create table indicator_values as select * from combined")
    return time.perf_counter() - start, len(combined)


def read_every_sheet(path: Path) -> int:
    """fastexcel (Rust calamine into Arrow) reading every sheet of a file: the cells read."""
    try:
        reader = fastexcel.read_excel(path)
        return sum(
            reader.load_sheet(name, header_row=None).to_arrow().num_rows for name in reader.sheet_names
        )
    except Exception:
        return 0


def read_every_sheets(paths: list[Path]) -> list[int]:
    return [read_every_sheet(path) for path in paths]


def read_limit(files: list[Path]) -> float:
    """Seconds fastexcel takes to read every sheet of `files`, across the same worker processes as
    ingestion (the workers are started before the clock)."""
    read_all(read_every_sheets, files[: 2 * POOL_THRESHOLD])  # starts the workers
    start = time.perf_counter()
    read_all(read_every_sheets, files)
    return time.perf_counter() - start

"""The landing folders under `raw/`: what a clerk dropped there, and the archive that keeps it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Seen:
    """A file as a listing saw it: its content hash, and the size and modification time it had when
    hashed (a later listing that finds both unchanged reuses the hash instead of reading the file)."""

    content_hash: str
    size: int
    modified_ns: int


def landed_files(directory: Path, known: Mapping[str, Seen] | None = None) -> dict[str, Seen]:
    """Path under `directory` → what is seen of it, for every file dropped there (sub-folders
    included). A file `known` with the same size and modification time is not read again: at
    national scale hashing every file on every run costs more than the rest of planning.

    Hidden files and a folder's README.md are not submissions.
    """
    if not directory.is_dir():
        return {}
    known = known or {}
    seen = {}
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.name == "README.md":
            continue
        name = path.relative_to(directory).as_posix()
        stat = path.stat()  # before hashing: a file changed after this is hashed again next time
        prior = known.get(name)
        if prior is not None and (prior.size, prior.modified_ns) == (stat.st_size, stat.st_mtime_ns):
            seen[name] = prior
        else:
            seen[name] = Seen(file_hash(path), stat.st_size, stat.st_mtime_ns)
    return seen


@dataclass(frozen=True)
class Archived:
    """The bytes of a file as received, kept under their content hash."""

    content_hash: str
    file: Path  # the archived copy, which the readers read
    relative_path: Path  # relative to the warehouse folder: archive/<kind>/<hash>/<name>
    size: int
    modified_ns: int  # of the file in the landing folder, when it was archived


def archive(path: Path, archive_dir: Path) -> Archived:
    """Keep the bytes as received under their content hash; the raw file may be replaced later.

    The hash is of the bytes archived, and readers read the archived copy, so the rows loaded always
    come from the content the ledger names, even if a clerk replaces the file meanwhile. The path is
    kept relative to the warehouse folder, so that a warehouse folder copied elsewhere still finds
    its archive.
    """
    stat = path.stat()  # before reading: a file changed after this is read again next time
    data = path.read_bytes()
    digest = content_hash(data)
    target = archive_dir / digest[:16] / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f".{target.name}.tmp")
        staging.write_bytes(data)
        staging.replace(target)
    return Archived(
        digest, target, target.relative_to(archive_dir.parent.parent), stat.st_size, stat.st_mtime_ns
    )

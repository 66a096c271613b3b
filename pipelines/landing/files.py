"""The landing folders under `raw/`: what a clerk dropped there, and the archive that keeps it."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


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


# what operating systems and office programs leave beside a file; never a submission
_SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "readme.md"})
_SYSTEM_PREFIXES = ("~$", "._", ".~lock.")


def is_submission(name: str) -> bool:
    """A file name a clerk could have sent: not a folder's README.md, an Excel or LibreOffice lock file
    (~$report.xlsx, .~lock.report.xlsx#) or an operating system's note (.DS_Store, Thumbs.db, ._*).
    Other hidden files (".bao-cao.xlsx") are submissions: a clerk's file is read whatever its name."""
    return name.lower() not in _SYSTEM_FILES and not name.startswith(_SYSTEM_PREFIXES)


def landed_files(directory: Path, known: Mapping[str, Seen] | None = None) -> dict[str, Seen]:
    """Path under `directory` → what is seen of it, for every file dropped there (sub-folders
    included). A file `known` with the same size and modification time is not read again: at
    national scale hashing every file on every run costs more than the rest of planning.

    Symbolic links are not followed (a link could pull any file of the machine into the archive), and
    lock files and system notes are not submissions: each is logged, never silently dropped.
    """
    if not directory.is_dir():
        return {}
    known = known or {}
    seen = {}
    for folder, subfolders, names in os.walk(directory):
        base = Path(folder)
        for link in [name for name in subfolders if (base / name).is_symlink()]:
            log.warning("not following the linked folder %s", base / link)
        for name in sorted(names):
            path = base / name
            if path.is_symlink() or not path.is_file():
                log.warning("not reading %s: a link or not a regular file", path)
                continue
            if not is_submission(name):
                if name.lower() != "readme.md":
                    log.info("not reading %s: a lock file or system note, not a submission", path)
                continue
            relative = path.relative_to(directory).as_posix()
            stat = path.stat()  # before hashing: a file changed after this is hashed again next time
            prior = known.get(relative)
            if prior is not None and (prior.size, prior.modified_ns) == (stat.st_size, stat.st_mtime_ns):
                seen[relative] = prior
            else:
                seen[relative] = Seen(file_hash(path), stat.st_size, stat.st_mtime_ns)
    return dict(sorted(seen.items()))


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

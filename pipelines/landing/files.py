"""The landing folders under `raw/`: what a clerk dropped there, and the archive that keeps it.

The archive keeps a file's bytes as received, under their hash, as one of two things: a copy of its
own (`archive/<kind>/<hash>/<name>`: a source read a file at a time) or a member of a pack
(`archive/<kind>/packs/<pack>.zip/<hash>/<name>`: a source read many files at once, one pack for the
files a worker reads together, where a folder and a file each would cost the disk about as much as
reading the file; a zip that Windows Explorer or any unzip tool opens as a folder). A file read again
with the same content keeps the path it had. Paths are kept relative to the warehouse folder."""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TypeVar

log = logging.getLogger(__name__)
Result = TypeVar("Result")


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


def _is_dir(entry: os.DirEntry) -> bool:
    """Whether a link leads to a folder; a link to itself or into an unreadable folder does not."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _submissions(root: str, unlisted: list[str]) -> Iterator[os.DirEntry]:
    """The files under the folder `root` that could be submissions; the rest logged (os.scandir: what
    a file is comes with the listing, without a call for each question). A folder that cannot be
    listed is logged and added to `unlisted` (its path under `root`, ending with a slash)."""
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            listing = os.scandir(folder)
        except OSError as error:  # a sub-folder this account may not read: said, and the rest is read
            log.warning("not reading the folder %s: %s", folder, error.strerror)
            unlisted.append(os.path.join(folder[len(root) :], "").replace(os.sep, "/"))
            continue
        with listing as entries:
            for entry in entries:
                if entry.is_symlink():
                    kind = "the linked folder" if _is_dir(entry) else "the link"
                    log.warning("not following %s %s", kind, entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif not entry.is_file(follow_symlinks=False):
                    log.warning("not reading %s: not a regular file", entry.path)
                elif is_submission(entry.name):
                    yield entry
                elif entry.name.lower() != "readme.md":
                    log.info("not reading %s: a lock file or system note, not a submission", entry.path)


def landed_files(
    directory: Path, known: Mapping[str, Seen] | None = None, unlisted: list[str] | None = None
) -> dict[str, Seen]:
    """Path under `directory` → what is seen of it, for every file dropped there (sub-folders
    included). A file `known` with the same size and modification time is not read again: at
    national scale hashing every file on every run costs more than the rest of planning.

    Symbolic links are not followed (a link could pull any file of the machine into the archive), and
    lock files and system notes are not submissions: each is logged, never silently dropped. A folder
    that cannot be listed (its permissions changed) is logged and its path under `directory` added to
    `unlisted`: what it holds is not known, neither present nor removed. The listing runs on every
    sensor tick: one stat a file (43,000 files in about a sixth of a second).
    """
    if not directory.is_dir():
        return {}
    known = known or {}
    root = os.path.join(directory, "")
    seen: dict[str, Seen] = {}
    for entry in _submissions(root, [] if unlisted is None else unlisted):
        relative = entry.path[len(root) :].replace(os.sep, "/")
        stat = entry.stat(follow_symlinks=False)  # before hashing: a file changed after this is hashed again
        prior = known.get(relative)
        if prior is not None and (prior.size, prior.modified_ns) == (stat.st_size, stat.st_mtime_ns):
            seen[relative] = prior
        else:
            seen[relative] = Seen(file_hash(Path(entry.path)), stat.st_size, stat.st_mtime_ns)
    return dict(sorted(seen.items()))


@dataclass(frozen=True)
class Archived:
    """The bytes of a file as received, kept under their content hash."""

    content_hash: str
    file: Path  # the archived copy, which the readers read
    relative_path: Path  # relative to the warehouse folder: archive/<kind>/<hash>/<name>
    size: int
    modified_ns: int  # of the file in the landing folder, when it was archived


def _received(path: Path) -> tuple[os.stat_result, bytes, str]:
    """A landing file's size and modification time (taken before reading: a file changed after this is
    read again next time), its bytes, and their hash."""
    stat = path.stat()
    data = path.read_bytes()
    return stat, data, content_hash(data)


def _put_in_place(handle: BinaryIO, staging: Path, target: Path) -> None:
    """Force a staging file written through `handle` to disk, then put it in place atomically and force
    that too: a crash leaves no file or the whole file, and one the ledger names survives a power cut."""
    handle.flush()
    os.fsync(handle.fileno())
    staging.replace(target)
    folder = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def archive(path: Path, archive_dir: Path) -> Archived:
    """Keep the bytes as received under their content hash; the raw file may be replaced later.

    The hash is of the bytes archived, and readers read the archived copy, so the rows loaded always
    come from the content the ledger names, even if a clerk replaces the file meanwhile. The path is
    kept relative to the warehouse folder, so that a warehouse folder copied elsewhere still finds
    its archive.
    """
    stat, data, digest = _received(path)
    target = archive_dir / digest[:16] / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # one staging copy a process: two workers may archive the same bytes under the same name at once
        staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with staging.open("wb") as handle:
            handle.write(data)
            _put_in_place(handle, staging, target)
    return Archived(
        digest, target, target.relative_to(archive_dir.parent.parent), stat.st_size, stat.st_mtime_ns
    )


@dataclass(frozen=True)
class Received:
    """A file's bytes as received, under the name the clerk gave it: what the readers of a packed source
    read (the same bytes that were hashed and packed, not the file in the landing folder, which a clerk
    may replace meanwhile). Readers use a file's name, suffix and bytes, as of a `Path`."""

    name: str
    data: bytes = field(repr=False)  # a log or an error names the file, not its megabytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    def read_bytes(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class Kept:
    """Where the archive already keeps the content the ledger has for a file: read again with that
    content (by a newer reader), the file is not archived again."""

    content_hash: str
    archived_path: str


@dataclass(frozen=True)
class Packed:
    """A file's bytes as received and where the archive keeps them."""

    source_file: str  # its path under the landing folder
    received: Received
    content_hash: str
    relative_path: str  # relative to the warehouse folder: archive/<kind>/packs/<pack>.zip/<hash>/<name>
    size: int
    modified_ns: int


PACKS = "packs"


def archive_packed(
    directory: Path,
    files: Sequence[tuple[str, Kept | None]],
    archive_dir: Path,
    read: Callable[[Packed], Result],
) -> list[Result]:
    """Read each file of `directory` once, hash it, add it to a new pack unless its content is `Kept`,
    and hand it to `read`, one file's bytes in memory at a time; the results of `read`, in order. The
    pack (a zip of stored members `<hash>/<name>`, under a name of its own) is on disk and in place
    before this returns, so the ledger, written from the results, only ever names a pack that exists; a
    pack no file needed is not kept."""
    folder = archive_dir / PACKS
    folder.mkdir(parents=True, exist_ok=True)
    pack = folder / f"{uuid.uuid4().hex[:16]}.zip"
    where = pack.relative_to(archive_dir.parent.parent).as_posix()
    staging = pack.with_name(f".{pack.name}.{os.getpid()}.tmp")
    results, members = [], set()
    try:
        with staging.open("wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as packing:
                for key, kept in files:
                    path = directory / key
                    stat, data, digest = _received(path)
                    if kept is not None and kept.content_hash == digest:
                        relative = kept.archived_path
                    else:
                        member = f"{digest[:16]}/{path.name}"
                        if member not in members:
                            packing.writestr(member, data)
                            members.add(member)
                        relative = f"{where}/{member}"
                    received = Received(path.name, data)
                    results.append(
                        read(Packed(key, received, digest, relative, stat.st_size, stat.st_mtime_ns))
                    )
            if members:
                _put_in_place(handle, staging, pack)
    finally:
        staging.unlink(missing_ok=True)
    return results

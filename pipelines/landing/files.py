"""The landing folders under `raw/`: what a clerk dropped there, and the archive that keeps it.

The archive keeps each content once, under its hash, as one of two things: a copy of its own
(`archive/<kind>/<hash>/<name>`: a source read a file at a time) or a member of a pack
(`archive/<kind>/packs/<pack>.zip/<hash>/<name>`: a source read many files at once, one pack for the
files a worker reads together, where a file and a folder each would cost the disk more than reading the
file; a zip file that Windows Explorer or any unzip tool opens as a folder). Either way the path is kept
relative to the warehouse folder."""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

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
        # one staging copy a process: two workers may archive the same bytes under the same name at once
        staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        staging.write_bytes(data)
        staging.replace(target)
    return Archived(
        digest, target, target.relative_to(archive_dir.parent.parent), stat.st_size, stat.st_mtime_ns
    )


@dataclass(frozen=True)
class Received:
    """A file's bytes as received, under the name the clerk gave it: what the readers of a packed source
    read (the same bytes that were hashed and packed, not the file in the landing folder, which a clerk
    may replace meanwhile). Readers use a file's name, suffix, stem and bytes, as of a `Path`."""

    name: str
    data: bytes = field(repr=False)  # a log or an error names the file, not its megabytes

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    def read_bytes(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class Kept:
    """Where the archive already keeps a content (from the ledger): a file read again with the same
    content, by a newer reader, is not archived twice."""

    content_hash: str
    archived_path: str


@dataclass(frozen=True)
class Packed:
    """A file's bytes as received and where the archive keeps them."""

    received: Received
    content_hash: str
    relative_path: str  # relative to the warehouse folder: archive/<kind>/packs/<pack>.zip/<hash>/<name>
    size: int
    modified_ns: int


PACKS = "packs"


def archive_packed(paths: Sequence[tuple[Path, Kept | None]], archive_dir: Path) -> list[Packed]:
    """Read each file once, hash it, and keep the contents the archive does not keep yet in one new pack
    (a zip of stored members `<hash>/<name>`, named after its members), written before this returns: the
    ledger can only name a pack that exists. A content `Kept` under the same hash is not packed again."""
    read = []
    for path, kept in paths:
        stat = path.stat()  # before reading: a file changed after this is read again next time
        data = path.read_bytes()
        read.append((path, kept, stat, data, content_hash(data)))
    members = {
        f"{digest[:16]}/{path.name}": data
        for path, kept, _, data, digest in read
        if kept is None or kept.content_hash != digest
    }
    pack = archive_dir / PACKS / f"{content_hash(''.join(sorted(members)).encode())[:16]}.zip"
    if members and not pack.exists():
        pack.parent.mkdir(parents=True, exist_ok=True)
        # one staging file a process: a chunk read again (a worker died) may be packed twice at once
        staging = pack.with_name(f".{pack.name}.{os.getpid()}.tmp")
        with zipfile.ZipFile(staging, "w", zipfile.ZIP_STORED) as packing:
            for member, data in members.items():
                packing.writestr(member, data)
        staging.replace(pack)
    warehouse_dir = archive_dir.parent.parent
    where = pack.relative_to(warehouse_dir).as_posix()
    return [
        Packed(
            Received(path.name, data),
            digest,
            kept.archived_path
            if kept is not None and kept.content_hash == digest
            else f"{where}/{digest[:16]}/{path.name}",
            stat.st_size,
            stat.st_mtime_ns,
        )
        for path, kept, stat, data, digest in read
    ]


def archived_bytes(warehouse_dir: Path, archived_path: str) -> bytes:
    """The bytes the archive keeps at `archived_path` (relative to `warehouse_dir`): a copy of their own,
    or a member of a pack."""
    pack, found, member = archived_path.partition(".zip/")
    if not found:
        return (warehouse_dir / archived_path).read_bytes()
    with zipfile.ZipFile(warehouse_dir / f"{pack}.zip") as packed:
        return packed.read(member)

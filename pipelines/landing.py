"""The landing zone `raw/`: what a clerk dropped there, and the archive that keeps it as received."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterable
from pathlib import Path


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def landed_files(directory: Path) -> dict[str, str]:
    """Path under `directory` → content hash, for every file dropped there (sub-folders included).

    Hidden files and a folder's README.md are not submissions.
    """
    if not directory.is_dir():
        return {}
    return {
        path.relative_to(directory).as_posix(): content_hash(path.read_bytes())
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not path.name.startswith(".") and path.name != "README.md"
    }


def archive(path: Path, digest: str, archive_dir: Path) -> Path:
    """Keep the bytes as received under their content hash; the raw file may be replaced later."""
    target = archive_dir / digest[:16] / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return target


def code_digest(files: Iterable[Path]) -> str:
    """A digest of the code and reference data that read a kind of file.

    Stored beside each loaded file, so that a file is read again when the reader or its reference
    data changes, without anyone dropping it again.
    """
    digest = hashlib.sha256()
    for source in sorted(files):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]

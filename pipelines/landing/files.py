"""The landing folders under `raw/`: what a clerk dropped there, and the archive that keeps it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def landed_files(directory: Path) -> dict[str, str]:
    """Path under `directory` → content hash, for every file dropped there (sub-folders included).

    Hidden files and a folder's README.md are not submissions.
    """
    if not directory.is_dir():
        return {}
    return {
        path.relative_to(directory).as_posix(): file_hash(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not path.name.startswith(".") and path.name != "README.md"
    }


def archive(path: Path, digest: str, archive_dir: Path) -> Path:
    """Keep the bytes as received under their content hash; the raw file may be replaced later.

    Returns the archived file's path relative to the warehouse folder (`archive/<kind>/<hash>/<name>`),
    so that a warehouse folder copied elsewhere still finds its archive.
    """
    target = archive_dir / digest[:16] / path.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(path, staging)
        staging.replace(target)
    return target.relative_to(archive_dir.parent.parent)

"""A digest of files, the same wherever they are: what the reader version, the warehouse's project
version and the forms written after every build take of the code (and data) that makes them."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digest_files(files: list[tuple[str, Path]]) -> str:
    """Digest of (name, file) pairs, in name order: the same files give the same digest anywhere."""
    digest = hashlib.sha256()
    for name, source in sorted(files):
        digest.update(name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def digest_folder(folder: Path, pattern: str = "*.py") -> str:
    """Digest of the files under `folder` matching `pattern`, named by their paths inside it."""
    return digest_files([(path.relative_to(folder).as_posix(), path) for path in folder.rglob(pattern)])

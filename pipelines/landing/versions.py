"""The reader version: a digest of the code and reference data that read a kind of file.

Stored beside each loaded file, so that a file is read again when its reader or the reference data
changes, without anyone dropping it again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from pipelines.settings import PACKAGE_DIR, seeds_dir

# every reader normalises and matches text against the seeds
_SHARED = ("text", "landing")


def digest_files(files: list[tuple[str, Path]]) -> str:
    """Digest of (name, file) pairs, in name order: the same files give the same digest anywhere."""
    digest = hashlib.sha256()
    for name, source in sorted(files):
        digest.update(name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


@cache
def reader_version(*parts: str) -> str:
    """Digest of the named modules or packages of `pipelines` (e.g. "plans", "workbooks.py"), the
    text matchers, the landing code and every seed."""
    seeds = seeds_dir()
    files = [(f"seeds/{path.name}", path) for path in seeds.glob("*.csv")]
    for part in (*parts, *_SHARED):
        target = PACKAGE_DIR / part
        for source in target.glob("*.py") if target.is_dir() else [target]:
            files.append((source.relative_to(PACKAGE_DIR.parent).as_posix(), source))
    return digest_files(files)

"""The reader version: a digest of the code and reference data that read a kind of file.

Stored beside each loaded file, so that a file is read again when its reader or the reference data
changes, without anyone dropping it again.
"""

from __future__ import annotations

import hashlib
from functools import cache

from pipelines.settings import PACKAGE_DIR, SEEDS_DIR

# every reader normalises and matches text against the seeds
_SHARED = ("text", "landing")


@cache
def reader_version(*parts: str) -> str:
    """Digest of the named modules or packages of `pipelines` (e.g. "plans", "workbooks.py"), the
    text matchers, the landing code and every seed."""
    files = [SEEDS_DIR.glob("*.csv")]
    for part in (*parts, *_SHARED):
        target = PACKAGE_DIR / part
        files.append(target.glob("*.py") if target.is_dir() else [target])
    digest = hashlib.sha256()
    for source in sorted(path for group in files for path in group):
        digest.update(source.relative_to(PACKAGE_DIR.parent).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]

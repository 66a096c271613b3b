"""A form written after every build (the chase list) is laid out again only when what it shows changed.

Beside the form, a hidden file (`.<name>.digest`) keeps the digest of what it was written from (its
content, and the code of every form, so that a change to a layout writes it again) with the inode, size
and time of the file then written. A form is left as it is when its content digest is the same and the file
is the one written: a form someone edited, replaced or removed since is written again.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from pipelines.code_digest import digest_folder

_FORMS = Path(__file__).parent


@cache
def _forms_code() -> str:
    return digest_folder(_FORMS)


def content_digest(content: object) -> str:
    """The digest of a form holding `content` (its `repr`: strings, numbers, dates, tuples and lists of
    them), as this code lays it out."""
    return hashlib.sha256(f"{_forms_code()} {content!r}".encode()).hexdigest()[:32]


def _record_path(form: Path) -> Path:
    return form.with_name(f".{form.name}.digest")


def _state(form: Path, digest: str) -> dict[str, object]:
    written = form.stat()
    return {
        "digest": digest,
        "file": written.st_ino,
        "size": written.st_size,
        "modified_ns": written.st_mtime_ns,
    }


def is_current(form: Path, digest: str) -> bool:
    """Whether the file at `form` is the one written for `digest`, untouched since."""
    try:
        recorded = json.loads(_record_path(form).read_text(encoding="utf-8"))
        return recorded == _state(form, digest)
    except (OSError, ValueError):
        return False


def note_written(form: Path, digest: str) -> None:
    """Keep, beside the form just written, what it was written from."""
    record = _record_path(form)
    staging = record.with_name(f"{record.name}.{os.getpid()}.tmp")
    staging.write_text(json.dumps(_state(form, digest)), encoding="utf-8")
    os.replace(staging, record)

"""A workbook's content digest: of what it was written from and of the code that lays forms out, kept
in its document properties (`cchc_content_digest`), so that a form written after every build (the chase
list) is not laid out again when neither changed. The file then keeps the time it says it was made at,
when its rows were the ones they still are; Excel keeps the property when a person saves the file.
"""

from __future__ import annotations

import hashlib
import zipfile
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty

PROPERTY = "cchc_content_digest"
_CUSTOM_PART = "docProps/custom.xml"
_FORMS = Path(__file__).parent


@cache
def _forms_code() -> bytes:
    """A digest of every module of this package: a change to how any form is laid out writes it again."""
    digest = hashlib.sha256()
    for path in sorted(_FORMS.rglob("*.py")):
        digest.update(path.relative_to(_FORMS).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.digest()


def content_digest(content: object) -> str:
    """The digest of a form holding `content` (its `repr`: strings, numbers, dates, tuples and lists of
    them), as this code lays it out."""
    return hashlib.sha256(_forms_code() + repr(content).encode()).hexdigest()[:32]


def mark(workbook: Workbook, digest: str) -> None:
    """Keep `digest` in the workbook's document properties."""
    workbook.custom_doc_props.append(StringProperty(name=PROPERTY, value=digest))


def digest_of(path: Path) -> str | None:
    """The digest the workbook at `path` was written with; None when there is none or it cannot be read
    (no such file, not a workbook)."""
    try:
        with zipfile.ZipFile(path) as archive:
            properties = ElementTree.fromstring(archive.read(_CUSTOM_PART))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    for prop in properties:
        if prop.get("name") == PROPERTY and len(prop):
            return prop[0].text
    return None

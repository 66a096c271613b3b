"""Reading the archive back, as a person would: a copy of its own, or a member of a pack opened as a zip."""

import zipfile
from pathlib import Path


def archived_bytes(warehouse_dir: Path, archived_path: str) -> bytes:
    """The bytes the archive keeps at `archived_path` (relative to `warehouse_dir`)."""
    pack, found, member = archived_path.partition(".zip/")
    if not found:
        return (warehouse_dir / archived_path).read_bytes()
    with zipfile.ZipFile(warehouse_dir / f"{pack}.zip") as packed:
        return packed.read(member)

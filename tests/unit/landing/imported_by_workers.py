"""A module the workers of test_workers import as they start: each importing process leaves a file
named by its process id in a folder of the machine's temp directory."""

import os
import tempfile
from pathlib import Path

FOLDER = Path(tempfile.gettempdir()) / "cchc-imported-by-workers"
FOLDER.mkdir(exist_ok=True)
(FOLDER / str(os.getpid())).touch()


def importers() -> list[int]:
    return [int(path.name) for path in FOLDER.iterdir()]

"""dbt's documentation site as one file that opens from disk without the internet.

`dbt docs generate` writes a page that fetches manifest.json and catalog.json next to it, which a
browser refuses for a page opened from disk; `--static` embeds both. The catalog is read from a copy of
the published warehouse, so the writer's lock is never needed and the site describes what BI tools see.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from pipelines.settings import Settings
from pipelines.warehouse.project import dbt_resource, in_warehouse


def write_dbt_docs(settings: Settings) -> Path:
    """Generate the static dbt docs of the published warehouse into warehouse/dbt_docs/index.html."""
    target = settings.warehouse_dir / "dbt_docs" / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.warehouse_dir) as scratch:
        copy = Path(scratch) / settings.published_path.name  # the catalog names the published copy
        shutil.copyfile(settings.published_path, copy)
        dbt_resource().cli(
            ["docs", "generate", "--static", "--quiet", *in_warehouse(copy)],
            target_path=Path(scratch) / "target",
        ).wait()
        staging = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(Path(scratch) / "target" / "static_index.html", staging)
        staging.replace(target)
    return target

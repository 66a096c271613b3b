"""The GX data context: a file context under the warehouse folder (git-ignored, rebuilt at will), whose
validation results accumulate there and whose Data Docs site is `warehouse/data_docs/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.quality.offline_docs import make_site_offline

if TYPE_CHECKING:
    from great_expectations.data_context import FileDataContext

SITE = "local_site"


def data_docs_dir(warehouse_dir: Path) -> Path:
    return warehouse_dir / "data_docs"


def data_docs_index(warehouse_dir: Path) -> Path:
    """The page an engineer opens to browse the latest validations."""
    return data_docs_dir(warehouse_dir) / "index.html"


def context_data_docs_dir(context: FileDataContext) -> Path:
    """The Data Docs folder of a context made by quality_context (its root is `<warehouse>/gx`)."""
    return data_docs_dir(Path(context.root_directory).parent)


@cache
def quality_context(warehouse_dir: Path) -> FileDataContext:
    """The context of a warehouse folder, made once per process: every suite of a run and the Data Docs
    build share it (a file context takes about a second to load). GX is imported here, not at the top:
    it takes two seconds, which every process loading the definitions (a `cchc` command, the UI, a run
    launched by a sensor) would pay whether or not it validates anything."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=warehouse_dir)
    if context.variables.config_variables_file_path:
        # no config variables (the context names no secret): GX reads and parses their YAML file on
        # every look at its settings, some 30 times a suite (a quarter of a validation); a new context
        # is made with the file, so it is unnamed once and the context loaded again without it
        context.variables.config_variables_file_path = None
        context.variables.save()
        context = gx.get_context(mode="file", project_root_dir=warehouse_dir)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(data_docs_dir(warehouse_dir)),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    if SITE in context.get_site_names():
        context.update_data_docs_site(SITE, site)
    else:
        context.add_data_docs_site(SITE, site)
    return context


def build_data_docs(warehouse_dir: Path) -> Path:
    """Render the Data Docs site from the validations the suites stored, made to open without the
    internet (offline_docs.py); returns its index page."""
    quality_context(warehouse_dir).build_data_docs(site_names=[SITE])
    make_site_offline(data_docs_dir(warehouse_dir))
    return data_docs_index(warehouse_dir)

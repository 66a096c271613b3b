"""The house: imports go downward only, every source is one object of one list that the definitions read,
spreadsheets are written in `forms` alone, and a reader's version covers every module it imports.

settings → text → landing → formats, forms → sources → warehouse → quality, extracts → orchestration →
definitions, the benchmark and the command. A module that reached back up would tie the layers in a knot.
"""

import ast
import subprocess
import sys
from pathlib import Path

from pipelines.settings import PACKAGE_DIR

# each layer, and the layers it may import from (besides itself)
LAYERS = {
    "settings": set(),
    "crashpoints": set(),
    "text": {"settings"},
    "landing": {"settings", "text", "crashpoints"},
    "formats": {"settings", "text", "landing"},
    "forms": {"settings", "text"},
    "sources": {"settings", "text", "landing", "formats", "forms"},
    "warehouse": {"settings", "landing", "crashpoints"},
    "quality": {"settings"},
    "extracts": {"settings", "text", "forms", "warehouse"},
    "orchestration": {"settings", "text", "landing", "sources", "warehouse"},
}
# the top, which may import anything
TOPS = {"__init__", "definitions", "cli", "bench"}


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE_DIR).parts[0].removesuffix(".py")


def _imported(path: Path) -> set[str]:
    """The modules of `pipelines` (and third-party top-level names) a file imports, at any depth."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def _imported_layers(path: Path) -> set[str]:
    return {name.split(".")[1] for name in _imported(path) if name.startswith("pipelines.")}


def test_no_module_imports_a_layer_above_it():
    wrong = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        layer = _layer(path)
        if layer in TOPS:
            continue
        above = _imported_layers(path) - LAYERS[layer] - {layer}
        if above:
            wrong[str(path.relative_to(PACKAGE_DIR))] = sorted(above)
    assert wrong == {}


def test_every_layer_is_listed():
    assert {_layer(path) for path in PACKAGE_DIR.rglob("*.py")} == set(LAYERS) | TOPS


def test_no_source_package_is_named_outside_its_own_but_by_the_list_of_sources():
    """definitions, the sensors, runs and the summary reach the sources through SOURCES only: a new source
    is a package and one line of sources/registry.py."""
    naming = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        inside = path.relative_to(PACKAGE_DIR).parts
        if inside[0] in {"sources", "cli.py", "bench"}:
            continue  # the registry, the sources; the command's parse-plan/parse-index, the benchmark
        named = {name for name in _imported(path) if name.startswith("pipelines.sources.")}
        if named - {"pipelines.sources.registry", "pipelines.sources.registry.SOURCES"}:
            naming[str(path.relative_to(PACKAGE_DIR))] = sorted(named)
    assert naming == {}


def test_definitions_are_built_from_the_list_of_sources():
    from pipelines.definitions import defs
    from pipelines.sources.registry import SOURCES

    graph = defs.resolve_asset_graph()
    for source in SOURCES:
        assert source.ledger.key(source.ledger.files_table) in graph.get_all_asset_keys()
        assert defs.resolve_job_def(f"ingest_{source.name}").partitions_def == source.partitions
        assert defs.resolve_sensor_def(f"{source.noun}_files_sensor")
    raw_groups = {key.path[0] for key in graph.get_all_asset_keys() if key.path[0].startswith("raw_")}
    assert raw_groups == {source.ledger.schema for source in SOURCES}


def test_spreadsheets_are_written_in_forms_alone():
    """openpyxl (or any workbook writer) outside `forms` is allowed only to read, in `formats`."""
    writers = {"openpyxl", "xlsxwriter"}
    found = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        layer = _layer(path)
        imports = {name.split(".")[0] for name in _imported(path)}
        if layer != "forms" and imports & writers:
            text = path.read_text(encoding="utf-8")
            writes = ".save(" in text or "openpyxl.Workbook(" in text or "import Workbook" in text
            if layer != "formats" or writes:
                found[str(path.relative_to(PACKAGE_DIR))] = sorted(imports & writers)
    assert found == {}


def test_a_reader_version_covers_every_module_the_reader_loads():
    """Imported for real in a fresh interpreter: every module of `pipelines` the reader's import brings
    in is in the digest of its version."""
    from pipelines.landing.versions import imported_modules
    from pipelines.sources.registry import SOURCES

    for source in SOURCES:
        loaded = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import sys, {source.reader}; "
                "print('\\n'.join(m for m in sys.modules if m.split('.')[0] == 'pipelines'))",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        assert set(loaded) - imported_modules(source.reader) == set(), source.name
        assert loaded
    reports = next(source for source in SOURCES if source.name == "reports")
    assert "pipelines.formats.xlsx" in imported_modules(reports.reader)

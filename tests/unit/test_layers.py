"""The house: imports go downward only, every source is one object of one list that the definitions read,
spreadsheets are written in `forms` alone, and a reader's version covers every module it imports.

settings, crashpoints, mail, children, code_digest (sockets), startup → text → landing → formats, forms
→ sources; landing → warehouse → quality, extracts; sources and warehouse → orchestration → definitions,
the benchmark and the command (children: what the readers' processes share; sockets: how a run reaches
the quality and dbt servers; startup: how a process imports). LAYERS lists exactly the layers each may
import: a module that reached back up would tie them in a knot.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.settings import PACKAGE_DIR

pytestmark = pytest.mark.long  # queued first (tests/integration/conftest.py)

# each layer, and the layers it may import from (besides itself)
LAYERS = {
    "settings": set(),
    "crashpoints": set(),
    "mail": set(),
    "children": set(),
    "code_digest": set(),
    "startup": set(),
    "sockets": {"code_digest"},
    "text": {"settings"},
    "landing": {"settings", "crashpoints", "children", "code_digest"},
    "formats": {"text", "landing"},
    "forms": {"code_digest"},
    "sources": {"settings", "text", "landing", "formats", "forms"},
    "warehouse": {"settings", "landing", "crashpoints", "code_digest", "sockets", "startup"},
    "quality": {"settings", "warehouse", "sockets", "startup"},
    "extracts": {"settings", "mail", "forms", "warehouse"},
    "orchestration": {"settings", "mail", "text", "landing", "sources", "warehouse"},
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
        if inside[0] in {"sources", "cli.py"}:
            continue  # the registry and the sources; the command's parse-plan and parse-index
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


# Modules with no unit test file of their own yet, with the test that covers them today (None: none
# does). A ratchet: a new module comes with tests/unit/<package>/test_<module>.py; this list only shrinks.
WITHOUT_A_TEST_FILE: dict[str, str | None] = {
    "bench/demo": "integration/test_report_cli.py",
    "bench/layouts": "unit/formats/test_pdf.py",
    "bench/roster": "unit/bench/test_workload.py",
    "bench/run": "integration/test_bench.py",
    "bench/scans": "unit/formats/test_scans.py",
    "crashpoints": "integration/test_crashes.py",
    "extracts/assets": "integration/test_warehouse.py",
    "extracts/chase": "integration/test_chase_list.py",
    "extracts/data": "integration/test_target_progress.py",
    "extracts/export": "integration/test_target_progress.py",
    "extracts/report_form": "integration/test_report_cli.py",
    "formats/blocks": "unit/formats/test_documents.py",
    "formats/pdf_grid": "unit/formats/test_pdf.py",
    "formats/pdf_text": "unit/formats/test_pdf.py",
    "forms/extract/content": "integration/test_target_progress.py",
    "forms/extract/native_charts": "integration/test_target_progress.py",
    "forms/extract/provinces_sheet": "integration/test_target_progress.py",
    "forms/extract/sheet": "integration/test_target_progress.py",
    "forms/extract/summary_sheet": "integration/test_target_progress.py",
    "forms/extract/targets_sheets": "integration/test_target_progress.py",
    "forms/extract/trend_sheets": "integration/test_target_progress.py",
    "forms/extract/workbook": "integration/test_target_progress.py",
    "forms/report/fill": "unit/sources/reports/test_read.py",
    "forms/report/layout": "unit/sources/reports/test_read.py",
    "forms/report/stamp": "unit/bench/test_workload.py",
    "forms/report/template": "unit/sources/reports/test_read.py",
    "landing/files": "unit/landing/test_ledger.py",
    "landing/tables": "unit/landing/test_ledger.py",
    "orchestration/progress": "unit/orchestration/test_runs.py",
    "quality/checks": "integration/test_quality.py",
    "quality/offline_docs": "integration/test_offline_docs.py",
    "sources/indices/assets": "integration/test_index_ingestion.py",
    "sources/indices/catalog": "unit/sources/indices/test_workbook_layouts.py",
    "sources/indices/load": "integration/test_index_ingestion.py",
    "sources/indices/parse": "unit/test_cli_parse_index.py",
    "sources/indices/scores": "unit/sources/indices/test_workbook_layouts.py",
    "sources/plans/load": "integration/test_plan_ingestion.py",
    "sources/plans/metadata": "unit/sources/plans/test_parse_seeds.py",
    "sources/registry": "unit/test_layers.py",
    "text/indicators": "unit/sources/plans/test_targets.py",
    "text/reference": "unit/text/test_agencies.py",
    "warehouse/dbt_assets": "unit/test_settings.py",
    "warehouse/digest": "integration/test_same_figures.py",
    "warehouse/docs": "integration/test_offline_docs.py",
    "warehouse/publish": "integration/test_warehouse.py",
    "warehouse/quarantine": "integration/test_bad_inputs.py",
    "warehouse/summary": "integration/test_bad_inputs.py",
}
TESTS_DIR = Path(__file__).resolve().parents[1]


def _module(path: Path) -> str:
    return path.relative_to(PACKAGE_DIR).with_suffix("").as_posix()


def _test_files(module: str) -> list[Path]:
    """tests/unit/<package>/test_<module>.py, or test_<module>_<topic>.py for a module tested by topic."""
    folder, _, name = module.rpartition("/")
    here = TESTS_DIR / "unit" / folder
    return sorted(here.glob(f"test_{name}.py")) + sorted(here.glob(f"test_{name}_*.py"))


def test_every_module_has_a_test_file_beside_its_place():
    modules = [_module(path) for path in sorted(PACKAGE_DIR.rglob("*.py")) if path.name != "__init__.py"]
    untested = [module for module in modules if not _test_files(module) and module not in WITHOUT_A_TEST_FILE]
    assert untested == []
    # the ratchet holds only modules still without a file, and names a test that exists
    assert [module for module in WITHOUT_A_TEST_FILE if _test_files(module)] == []
    assert [module for module in WITHOUT_A_TEST_FILE if module not in modules] == []
    named = [test for test in WITHOUT_A_TEST_FILE.values() if test]
    assert [test for test in named if not (TESTS_DIR / test).is_file()] == []

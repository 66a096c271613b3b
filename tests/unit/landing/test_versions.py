"""The reader version's code is found from imports read as text: every form of import the project
writes, and for every module of the project the same modules Python's own parser finds."""

import ast

from pipelines.landing.versions import _imports, code_files
from pipelines.settings import PACKAGE_DIR


def test_every_form_of_import_is_found(tmp_path):
    source = tmp_path / "module.py"
    source.write_text(
        '"""Docs."""\n'
        "import os, pipelines.text.numbers as numbers\n"
        "from pipelines.settings import Settings  # noqa: F401\n"
        "from pipelines.formats import (\n"
        "    workbooks,  # the reader (of workbooks)\n"
        "    xlsx as package,\n"
        ")\n"
        "\n"
        "def read():\n"
        "    from pipelines.text.periods import period_due_before\n"
        "    import pipelines.mail\n"
        "from pipelines.nowhere import nothing\n",
        encoding="utf-8",
    )
    assert _imports(source) == {
        "pipelines.text.numbers",
        "pipelines.settings",
        "pipelines.formats",
        "pipelines.formats.workbooks",
        "pipelines.formats.xlsx",
        "pipelines.text.periods",
        "pipelines.mail",
    }


def _parsed_imports(path):
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            # a relative import would name its module by the file's place: the project writes none
            assert node.level == 0, f"{path}: a relative import"
            found |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return found


def test_each_module_of_the_project_imports_at_least_what_the_parser_says():
    modules = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(modules) > 100
    missed = {}
    for path in modules:
        # of what the parser finds, the project's modules (not its functions and classes); an import
        # line in a string may add one more, which only widens a digest
        parsed = {
            name for name in _parsed_imports(path) if name.split(".")[0] == "pipelines" and _is_module(name)
        }
        if parsed - _imports(path):
            missed[str(path.relative_to(PACKAGE_DIR))] = sorted(parsed - _imports(path))
    assert missed == {}


def _is_module(name):
    base = PACKAGE_DIR.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def test_the_reader_version_takes_the_c_source_of_a_compiled_module_the_reader_imports():
    files = dict(code_files("pipelines.sources.reports.assets"))
    assert files["pipelines/formats/_sheet_xml.c"] == PACKAGE_DIR / "formats" / "_sheet_xml.c"
    assert "pipelines/formats/workbooks.py" in files

"""Imports go downward only: settings → landing and text → the sources → warehouse → quality and
extracts → definitions, runs, the benchmark and the command.
A module that reached back up would tie the layers in a knot."""

import ast
from pathlib import Path

from pipelines.settings import PACKAGE_DIR

# each layer, and the layers it may import from (besides itself and those below them)
LAYERS = {
    "settings": set(),
    "resources": set(),
    "text": {"settings"},
    "xlsx": set(),
    "crashpoints": set(),
    "recovery": {"settings", "resources"},
    "workbooks": {"settings", "text", "xlsx"},
    "landing": {"settings", "resources", "text", "crashpoints"},
    "plans": {"settings", "resources", "text", "landing"},
    "reports": {"settings", "resources", "text", "landing", "workbooks"},
    "indices": {"settings", "resources", "text", "landing", "workbooks"},
    "warehouse": {"settings", "resources", "landing", "crashpoints"},
    "quality": {"settings", "resources"},
    "extracts": {"settings", "resources", "text", "warehouse"},
}


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE_DIR).parts[0].removesuffix(".py")


def _imported_layers(path: Path) -> set[str]:
    layers = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        layers |= {name.split(".")[1] for name in names if name.startswith("pipelines.")}
    return layers


def test_no_module_imports_a_layer_above_it():
    wrong = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        layer = _layer(path)
        if layer not in LAYERS:
            continue  # definitions, runs, cli, progress: the top, which may import anything
        above = _imported_layers(path) - LAYERS[layer] - {layer}
        if above:
            wrong[str(path.relative_to(PACKAGE_DIR))] = sorted(above)
    assert wrong == {}


def test_every_layer_is_listed():
    tops = {"__init__", "definitions", "automation", "alerts", "runs", "cli", "progress", "bench"}
    assert {_layer(path) for path in PACKAGE_DIR.rglob("*.py")} - tops == set(LAYERS)

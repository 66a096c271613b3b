"""The reader version: a digest of the code and reference data that read a kind of file.

Stored beside each loaded file, so that a file is read again when its reader or the reference data
changes, without anyone dropping it again. The code is found from the reader's own imports, so a module
added to a reader later cannot be left out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pipelines.code_digest import digest_files
from pipelines.settings import PACKAGE_DIR, seeds_dir

_ROOT = PACKAGE_DIR.name  # "pipelines"


def module_file(module: str) -> Path | None:
    """The file of a module of `pipelines` (a package's __init__.py, a compiled module's C source), or
    None when there is none."""
    base = PACKAGE_DIR.parent / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py", base.with_suffix(".c")):
        if candidate.is_file():
            return candidate
    return None


# `import a.b as c, d`, `from a.b import c, d` and `from a.b import (c,  # note\n d)`, at any indentation
# (a function's own imports too). Read as text, not parsed: parsing every module cost 0.3 s of every run's
# planning; a line in a string that reads as an import only adds a file to the digest.
_IMPORT = re.compile(
    r"^[ \t]*(?:import[ \t]+([\w., \t]+)|from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*))",
    re.MULTILINE,
)
_COMMENT = re.compile(r"#[^\n]*")


def _imports(path: Path) -> set[str]:
    """The modules of `pipelines` a file names in an import, at any depth (a function's own too)."""
    found: set[str] = set()
    # comments out first: a ")" in one would end a parenthesised list early
    for names, module, imported in _IMPORT.findall(_COMMENT.sub("", path.read_text(encoding="utf-8"))):
        if names:
            found |= {name.split(" as ")[0].strip() for name in names.split(",")}
            continue
        found.add(module)
        listed = imported.strip().strip("()").split(",")
        found |= {f"{module}.{name.split(' as ')[0].strip()}" for name in listed if name.strip()}
    return {name for name in found if name.split(".")[0] == _ROOT and module_file(name)}


def _packages_above(module: str) -> set[str]:
    """The packages Python runs before a module: `pipelines.text` for `pipelines.text.numbers`."""
    parts = module.split(".")
    return {".".join(parts[:depth]) for depth in range(1, len(parts))}


@cache
def imported_modules(*roots: str) -> frozenset[str]:
    """`roots` and every module of `pipelines` they import, directly or through one another, with the
    packages above each (their __init__ runs too)."""
    seen: set[str] = set()
    todo = [root for root in roots if module_file(root)]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += (_imports(module_file(module)) | _packages_above(module)) - seen  # type: ignore[arg-type]
    return frozenset(seen)


def code_files(*roots: str) -> list[tuple[str, Path]]:
    """(path from the project root, file) of every module `roots` import."""
    files = [module_file(module) for module in imported_modules(*roots)]
    return [(path.relative_to(PACKAGE_DIR.parent).as_posix(), path) for path in files if path]


@cache
def reader_version(reader: str) -> str:
    """Digest of the reader module, every module of `pipelines` it imports, and every seed (readers
    normalise and match text against them)."""
    seeds = seeds_dir()
    files = [(f"seeds/{path.name}", path) for path in seeds.glob("*.csv")]
    return digest_files(files + code_files(reader))

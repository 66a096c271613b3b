"""imports_uncollected: the collector off for a process's imports, on again after (also after an error),
with what was imported frozen; a block inside another leaves the ending to the outer one. In a Python
of its own each: the pytest worker's collector is left as it is."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import gc
from pipelines.startup import imports_uncollected

def states():
    return gc.isenabled(), gc.get_freeze_count()

before = states()
with imports_uncollected():
    inside = states()
    made = [[n] for n in range(5000)]  # what an import leaves (containers the collector tracks)
after = states()
# the collector's own list of what it walks leaves out the frozen
walked = {id(thing) for thing in gc.get_objects()}
frozen = not any(id(thing) in walked for thing in made)
"""


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE + code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_collector_is_off_inside_and_on_after_with_what_was_made_frozen():
    printed = _run("print(before[0], inside[0], after[0], after[1] - before[1] >= 5000, frozen)")
    assert printed == "True False True True True"


def test_an_import_that_fails_leaves_the_collector_on():
    printed = _run(
        "try:\n"
        "    with imports_uncollected():\n"
        "        import a_module_nobody_installed\n"
        "except ImportError:\n"
        "    print(gc.isenabled())"
    )
    assert printed == "True"


def test_a_block_inside_another_leaves_the_collector_off_until_the_outer_one_ends():
    printed = _run(
        "with imports_uncollected():\n"
        "    with imports_uncollected():\n"
        "        pass\n"
        "    print(gc.isenabled())\n"
        "print(gc.isenabled())"
    )
    assert printed.split() == ["False", "True"]

"""`cchc bench events`: the cost of storing an event, measured on SQLite and on a real PostgreSQL server
started for it and removed after."""

import json
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli import app


def test_both_storages_are_timed_and_the_server_leaves_nothing_behind():
    before = set(Path(tempfile.gettempdir()).glob("cchc-bench-events-*"))
    done = CliRunner().invoke(app, ["bench", "events", "--events", "20", "--json"])
    assert done.exit_code == 0, done.output
    figures = json.loads(done.stdout)
    assert figures["events"] == 20
    assert figures["sqlite_ms_per_event"] > 0 and figures["postgres_ms_per_event"] > 0
    assert set(Path(tempfile.gettempdir()).glob("cchc-bench-events-*")) == before

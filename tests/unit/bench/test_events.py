"""`cchc bench events`: the cost of storing an event, measured on SQLite and on a real PostgreSQL server
started for it and removed after."""

import json
import shutil
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli import app


def test_both_storages_are_timed_and_the_server_leaves_nothing_behind(monkeypatch):
    scratch = Path(tempfile.mkdtemp(prefix="cchc-test-events-"))
    scratch.chmod(0o755)  # the postgres user enters it when root starts the cluster
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the command makes its folders
    try:
        done = CliRunner().invoke(app, ["bench", "events", "--events", "20", "--json"])
        assert done.exit_code == 0, done.output
        figures = json.loads(done.stdout)
        assert figures["events"] == 20
        assert figures["sqlite_ms_per_event"] > 0 and figures["postgres_ms_per_event"] > 0
        assert list(scratch.iterdir()) == []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

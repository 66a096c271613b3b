"""dbt's unit tests test the models' SQL on fixed rows, not the data: the pipeline's builds leave them
out (they cost every build seconds and can never fail on new data), so they run here, every one."""

from __future__ import annotations

import json
import re
import subprocess

from pipelines.settings import DBT_PROJECT_DIR
from pipelines.warehouse.project import DBT_EXECUTABLE, dbt_project, in_warehouse


def test_every_dbt_unit_test_passes_against_the_warehouse(fork, tmp_path):
    manifest = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))
    expected = len(manifest["unit_tests"])
    assert expected >= 10
    done = subprocess.run(
        [
            DBT_EXECUTABLE,
            "test",
            "--select",
            "test_type:unit",
            "--target-path",
            str(tmp_path),
            *in_warehouse(fork.warehouse_path),
        ],
        cwd=DBT_PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    summary = re.search(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+)", done.stdout)
    assert summary is not None, done.stdout[-2000:]
    assert summary.groups() == (str(expected), "0", "0")

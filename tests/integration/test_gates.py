"""When a quality gate blocks the build (a platform invariant broke, not a clerk's file), `cchc run` exits
non-zero, BI tools keep the last good published copy, and the clerks whose files were refused in the
same run still learn why: the quarantine list is published apart."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.settings import PROJECT_ROOT, SEEDS_ENV, linked_seeds, seeds_dir
from tests.integration.conftest import plan_text

PLAN_STATUSES = "select source_file, document_status from main.plan_documents order by 1"


def test_a_blocked_gate_keeps_the_last_good_copy_and_still_publishes_the_quarantine(fork, tmp_path):
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        before = conn.execute(PLAN_STATUSES).fetchall()
    # the reference data breaks (an agency pasted twice into the catalogue): dbt's key test blocks
    seeds = tmp_path / "seeds"
    shutil.copytree(seeds_dir(), seeds)
    agencies = (seeds / "agencies.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (seeds / "agencies.csv").write_text("".join([*agencies, agencies[1]]), encoding="utf-8")
    # and, in the same run, a clerk's plan is refused
    (fork.plans_dir / "khong-linh-vuc.md").write_text(plan_text(960, areas=False), encoding="utf-8")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "cchc"), "run"],
        # the warehouse's and raw/'s paths: from the fixture's environment
        env={**os.environ, "DAGSTER_HOME": str(home), SEEDS_ENV: linked_seeds(seeds)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 1, done.stdout[-3000:]
    log = (fork.logs_dir / "cchc-run.log").read_text(encoding="utf-8")
    assert "column_checks_stg_reference__agencies" in log  # the gate that blocked, in the run's log
    # and in what `cchc run` prints: of its 3 rules (agency_version_key and agency_key present, the
    # first unique), the version pasted twice is 1 key found twice
    blocked = (
        "dbt tests of staging/stg_reference__agencies: 3 run, 1 failed: unique(agency_version_key) (1 row)."
    )
    assert f"Failed: {blocked}" in done.stdout.splitlines()
    assert f"BI tools keep the last good copy ({fork.published_path.name})" in done.stderr
    reason = "2 nhiệm vụ của bảng phụ lục không nằm dưới dòng tiêu đề lĩnh vực nào"
    assert f"khong-linh-vuc.md: {reason}" in done.stdout

    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        assert conn.execute(PLAN_STATUSES).fetchall() == before
    with duckdb.connect(str(fork.quarantine_path), read_only=True) as conn:
        (quarantined,) = conn.execute(
            "select reason from quarantined_files"
            " where source = 'plans' and source_file = 'khong-linh-vuc.md'"
        ).fetchone()
    assert reason in quarantined

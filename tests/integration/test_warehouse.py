"""The built warehouse, read the way BI tools and later pipeline stages read it."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import msgpack

from pipelines.orchestration.runs import pending_work
from pipelines.settings import DBT_PROJECT_DIR, PROJECT_ROOT, Settings
from pipelines.text.agencies import Status, resolve_agency
from pipelines.text.periods import parse_period
from pipelines.warehouse.digest import table_digests
from pipelines.warehouse.project import PARTIAL_PARSE
from tests.integration.conftest import BI_VIEWS


def cutoff_window(conn, label):
    return conn.execute(
        "select cutoff_start_on, cutoff_end_on from dim_period where period_key = ?", [parse_period(label)]
    ).fetchone()


def test_period_labels_resolve_to_their_cutoff_windows(published):
    assert cutoff_window(published, "Quý III/2024") == (date(2024, 6, 15), date(2024, 9, 14))
    assert cutoff_window(published, "6 tháng đầu năm 2024") == (date(2023, 12, 15), date(2024, 6, 14))
    assert cutoff_window(published, "Quý I/2024") == (date(2023, 12, 15), date(2024, 3, 14))
    assert cutoff_window(published, "Năm 2024") == (date(2023, 12, 15), date(2024, 12, 14))


def test_dim_period_covers_every_statutory_period_2016_to_2035(published):
    rows = published.execute(
        "select report_year, count(*), min(report_due_on), max(report_due_on) from dim_period "
        "group by report_year order by report_year"
    ).fetchall()
    assert [row[0] for row in rows] == list(range(2016, 2036))
    assert all(row[1] == 4 for row in rows)
    assert rows[0][2:] == (date(2016, 3, 20), date(2016, 12, 20))


AGENCY_ON = """
    select alias.agency_key, agency.current_agency_key
    from dim_agency_alias as alias
    inner join dim_agency as agency on agency.agency_key = alias.agency_key
    where alias.agency_alias = ? and alias.province_code = ?
      and ? between agency.valid_from_on and coalesce(agency.valid_to_on, date '9999-12-31')
"""
CARRIED_ON = """
    select distinct agency.current_agency_key
    from dim_agency_alias as alias
    inner join dim_agency as agency on agency.agency_key = alias.agency_key
    where alias.agency_alias = ? and alias.province_code = ?
"""


def test_sở_tt_tt_is_its_own_agency_in_2024_and_its_successor_in_2026(published):
    in_2024 = published.execute(AGENCY_ON, ["Sở TT&TT", "dong_nai", date(2024, 6, 30)]).fetchall()
    assert in_2024 == [("dong_nai.so_thong_tin_truyen_thong", "dong_nai.so_khoa_hoc_cong_nghe")]
    assert published.execute(AGENCY_ON, ["Sở TT&TT", "dong_nai", date(2026, 6, 30)]).fetchall() == []

    (carrier,) = published.execute(CARRIED_ON, ["Sở TT&TT", "dong_nai"]).fetchone()
    valid_2026 = published.execute(
        "select agency_name_vi from dim_agency where agency_key = ? and valid_from_on <= ? "
        "and coalesce(valid_to_on, date '9999-12-31') >= ?",
        [carrier, date(2026, 6, 30), date(2026, 6, 30)],
    ).fetchall()
    assert valid_2026 == [("Sở Khoa học và Công nghệ tỉnh Đồng Nai",)]

    # the Python resolver the parsers use agrees with the warehouse
    assert resolve_agency("Sở TT&TT", province="dong_nai", on=date(2024, 6, 30)).agency_key == in_2024[0][0]
    later = resolve_agency("Sở TT&TT", province="dong_nai", on=date(2026, 6, 30))
    assert (later.status, later.agency_key) == (Status.SUCCESSOR, carrier)


def test_reorganisation_is_history_not_an_overwrite(published):
    chon_thanh = published.execute(
        "select agency_name_vi, agency_level, valid_from_on, valid_to_on, current_agency_key from dim_agency "
        "where agency_key = 'binh_phuoc.ubnd_chon_thanh' order by valid_from_on"
    ).fetchall()
    assert chon_thanh == [
        (
            "Ủy ban nhân dân huyện Chơn Thành",
            "district",
            date(2016, 1, 1),
            date(2022, 1, 31),
            "dong_nai.ubnd_phuong_chon_thanh",
        ),
        (
            "Ủy ban nhân dân thị xã Chơn Thành",
            "district",
            date(2022, 2, 1),
            date(2025, 6, 30),
            "dong_nai.ubnd_phuong_chon_thanh",
        ),
    ]
    merged = published.execute(
        "select predecessor_agency_key, effective_on from agency_lineage "
        "where successor_agency_key = 'quang_tri.ubnd'"
    ).fetchall()
    assert merged == [("quang_binh.ubnd", date(2025, 7, 1))]


def test_areas_have_the_eight_fields_with_their_legacy_headings(published):
    rows = dict(published.execute("select area_key, legacy_heading_vi from dim_area").fetchall())
    assert set(rows) == {
        "direction",
        "institutions",
        "procedures",
        "organisation",
        "civil_service",
        "public_finance",
        "digital_government",
        "impact",
    }
    assert rows["digital_government"] == "Hiện đại hóa hành chính nhà nước"
    assert published.execute(
        "select count(*) from dim_sub_area where area_key = 'procedures'"
    ).fetchone() == (5,)


def test_every_model_and_column_is_documented_and_reaches_the_warehouse(published):
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text(encoding="utf-8"))
    nodes = [n for n in manifest["nodes"].values() if n["resource_type"] in {"model", "seed"}]
    assert nodes
    for node in nodes:
        assert node["description"].strip(), node["name"]
        in_db = {
            row[0]
            for row in published.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                [node["schema"], node["alias"]],
            ).fetchall()
        }
        documented = {name for name, column in node["columns"].items() if column["description"].strip()}
        assert in_db == documented, node["name"]
    (comment,) = published.execute(
        "select comment from duckdb_columns() where table_name = 'dim_period' and column_name = 'period_key'"
    ).fetchone()
    assert "2024-Q3" in comment


def test_bi_views_carry_vietnamese_comments_and_lose_no_fact_row(published):
    views = dict(
        published.execute("select view_name, comment from duckdb_views() where schema_name = 'bi'").fetchall()
    )
    assert set(views) == BI_VIEWS
    assert "Tiến độ thực hiện chỉ tiêu" in views["target_progress"]
    uncommented = published.execute(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'bi' and coalesce(comment, '') = ''"
    ).fetchall()
    assert uncommented == []
    for view, fact in [
        ("target_progress", "fact_target_progress"),
        ("task_progress", "fact_task_progress"),
        ("report_compliance", "fact_report_submission"),
        ("cchc_index", "mart_cchc_index"),
        ("province_index_components", "mart_province_index_components"),
    ]:
        counts = published.execute(
            f"select (select count(*) from bi.{view}), (select count(*) from main.{fact})"
        )
        assert len(set(counts.fetchone())) == 1, view


def test_readers_use_the_published_copy_while_a_writer_holds_the_warehouse(fork):
    writer = duckdb.connect(str(fork.warehouse_path))
    try:
        writer.execute("create or replace table main.scratch as select 1 as x")
        with duckdb.connect(str(fork.published_path), read_only=True) as reader:
            assert reader.execute("select count(*) from dim_area").fetchone() == (8,)
    finally:
        writer.close()


def _last_dbt_folder(settings: Settings) -> Path:
    """The folder of the warehouse's last dbt invocation: its artifacts."""
    return max((settings.logs_dir / "dbt").iterdir(), key=lambda folder: folder.stat().st_mtime)


def _last_dbt_build(settings: Settings) -> dict:
    """The arguments of the warehouse's last dbt invocation, from its run_results.json."""
    return json.loads((_last_dbt_folder(settings) / "run_results.json").read_text(encoding="utf-8"))["args"]


def _publications(database) -> int:
    with duckdb.connect(str(database), read_only=True) as conn:
        return conn.execute("select count(*) from pipeline.publications").fetchone()[0]


def test_rebuilding_is_idempotent_and_cchc_run_reads_well(fork, warehouse_settings, tmp_path):
    """With nothing new in raw/, nothing is pending and `cchc run` builds nothing; a full `cchc run`
    gives every table back as it was, and what it prints is a short plain-text account that ends with
    its summary."""
    assert not pending_work(fork)
    before = table_digests(fork.published_path, ignore=())
    assert len(before) > 60
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        assert conn.execute("select count(*) from main.fact_index_score").fetchone()[0] > 1000
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")

    def cchc_run(*flags: str) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "cchc"), "run", *flags],
            env={**os.environ, "DAGSTER_HOME": str(home)},  # the fork's paths, set by the fixture
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done

    published = _publications(fork.published_path)
    unchanged = cchc_run("--no-summary")
    assert _publications(fork.published_path) == published  # nothing was built, so nothing published
    assert "Nothing changed since the last publication: nothing to build" in unchanged.stdout.splitlines()
    assert "Data quality: no suite ran." in unchanged.stdout
    assert table_digests(fork.published_path, ignore=()) == before
    # the project moved since the warehouse's last build (a new release folder, a fresh clone): that
    # build's saved parse names the folder it was made in, since removed; the seeds are not read there
    moved = fork.logs_dir / "dbt" / "built-before-the-project-moved"
    moved.mkdir(parents=True)
    parse = max(warehouse_settings.logs_dir.glob(f"dbt/*/{PARTIAL_PARSE}"), key=lambda p: p.stat().st_mtime)
    parse = parse.read_bytes()
    elsewhere = msgpack.packb("/srv/cchc-release-1/dbt")
    (moved / PARTIAL_PARSE).write_bytes(parse.replace(msgpack.packb(str(DBT_PROJECT_DIR)), elsewhere))
    run = cchc_run("--full")
    assert _publications(fork.published_path) == published + 1
    assert table_digests(fork.published_path, ignore=()) == before
    assert _last_dbt_build(fork)["full_refresh"] is True  # the incremental models rebuilt whole
    # what the build leaves for the next: its results and its saved parse; not the manifest and graph
    # dbt would write twice (the run reads the manifest `make manifest` prepared)
    left = {path.name for path in _last_dbt_folder(fork).iterdir()}
    assert {"run_results.json", "partial_parse.msgpack"} <= left
    assert not left & {"manifest.json", "semantic_manifest.json", "graph.gpickle"}, left
    assert b"/srv/cchc-release-1" not in (_last_dbt_folder(fork) / PARTIAL_PARSE).read_bytes()
    lines = run.stdout.splitlines()
    assert len(lines) <= 40, run.stdout  # no file to ingest: the build steps and the summary
    assert "Data quality (Great Expectations): 11/11 suites passed." in lines
    assert lines[-1] == f"BI tools:  {fork.published_path} (read-only)"
    assert "\x1b[" not in run.stdout + run.stderr  # no colour codes when the output is not a terminal
    assert "nanobind" not in run.stdout + run.stderr  # no leak report at exit
    dbt_node = re.compile(r"^\d+ of \d+ (OK|PASS) ", re.MULTILINE)  # dbt's line per node: in the log only
    assert not dbt_node.search(run.stdout) and dbt_node.search((fork.logs_dir / "cchc-run.log").read_text())

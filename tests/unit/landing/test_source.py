"""What every source shares: how pending files become runs, what a run is handed, what a run launched
by hand reads."""

import hashlib

import dagster as dg
import duckdb

from pipelines.landing.ledger import Entry, Pending
from pipelines.landing.source import RunFiles, one_run_per_file, one_run_per_folder, split
from pipelines.settings import Settings
from pipelines.sources.indices.assets import SOURCE as INDICES
from pipelines.sources.plans.assets import SOURCE as PLANS

TODO = Pending(changed={"kh-1.md": "aa", "kh-2.pdf": "bb"}, removed=["kh-0.docx"])


def test_plans_run_a_file_each_and_indices_the_folder_at_once(tmp_path):
    assert one_run_per_file(tmp_path, TODO, {}, "v") == {
        "kh-1.md": {"kh-1.md": "aa"},
        "kh-2.pdf": {"kh-2.pdf": "bb"},
        "kh-0.docx": {"kh-0.docx": None},
    }
    assert one_run_per_folder(tmp_path, TODO, {}, "v") == {
        "all": {"kh-1.md": "aa", "kh-2.pdf": "bb", "kh-0.docx": None}
    }
    assert one_run_per_folder(tmp_path, Pending(), {}, "v") == {}


def test_a_run_is_handed_the_files_to_load_and_to_forget():
    files = {"b.xlsx": "22", "a.xlsx": "11", "gone.xlsx": None}
    assert split(files) == (["a.xlsx", "b.xlsx"], ["gone.xlsx"])
    assert PLANS.run_config(files) == {
        "ops": {
            "plan_tables": {
                "config": {"planned": True, "load": ["a.xlsx", "b.xlsx"], "forget": ["gone.xlsx"]}
            }
        }
    }
    key = PLANS.run_key("kh-1.md", {"kh-1.md": "aa"})
    assert key == PLANS.run_key("kh-1.md", {"kh-1.md": "aa"})
    assert key != PLANS.run_key("kh-1.md", {"kh-1.md": "ab"})  # new content, new run


def test_a_run_takes_its_files_as_lists_of_names_and_fails_on_anything_else():
    @dg.op
    def _files(config: RunFiles) -> tuple[list[str], list[str]]:
        return config.load, config.forget

    @dg.job
    def _run():
        _files()

    def config(load, forget) -> dict:
        return {"ops": {"_files": {"config": {"planned": True, "load": load, "forget": forget}}}}

    names = [f"2024/tinh_{n}/xa_{n:04d}_quy-III-2024.xlsx" for n in range(3_000)]
    result = _run.execute_in_process(run_config=config(names, ["gone.xlsx"]))
    assert result.output_for_node("_files") == (names, ["gone.xlsx"])
    for load, forget in (
        ("a.xlsx", []),
        (["a.xlsx", 7], []),
        ([*names, None], []),
        ([], {"gone.xlsx": None}),
    ):
        failed = _run.execute_in_process(run_config=config(load, forget), raise_on_error=False)
        assert not failed.success
        (failure,) = [event for event in failed.all_events if event.is_step_failure]
        assert "a list of file names" in failure.step_failure_data.error.to_string()


def test_a_plan_run_launched_by_hand_reads_its_file_again_or_forgets_it(tmp_path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "kh-1.md").write_text("Kế hoạch", encoding="utf-8")
    settings = Settings.at(tmp_path / "w.duckdb", tmp_path)
    unplanned = RunFiles()
    with duckdb.connect() as conn:
        assert PLANS.files_of_run(conn, settings, "kh-1.md", unplanned) == (["kh-1.md"], [])
        assert PLANS.files_of_run(conn, settings, "kh-9.md", unplanned) == ([], ["kh-9.md"])
        planned = RunFiles(planned=True, load=["kh-1.md"])
        assert PLANS.files_of_run(conn, settings, "kh-1.md", planned) == (["kh-1.md"], [])


def test_an_index_run_launched_by_hand_reads_what_is_pending_in_the_folder(tmp_path):
    (tmp_path / "indices").mkdir()
    (tmp_path / "indices" / "PCI_2024.xlsx").write_bytes(b"PK")
    settings = Settings.at(tmp_path / "w.duckdb", tmp_path)
    with duckdb.connect() as conn:
        to_load, to_forget = INDICES.files_of_run(conn, settings, "all", RunFiles())
    assert (to_load, to_forget) == (["PCI_2024.xlsx"], [])
    digest = hashlib.sha256(b"PK").hexdigest()
    assert INDICES.runs(settings, {"old.csv": Entry("cc", INDICES.reader_version())}) == {
        "all": {"PCI_2024.xlsx": digest, "old.csv": None}
    }

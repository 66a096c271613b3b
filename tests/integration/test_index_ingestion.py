"""Index files in raw/indices reach fact_index_score; a corrupt one is recorded; re-runs are safe."""

import duckdb

from pipelines.landing.files import file_hash
from pipelines.orchestration.runs import pending_work
from tests.integration.conftest import (
    BROKEN_INDICES,
    FIXTURE_INDICES,
    INDEX_FILES,
    build_warehouse,
    downstream_of,
)


def test_index_history_is_queryable_beside_the_national_average(published):
    rows = published.execute(
        """
        select index_key, score_year, round(score, 2), published_rank, rank_among_provinces, source_cell
        from main.fact_index_score
        where province_key = 'dong_nai' and component_code = 'total'
        order by index_key, score_year
        """
    ).fetchall()
    assert ("PCI", 2005, 64.14, 6, 6, "O33") in rows
    assert ("PCI", 2014, 57.26, 42, 42, "W43") in rows
    assert ("PAR_INDEX", 2021, 83.33, 55, 55, "dòng 31") in rows
    assert ("PAR_INDEX", 2013, None, 17, 17, "dòng 10") in rows
    national = published.execute(
        "select place_scope, province_key, score, score_max from main.fact_index_score "
        "where index_key = 'PAR_INDEX' and score_year = 2013 and place_scope = 'national'"
    ).fetchall()
    assert national == [("national", None, 77.56, 100.0)]


def test_sub_indices_carry_their_maximum_and_merged_provinces_their_successor(published):
    row = published.execute(
        "select score_max, current_province_key, index_component_key from main.fact_index_score "
        "where index_key = 'PCI' and score_year = 2014 and province_key = 'binh_phuoc' "
        "and component_code = 'entry_costs'"
    ).fetchone()
    assert row == (10.0, "dong_nai", "PCI:entry_costs:2005")


def test_a_corrupt_workbook_is_recorded_with_its_reason_and_the_rest_load(published):
    files = dict(published.execute("select source_file, load_status from main.index_files").fetchall())
    assert files == {**dict.fromkeys(INDEX_FILES, "loaded"), **dict.fromkeys(BROKEN_INDICES, "rejected")}
    (reason,) = published.execute(
        "select rejection_reason from main.index_files where source_file = 'PCI_2015.xlsx'"
    ).fetchone()
    assert "tệp bị hỏng" in reason
    (warnings,) = published.execute(
        "select load_warnings from main.index_files where source_file = 'PCI_2014.xlsx'"
    ).fetchone()
    assert "Bỏ qua trang 'Summary'" in warnings


def test_a_changed_file_is_read_again_and_a_removed_file_leaves_the_fact(fork):
    def state() -> dict:
        with duckdb.connect(str(fork.published_path), read_only=True) as conn:
            return dict(
                conn.execute(
                    "select source_file, (ingested_at, version_count, score_count) from main.index_files"
                ).fetchall()
            )

    before = state()
    assert not pending_work(fork)["indices"]  # nothing changed: nothing would be read again
    # the clerk resends PCI_2015.xlsx, but with the 2014 workbook inside: refused, not loaded as 2015
    (fork.indices_dir / "PCI_2015.xlsx").write_bytes((FIXTURE_INDICES / "PCI_2014.xlsx").read_bytes())
    (fork.indices_dir / "PCI_2005.xls").unlink()
    # one run for the folder: the resent file to read, the removed one to forget
    assert pending_work(fork)["indices"] == {
        "all": {"PCI_2015.xlsx": file_hash(fork.indices_dir / "PCI_2015.xlsx"), "PCI_2005.xls": None}
    }

    assert all(result.success for result in build_warehouse(fork, downstream_of("indices")))
    after = state()
    assert "PCI_2005.xls" not in after
    assert after["PCI_2015.xlsx"][1:] == (2, None)
    assert after["PCI_2014.xlsx"] == before["PCI_2014.xlsx"]
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        (reason,) = conn.execute(
            "select rejection_reason from main.index_files where source_file = 'PCI_2015.xlsx'"
        ).fetchone()
        (pci_2005,) = conn.execute(
            "select count(*) from main.fact_index_score where index_key = 'PCI' and score_year = 2005"
        ).fetchone()
    assert "Tên tệp ghi năm 2015 nhưng bảng chính 'Summary_VN' ghi năm 2014" in reason
    assert pci_2005 == 0

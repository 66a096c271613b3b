"""What the appraisal workbook proposes to the council for each criterion, and how it words the proof;
an unknown province is told so."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.extracts.appraisal import NO_PROOF, _proof, _proposed, _reason, write_appraisal


@pytest.mark.parametrize(
    ("status", "data", "own", "proposed"),
    [
        ("data", 0.5, 1.0, 0.5),  # the data decide, whatever the agency typed
        ("survey", None, None, None),  # Sở Nội vụ types the survey's points
        ("missing", None, 4.0, 0.0),  # a score without proof is not recognised
        ("not_scored", None, None, 0.0),
        ("not_assessed", None, None, 0.0),
        ("ok", None, 3.0, 3.0),
        ("explained", None, 4.0, 4.0),
        ("findings", None, 1.0, 1.0),  # the council reads the findings and decides
    ],
)
def test_the_proposal(status, data, own, proposed):
    assert _proposed(status, data, own) == proposed


def test_a_proposal_below_the_claim_comes_with_its_reason():
    assert _reason("missing", 0.0, 4.0) == NO_PROOF
    assert _reason("ok", 3.0, 3.0) is None and _reason("not_scored", 0.0, None) is None


def test_the_proof_lists_its_first_findings_and_counts_the_rest():
    findings = [f"điểm {n}" for n in range(1, 7)]
    assert _proof("tài liệu có điểm cần xem", 2, findings) == (
        "tài liệu có điểm cần xem (2 tài liệu)\n• điểm 1\n• điểm 2\n• điểm 3\n• điểm 4\n… và 2 điểm khác."
    )
    assert _proof("chưa chấm", 0, None) == "chưa chấm"


def test_an_unknown_province_is_told_so(tmp_path):
    with duckdb.connect(str(tmp_path / "p.duckdb")) as conn:
        conn.execute("create table main.dim_province (province_key varchar, province_name_vi varchar)")
        with pytest.raises(ValueError, match="No province 'ha_tay'"):
            write_appraisal(conn, "ha_tay", 2024, tmp_path, None)

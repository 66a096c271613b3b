"""Feedback workbooks from the published copy: one per report file (a copy and a refused file included),
the facts a clerk asks first, every finding; written again only when what it says changed, and e-mailed
then to the address the clerk gave, through a real SMTP server."""

from __future__ import annotations

import os
from datetime import datetime

import duckdb
import openpyxl

from pipelines.extracts.feedback import send_feedback, write_feedback
from tests.unit.extracts.conftest import PUBLISHED

TODAY = datetime(2025, 2, 14, 6)


def _facts(path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)["Phản hồi"]
    return {row[0]: row[2] for row in sheet.iter_rows(min_row=4, max_row=12, values_only=True)}


def test_one_workbook_per_file_with_what_became_of_it(published, tmp_path):
    written, every = write_feedback(published, tmp_path, TODAY)
    assert written == every and len(every) == 6
    by_file = {item.source_file: item for item in every}
    returned = by_file["snv/q3.xlsx"]
    assert returned.path.parent == tmp_path / "2024-Q3" / "dong_nai.so_noi_vu"
    assert returned.path.name.startswith("phan-hoi-snv_q3-") and returned.email == "letam@dongnai.gov.vn"
    assert _facts(returned.path) == {
        "Cơ quan": "Sở Nội vụ tỉnh Đồng Nai",
        "Kỳ báo cáo": "Quý III/2024",
        "Tệp": "snv/q3.xlsx",
        "Nhận lúc": "18/09/2024 08:00",
        "Hạn nộp, khóa sổ": "hạn 20/09/2024; khóa sổ 19/01/2025",
        "Tình trạng": "trả lại – chờ gửi lại. Không được tính: Sở Nội vụ trả lại, chờ đơn vị gửi lại.",
        "Kết quả xem xét": "Trả lại (Phạm Thị Hồng, 23/09/2024)",
        "Lý do": "Số liệu CT03 sai.",
        "Người lập báo cáo": "Lê Văn Tâm, 0251 3822 000, letam@dongnai.gov.vn",
    }
    sheet = openpyxl.load_workbook(returned.path)["Phản hồi"]
    assert [row[:5] for row in sheet.iter_rows(min_row=15, values_only=True)] == [
        (1, "trả lại", None, None, None),
        (2, "cảnh báo", "Chỉ tiêu", "E9", None),
        (3, "dòng bị loại", "Chỉ tiêu", "F12", "khoảng 90"),
        (4, "dòng bị loại", "Nhiệm vụ", "F7", "Xong"),
        (5, "cảnh báo", "Thông tin chung", "B13", None),
    ]
    # a refused file names no agency or period: its feedback still has a place
    refused = by_file["stp/hong.xlsx"]
    assert refused.path.parent == tmp_path / "chua-xac-dinh" / "chua-xac-dinh"
    assert (
        _facts(refused.path)["Tình trạng"]
        == "bị từ chối. Không được tính: tệp bị từ chối (xem lý do bên dưới)."
    )
    # late, and accepted by a review: counted, and said so; the agency under its name of the time
    accepted = _facts(by_file["xa/loc-ninh.xlsx"].path)
    assert accepted["Cơ quan"] == "UBND thị trấn Lộc Ninh"
    assert accepted["Tình trạng"] == "được tính. Được tính: nhận sau khóa sổ, Sở Nội vụ đã chấp nhận."
    assert accepted["Kết quả xem xét"] == "Chấp nhận (Trần Văn Bình, 12/02/2025)"


def test_only_what_changed_is_written_again_and_e_mailed(published, tmp_path, smtp_inbox):
    first, _ = write_feedback(published, tmp_path / "phan-hoi", TODAY)
    assert send_feedback(first, os.environ) == (2, [])  # the two files whose clerk gave an e-mail
    assert write_feedback(published, tmp_path / "phan-hoi", TODAY) == ([], first)  # nothing changed
    # Sở Nội vụ accepts the corrected file: only its workbook changes
    database = str(tmp_path / PUBLISHED)
    published.close()
    with duckdb.connect(database) as conn:
        conn.execute(
            "update main.report_submissions set review_decision = 'accepted', reviewer = 'Phạm Thị Hồng',"
            " reviewed_at = '2024-09-30 09:00' where source_file = 'snv/q3-sua.xlsx'"
        )
    with duckdb.connect(database, read_only=True) as conn:
        again, every = write_feedback(conn, tmp_path / "phan-hoi", TODAY)
    assert [item.source_file for item in again] == ["snv/q3-sua.xlsx"]
    assert len(list((tmp_path / "phan-hoi").rglob("*.xlsx"))) == len(every) == 6  # the old one replaced
    assert send_feedback(again, os.environ) == (1, [])
    subjects = [message["Subject"] for message in smtp_inbox.messages]
    assert subjects == ["Phản hồi báo cáo CCHC – Quý III/2024 – Sở Nội vụ tỉnh Đồng Nai"] * 3
    last = smtp_inbox.messages[-1]
    assert last["To"] == "letam@dongnai.gov.vn"
    body, attached = last.iter_parts()
    assert "Kết quả xem xét: Chấp nhận (Phạm Thị Hồng, 30/09/2024)" in body.get_content()
    assert attached.get_filename() == again[0].path.name


def test_the_build_writes_the_feedback_of_recent_files_only(published, tmp_path):
    """Received or reviewed in the 30 days before 14/02/2025: Sở Tư pháp's late file (03/02) and the
    commune's (10/02, reviewed 12/02)."""
    written, _ = write_feedback(published, tmp_path, TODAY, days=30)
    assert sorted(item.source_file for item in written) == ["stp/q3.xlsx", "xa/loc-ninh.xlsx"]
    listed = write_feedback(published, tmp_path, TODAY, agency="dong_nai.so_noi_vu", period="2024-Q3")[1]
    assert [item.source_file for item in listed] == ["snv/q3.xlsx", "snv/q3-sua.xlsx", "snv/q3-ban-sao.xlsx"]


def test_a_mail_server_that_is_down_loses_no_feedback(published, tmp_path, monkeypatch):
    """Nothing listens on the port named: the mail fails, the workbook is taken back, and the next build
    writes it again (and would send it)."""
    monkeypatch.setenv("CCHC_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CCHC_SMTP_PORT", "9")  # discard: nothing listens here
    written, _ = write_feedback(published, tmp_path, TODAY, agency="dong_nai.so_noi_vu", period="2024-Q3")
    sent, failed = send_feedback(written, os.environ)
    assert (sent, failed) == (0, ["snv/q3.xlsx", "snv/q3-sua.xlsx"])
    (copy,) = [item for item in written if item.source_file == "snv/q3-ban-sao.xlsx"]  # no e-mail: kept
    assert list(tmp_path.rglob("*.xlsx")) == [copy.path]
    again, _ = write_feedback(published, tmp_path, TODAY, agency="dong_nai.so_noi_vu", period="2024-Q3")
    assert [item.source_file for item in again] == ["snv/q3.xlsx", "snv/q3-sua.xlsx"]


def test_names_and_addresses_as_people_type_them():
    from pipelines.extracts.feedback import _address, _stem

    # two files whose names differ only by extension or by a folder never share a workbook
    assert _stem("snv/q3.xls") != _stem("snv/q3.xlsx") and _stem("a/b.xlsx") != _stem("a_b.xlsx")
    assert _address(" letam@dongnai.gov.vn\n") == "letam@dongnai.gov.vn"  # typed with Alt+Enter
    assert _address("letam@dongnai.gov.vn; vt@dongnai.gov.vn") is None  # two: the clerk must choose
    assert _address("0912 345 678") is None

"""Mail goes through the SMTP server the environment names (a real one on 127.0.0.1 here), with workbooks
attached as such; without a server named, nothing is sent and the caller is told."""

from __future__ import annotations

import os

import openpyxl

from pipelines import mail


def test_a_message_with_a_workbook_attached_reaches_the_named_address(tmp_path, smtp_inbox):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Phiếu phản hồi"
    workbook.save(tmp_path / "phan-hoi.xlsx")
    assert mail.configured(os.environ)
    assert mail.send(
        "Phản hồi báo cáo",
        "Tệp đã được nhận.",
        "letam@dongnai.gov.vn",
        os.environ,
        [tmp_path / "phan-hoi.xlsx"],
    )
    (message,) = smtp_inbox.messages
    assert (message["Subject"], message["To"]) == ("Phản hồi báo cáo", "letam@dongnai.gov.vn")
    body, attached = message.iter_parts()
    assert body.get_content().strip() == "Tệp đã được nhận."
    assert attached.get_filename() == "phan-hoi.xlsx"
    assert attached.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attached.get_content() == (tmp_path / "phan-hoi.xlsx").read_bytes()


def test_without_a_server_named_nothing_is_sent(monkeypatch):
    monkeypatch.delenv("CCHC_SMTP_HOST", raising=False)
    assert not mail.configured(os.environ)
    assert mail.send("Phản hồi", "…", "letam@dongnai.gov.vn", os.environ) is False

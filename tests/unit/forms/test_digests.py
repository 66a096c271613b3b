"""A workbook keeps the digest of what it was written from; anything else reads as no digest."""

from datetime import date

import openpyxl

from pipelines.forms.digests import content_digest, digest_of, mark


def test_a_marked_workbook_gives_its_digest_back_and_excel_style_saves_keep_it(tmp_path):
    digest = content_digest(("Quý III/2024", [("Đồng Nai", [("Sở Y tế", date(2024, 9, 20), 3)])]))
    workbook = openpyxl.Workbook()
    mark(workbook, digest)
    workbook.save(tmp_path / "list.xlsx")
    assert digest_of(tmp_path / "list.xlsx") == digest
    # opened and saved again, as a person would (openpyxl standing in for Excel)
    reopened = openpyxl.load_workbook(tmp_path / "list.xlsx")
    reopened.active["A1"] = "sửa tay"
    reopened.save(tmp_path / "list.xlsx")
    assert digest_of(tmp_path / "list.xlsx") == digest


def test_the_digest_follows_every_value_of_the_content():
    rows = [("Sở Y tế", date(2024, 9, 20), 3), ("Sở Tư pháp", None, 0)]
    same = content_digest(("Quý III/2024", rows))
    assert content_digest(("Quý III/2024", list(rows))) == same
    assert content_digest(("Quý III/2024", [rows[0], ("Sở Tư pháp", None, 1)])) != same
    assert content_digest(("Quý III/2024", [rows[0], ("Sở Tư pháp", date(2024, 9, 21), 0)])) != same
    assert content_digest(("Quý II/2024", rows)) != same


def test_no_digest_for_a_missing_file_an_unmarked_workbook_or_not_a_workbook(tmp_path):
    assert digest_of(tmp_path / "none.xlsx") is None
    openpyxl.Workbook().save(tmp_path / "plain.xlsx")
    assert digest_of(tmp_path / "plain.xlsx") is None
    (tmp_path / "text.xlsx").write_text("not a workbook", encoding="utf-8")
    assert digest_of(tmp_path / "text.xlsx") is None

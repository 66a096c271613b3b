"""A form is current while its content digest is the one it was written for and the file is the one
written; an edited, replaced or removed form is not."""

import os
from datetime import date

from pipelines.forms.digests import content_digest, is_current, note_written


def test_a_form_is_current_until_its_content_or_its_file_changes(tmp_path):
    form = tmp_path / "don-doc-2024-Q3.xlsx"
    digest = content_digest(("Quý III/2024", [("Đồng Nai", [("Sở Y tế", date(2024, 9, 20), 3)])]))
    assert not is_current(form, digest)  # nothing written yet
    form.write_bytes(b"the workbook")
    note_written(form, digest)
    assert is_current(form, digest)
    assert sorted(path.name for path in tmp_path.iterdir()) == [".don-doc-2024-Q3.xlsx.digest", form.name]
    assert not is_current(form, content_digest(("Quý III/2024", [])))  # other content

    # a person saves the file again, as Excel would: same size, a later time
    stat = form.stat()
    os.utime(form, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not is_current(form, digest)
    note_written(form, digest)
    form.write_bytes(b"the workbook, edited")
    assert not is_current(form, digest)
    form.unlink()
    assert not is_current(form, digest)


def test_the_digest_follows_every_value_of_the_content():
    rows = [("Sở Y tế", date(2024, 9, 20), 3), ("Sở Tư pháp", None, 0)]
    same = content_digest(("Quý III/2024", rows))
    assert content_digest(("Quý III/2024", list(rows))) == same
    assert content_digest(("Quý III/2024", [rows[0], ("Sở Tư pháp", None, 1)])) != same
    assert content_digest(("Quý III/2024", [rows[0], ("Sở Tư pháp", date(2024, 9, 21), 0)])) != same
    assert content_digest(("Quý II/2024", rows)) != same


def test_a_broken_record_reads_as_not_current(tmp_path):
    form = tmp_path / "list.xlsx"
    form.write_bytes(b"x")
    note_written(form, "abc")
    (tmp_path / ".list.xlsx.digest").write_text("{not json", encoding="utf-8")
    assert not is_current(form, "abc")

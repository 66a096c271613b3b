"""The feedback of a self-assessment says what became of the file and every finding with its sheet and
cell (the council's return first, rejected rows, warnings, the proof's findings), and is written again
only when what it says changes (read from a real DuckDB file made here)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import openpyxl
import pytest

from pipelines.extracts.self_assessment_feedback import write_self_assessment_feedback

SCHEMA = """
create table main.self_assessment_files (
    source_file varchar, agency_key varchar, assessed_year integer, received_at timestamp,
    file_status varchar, rejection_reason varchar, load_warnings varchar, row_issues varchar,
    appraisal_decision varchar,
    appraisal_reason varchar, appraiser varchar, decided_at timestamp, submitter varchar, phone varchar,
    email varchar
);
insert into main.self_assessment_files values
    ('snv-2024.xlsx', 'dong_nai.so_noi_vu', 2024, '2025-01-20 10:00', 'returned', null,
     'Trang ''Tự đánh giá'' ô C6: chưa ghi ''Số điện thoại''.',
     'Trang ''Tự đánh giá'' ô G12: ''hai'' không phải số điểm; nhập một số, ví dụ 0,5.',
     'returned', 'Bổ sung tài liệu kiểm chứng.', 'Hội đồng', '2025-02-20 15:00', 'Trần Thị Bình', null,
     'binh@dongnai.gov.vn');
create table main.dim_agency (agency_key varchar, agency_name_vi varchar, valid_from_on date);
insert into main.dim_agency values ('dong_nai.so_noi_vu', 'Sở Nội vụ tỉnh Đồng Nai', '2016-01-01');
create table main.criterion_evidence_findings (
    source_file varchar, sheet_name varchar, row_number integer, cell varchar, typed varchar,
    finding_code varchar, finding_vi varchar
);
insert into main.criterion_evidence_findings values
    ('snv-2024.xlsx', 'Tài liệu kiểm chứng', 5, 'C5', 'KH so 5', 'number_shape',
     'Số hiệu ''KH so 5'' không đúng dạng số/ký hiệu văn bản (ví dụ 123/KH-UBND, 45/2024/QĐ-UBND).');
"""


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "p.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(SCHEMA)
    with duckdb.connect(str(path), read_only=True) as conn:
        yield conn


def test_the_return_rows_warnings_and_proof_each_with_its_cell(published, tmp_path):
    written, every = write_self_assessment_feedback(published, tmp_path, datetime(2025, 2, 21, 8))
    assert [item.source_file for item in written] == ["snv-2024.xlsx"] and written == every
    (feedback,) = written
    assert feedback.path.parent == tmp_path / "2024-tu-danh-gia" / "dong_nai.so_noi_vu"
    assert feedback.subject == "Phản hồi hồ sơ tự đánh giá Chỉ số CCHC năm 2024 – Sở Nội vụ tỉnh Đồng Nai"
    sheet = openpyxl.load_workbook(feedback.path)["Phản hồi"]
    cells = [row for row in sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "Phiếu phản hồi hồ sơ tự đánh giá Chỉ số cải cách hành chính"
    facts = {row[0]: row[2] for row in cells[3:11]}
    assert facts["Tình trạng"] == "Không được tính: Hội đồng thẩm định trả lại, chờ cơ quan gửi lại."
    assert facts["Kết quả thẩm định hồ sơ"] == "Trả lại (Hội đồng, 20/02/2025)"
    table = [row[:4] for row in cells[13:]]
    assert table == [
        (1, "trả lại", None, None),
        (2, "dòng bị loại", "Tự đánh giá", "G12"),
        (3, "cảnh báo", "Tự đánh giá", "C6"),
        (4, "tài liệu kiểm chứng", "Tài liệu kiểm chứng", "C5"),
    ]
    again, _ = write_self_assessment_feedback(published, tmp_path, datetime(2025, 2, 22, 8))
    assert again == []  # nothing new to say: not written (nor e-mailed) again

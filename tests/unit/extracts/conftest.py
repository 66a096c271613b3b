"""A published copy as the feedback and review extracts read it: a real DuckDB file holding the marts and
the view they query (only the columns they use), with the quý III/2024 reports of two Đồng Nai agencies
and one of Bình Phước, typed here row by row so every figure the tests expect can be read off below.

- Sở Nội vụ: q3.xlsx (18/09, returned "Số liệu CT03 sai."), q3-sua.xlsx (26/09, counted, one jump),
  q3-ban-sao.xlsx (a duplicate);
- Sở Tư pháp: hong.xlsx (refused), q3.xlsx (03/02/2025, after the books closed, 8 warnings);
- UBND xã Lộc Ninh (Bình Phước): loc-ninh.xlsx (counted, accepted by a review).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

PUBLISHED = "cchc_published.duckdb"  # in the test's tmp_path
SCHEMA = """
create table main.dim_period (
    period_key varchar, period_label_vi varchar, report_year integer, period_end_on date,
    cutoff_start_on date, cutoff_end_on date, is_cumulative boolean, report_due_on date
);
insert into main.dim_period values
    ('2024-Q3', 'Quý III/2024', 2024, '2024-09-30', '2024-06-15', '2024-09-14', false, '2024-09-20');

create table main.dim_agency (
    agency_key varchar, agency_name_vi varchar, valid_from_on date, valid_to_on date
);
insert into main.dim_agency values
    ('dong_nai.so_noi_vu', 'Sở Nội vụ tỉnh Đồng Nai', '2016-01-01', null),
    ('dong_nai.so_tu_phap', 'Sở Tư pháp tỉnh Đồng Nai', '2016-01-01', null),
    ('binh_phuoc.xa_loc_ninh', 'UBND xã Lộc Ninh', '2025-07-01', null),
    ('binh_phuoc.xa_loc_ninh', 'UBND thị trấn Lộc Ninh', '2016-01-01', '2025-06-30');

create table main.dim_province (province_key varchar, province_name_vi varchar);
insert into main.dim_province values
    ('dong_nai', 'Đồng Nai'), ('binh_phuoc', 'Bình Phước'), ('lam_dong', 'Lâm Đồng');

create schema bi;
create table bi.report_compliance (
    province_key varchar, agency_key varchar, agency_name_vi varchar, period_key varchar
);
insert into bi.report_compliance values
    ('dong_nai', 'dong_nai.so_noi_vu', 'Sở Nội vụ tỉnh Đồng Nai', '2024-Q3'),
    ('dong_nai', 'dong_nai.so_tu_phap', 'Sở Tư pháp tỉnh Đồng Nai', '2024-Q3'),
    ('binh_phuoc', 'binh_phuoc.xa_loc_ninh', 'UBND thị trấn Lộc Ninh', '2024-Q3');

create table main.report_submissions (
    source_file varchar, content_hash varchar, agency_key varchar, period_key varchar, received_at timestamp,
    submission_status varchar, submission_status_vi varchar, is_after_close boolean, report_due_on date,
    closes_on date, review_decision varchar, review_reason varchar, reviewer varchar, reviewed_at timestamp,
    submitter varchar, phone varchar, email varchar, rejection_reason varchar, load_warnings varchar
);
insert into main.report_submissions values
    ('snv/q3.xlsx', 'h1', 'dong_nai.so_noi_vu', '2024-Q3', '2024-09-18 08:00', 'returned',
     'trả lại – chờ gửi lại', false, '2024-09-20', '2025-01-19', 'returned', 'Số liệu CT03 sai.',
     'Phạm Thị Hồng', '2024-09-23 10:00', 'Lê Văn Tâm', '0251 3822 000', 'letam@dongnai.gov.vn', null,
     'Trang ''Thông tin chung'' ô B13: ''Ngày báo cáo'' để trống.'),
    ('snv/q3-sua.xlsx', 'h2', 'dong_nai.so_noi_vu', '2024-Q3', '2024-09-26 09:30', 'accepted', 'được tính',
     false, '2024-09-20', '2025-01-19', null, null, null, null, 'Lê Văn Tâm', null, 'letam@dongnai.gov.vn',
     null, null),
    ('snv/q3-ban-sao.xlsx', 'h2', 'dong_nai.so_noi_vu', '2024-Q3', '2024-09-27 07:00', 'duplicate',
     'bản trùng, không tính', false, '2024-09-20', '2025-01-19', null, null, null, null, null, null, null,
     null, null),
    ('stp/hong.xlsx', 'h3', null, null, '2024-09-19 16:00', 'rejected', 'bị từ chối', false, null, null,
     null, null, null, null, null, null, null,
     'Không mở được tệp: tệp bị hỏng (có thể tải về hoặc chép chưa hết) '
     || 'hoặc không phải bảng tính Excel.', null),
    ('stp/q3.xlsx', 'h4', 'dong_nai.so_tu_phap', '2024-Q3', '2025-02-03 14:00', 'after_close',
     'sau khóa sổ – chờ xem xét', true, '2024-09-20', '2025-01-19', null, null, null, null, null, null, null,
     null, (select string_agg('Cảnh báo ' || n, chr(10) order by n) from range(1, 9) as numbers(n))),
    ('xa/loc-ninh.xlsx', 'h5', 'binh_phuoc.xa_loc_ninh', '2024-Q3', '2025-02-10 08:00', 'accepted',
     'được tính', true, '2024-09-20', '2025-01-19', 'accepted', null, 'Trần Văn Bình', '2025-02-12 15:00',
     null, null, null, null, null);

create table main.report_indicator_values (
    report_indicator_value_key varchar, source_file varchar, row_status varchar, sheet_name varchar,
    actual_cell varchar, actual_text varchar, row_issue varchar
);
insert into main.report_indicator_values values
    ('snv/q3.xlsx#12', 'snv/q3.xlsx', 'rejected', 'Chỉ tiêu', 'F12', 'khoảng 90',
     'Ô F12: ''khoảng 90'' không phải là số.'),
    ('snv/q3.xlsx#9', 'snv/q3.xlsx', 'flagged', 'Chỉ tiêu', 'F9', '71,5 %',
     'Ô E9: chỉ tiêu kế hoạch đã bị sửa.'),
    ('snv/q3.xlsx#10', 'snv/q3.xlsx', 'accepted', 'Chỉ tiêu', 'F10', '12', null);

create table main.report_task_status (
    report_task_status_key varchar, source_file varchar, row_status varchar, sheet_name varchar,
    status_cell varchar, status_text varchar, row_issue varchar
);
insert into main.report_task_status values
    ('snv/q3.xlsx#7', 'snv/q3.xlsx', 'rejected', 'Nhiệm vụ', 'F7', 'Xong',
     'Ô F7: ''Xong'' không phải tình trạng trong danh sách.');

create table main.dim_indicator (indicator_code varchar, indicator_name_vi varchar);
insert into main.dim_indicator values ('online_application_rate', 'Tỷ lệ hồ sơ trực tuyến');

create table main.fact_report_value_jumps (
    source_file varchar, indicator_code varchar, actual_cell varchar, jump_kind varchar, actual_value double,
    compared_value double, compared_period_key varchar
);
insert into main.fact_report_value_jumps values
    ('snv/q3-sua.xlsx', 'online_application_rate', 'F9', 'leap', 80.5, 20.0, '2024-H1'),
    ('snv/q3-sua.xlsx', 'online_application_rate', 'F9', 'outlier', 80.5, 21.25, null);
"""


@pytest.fixture()
def published(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path / PUBLISHED
    with duckdb.connect(str(path)) as conn:
        conn.execute(SCHEMA)
    with duckdb.connect(str(path), read_only=True) as conn:
        yield conn

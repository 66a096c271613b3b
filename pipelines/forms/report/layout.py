"""The progress-report workbook as the template writes it and the reader looks for it.

Labels, not positions, are the contract: the reader finds each sheet and column by these labels
(diacritics, case and line breaks aside), so a clerk who moves a column or adds rows does no harm.
Rows without a code (a field's or a plan section's heading, a note under the table) carry nothing the
reader takes unless a figure or status was typed in them.
"""

from __future__ import annotations

TEMPLATE_VERSION = "2026.3"  # 2026.3: the e-mail the feedback goes to

INSTRUCTIONS_SHEET = "Hướng dẫn"
GENERAL_SHEET = "Thông tin chung"
INDICATORS_SHEET = "Chỉ tiêu"
TASKS_SHEET = "Nhiệm vụ"
META_SHEET = "_cchc"

# General information: label → key
AGENCY_NAME = "Cơ quan báo cáo"
AGENCY_KEY = "Mã cơ quan"
PERIOD_LABEL = "Kỳ báo cáo"
CUTOFF = "Thời gian lấy số liệu"
FIGURES = "Số liệu ghi"
DUE_ON = "Hạn gửi báo cáo"
RECIPIENT = "Nơi nhận báo cáo"
SUBMITTER = "Người lập báo cáo"
PHONE = "Số điện thoại"
EMAIL = "Thư điện tử"
REPORTED_ON = "Ngày báo cáo"

# Indicators sheet columns
STT = "STT"
INDICATOR_CODE = "Mã chỉ tiêu"
INDICATOR_NAME = "Chỉ tiêu"
UNIT = "Đơn vị tính"
TARGET = "Chỉ tiêu kế hoạch"
ACTUAL = "Kết quả thực hiện"
NUMERATOR = "Tử số"
DENOMINATOR = "Mẫu số"
NOTE = "Ghi chú"
TARGET_SOURCE = "Nguồn chỉ tiêu"
INDICATOR_COLUMNS = (
    STT,
    INDICATOR_CODE,
    INDICATOR_NAME,
    UNIT,
    TARGET,
    ACTUAL,
    NUMERATOR,
    DENOMINATOR,
    NOTE,
    TARGET_SOURCE,
)

# Tasks sheet columns
TASK_CODE = "Mã nhiệm vụ"
TASK = "Nhiệm vụ"
TASK_OUTPUT = "Kết quả/Sản phẩm"
DEADLINE = "Thời hạn"
STATUS = "Tình trạng"
COMPLETED_ON = "Ngày hoàn thành"
TASK_COLUMNS = (STT, TASK_CODE, TASK, TASK_OUTPUT, DEADLINE, STATUS, COMPLETED_ON, NOTE)

# Task statuses a clerk picks from: label → code
STATUSES = {
    "Hoàn thành": "done",
    "Đang thực hiện": "in_progress",
    "Chưa thực hiện": "not_started",
    "Không thực hiện": "cancelled",
}

# Hidden block: key → value rows, then one row per prefilled target (code, plan target key, value)
META_VERSION = "template_version"
META_AGENCY = "agency_key"
META_PERIOD = "period_key"
META_GENERATED = "generated_at"
META_TARGETS = "targets"

# the first year a report is taken for (periods, completion dates)
FIRST_YEAR = 2016

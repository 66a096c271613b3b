"""A corpus of bad inputs, built by code, dropped all at once into the raw folders of a built warehouse
beside good files: each file or row gets its exact outcome (loaded, loaded with a flagged row, a row
rejected, the file rejected with which reason, a duplicate, superseded, not a submission at all), and
every other file of the same run still loads and is published.

One run of the pipeline serves every case (module fixture); each case is its own test.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import docx
import duckdb
import openpyxl
import pytest

from pipelines.extracts.report_form import report_form
from pipelines.forms.report import layout
from pipelines.forms.report.fill import Filling, fill_report, input_cells
from pipelines.forms.report.template import ReportForm, write_template
from pipelines.settings import Settings
from tests.integration.conftest import FIXTURE_INDICES, build_warehouse, fork_warehouse, plan_text
from tests.unit.formats.test_workbooks import damage_sheet

RECEIVED = time.time() + 3600  # when the corpus arrives: after every file of the session's warehouse
# the corpus's reports (for 2024's periods) arrive on 19/12/2024, before 2024's books close (19/01/2025)
REPORTS_RECEIVED = datetime(2024, 12, 19, 8).timestamp()

# --------------------------------------------------------------------------------------------------
# how the files are made


@dataclass
class Workshop:
    """Where a case writes its file, and what it builds from: the fork's published copy (report forms)
    and a scratch folder for templates."""

    settings: Settings
    scratch: Path
    forms: dict[tuple[str, str], ReportForm] = field(default_factory=dict)

    def form(self, agency: str, period: str) -> ReportForm:
        if (agency, period) not in self.forms:
            with duckdb.connect(str(self.settings.published_path), read_only=True) as conn:
                self.forms[agency, period] = report_form(conn, agency, period)
        return self.forms[agency, period]

    def report(self, name: str, agency: str, period: str, filling: Filling | None = None) -> Path:
        """A report filled by a clerk (openpyxl), written as raw/reports/corpus/<name>."""
        template = self.scratch / f"{agency}-{period}.xlsx"
        if not template.exists():
            write_template(self.form(agency, period), template)
        return fill_report(template, self.settings.reports_dir / "corpus" / name, filling or Filling())


def _edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def _set_meta(workbook: openpyxl.Workbook, key: str, value: str) -> None:
    for row in workbook[layout.META_SHEET].iter_rows():
        if row[0].value == key:
            row[1].value = value


def _cache(path: Path, formula: str, value: str, *, error: bool = False) -> None:
    """Give a formula openpyxl wrote the value Excel would have cached for it (openpyxl caches none)."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    escaped = re.escape(formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode())
    pattern = re.compile(rb"(<c [^>]*?)(><f>" + escaped + rb"</f>)<v\s*/?>(?:</v>)?")
    replacement = rb"\1" + (b' t="e"' if error else b"") + rb"\2<v>" + value.encode() + b"</v>"
    changed = {name: pattern.sub(replacement, data) for name, data in parts.items()}
    assert changed != parts, f"formula {formula} not found"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in changed.items():
            target.writestr(name, data)


def _cell(workbook: openpyxl.Workbook, sheet: str, label: str, code: str) -> openpyxl.cell.Cell:
    """The cell under `label` in the row of `code` (an indicator or task code)."""
    cells = input_cells(workbook)
    if sheet == layout.INDICATORS_SHEET:
        return workbook[sheet][f"{cells.indicator_columns[label]}{cells.indicator_rows[code]}"]
    return workbook[sheet][f"{cells.task_columns[label]}{cells.task_rows[code]}"]


def _write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


# --------------------------------------------------------------------------------------------------
# what each case expects


@dataclass(frozen=True)
class FileIs:
    """The file's status in its mart (report_submissions, plan_documents, index_files) and, when
    rejected, the words its reason (in the mart and the quarantine list alike) must contain."""

    source: str  # reports, plans, indices
    name: str
    status: str
    reason: str | None = None


@dataclass(frozen=True)
class RowIs:
    """A row of a report: its status, words of its issue, and its value when one is counted."""

    name: str
    sheet: str  # indicators, tasks
    code: str
    status: str
    issue: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class NotASubmission:
    source: str
    name: str


Outcome = FileIs | RowIs | NotASubmission


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Workshop], object]
    outcome: Outcome


# --------------------------------------------------------------------------------------------------
# the corpus

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ROWS_FILE = "so-noi-vu-q3.xlsx"  # one report carrying a bad value in each of many rows
ROWS_AGENCY, ROWS_PERIOD = "dong_nai.so_noi_vu", "2024-Q3"


def _r(name: str) -> Callable[[Workshop], Path]:
    """A broken report file's path in the corpus folder."""
    return lambda shop: shop.settings.reports_dir / "corpus" / name


def _raw_report(name: str, content: bytes) -> Callable[[Workshop], Path]:
    return lambda shop: _write(_r(name)(shop), content)


def _report(
    name: str, agency: str, period: str, change: Callable[[openpyxl.Workbook], None] | None = None
) -> Callable[[Workshop], Path]:
    def make(shop: Workshop) -> Path:
        path = shop.report(name, agency, period)
        return _edit(path, change) if change else path

    return make


def _missing_sheet(workbook: openpyxl.Workbook) -> None:
    del workbook[layout.TASKS_SHEET]


def _rename_actual_header(workbook: openpyxl.Workbook) -> None:
    for cell in workbook[layout.INDICATORS_SHEET][3]:
        if cell.value == layout.ACTUAL:
            cell.value = "Kết quả"


def _visible_period(label: str) -> Callable[[openpyxl.Workbook], None]:
    def change(workbook: openpyxl.Workbook) -> None:
        for row in workbook[layout.GENERAL_SHEET].iter_rows():
            if row[0].value == layout.PERIOD_LABEL:
                row[1].value = label

    return change


def _meta(key: str, value: str) -> Callable[[openpyxl.Workbook], None]:
    return lambda workbook: _set_meta(workbook, key, value)


def _far_cell(address: str, value: str = "ghi chú") -> Callable[[openpyxl.Workbook], None]:
    def change(workbook: openpyxl.Workbook) -> None:
        workbook[layout.INDICATORS_SHEET][address] = value

    return change


def _broken_far_sheet(shop: Workshop) -> Path:
    """A report whose indicators sheet has a note at row 1,048,576 (so it is read from its XML) and a
    tag left open: the sheet cannot be read, the other reports of the run still load."""
    path = _report("hong-xa.xlsx", "dong_nai.so_tai_chinh", "2024-Q1")(shop)
    return damage_sheet(path, layout.INDICATORS_SHEET)


def _many_rows(workbook: openpyxl.Workbook) -> None:
    sheet = workbook[layout.INDICATORS_SHEET]
    for row in range(100, 100_102):
        sheet.cell(row=row, column=1, value=row)


def _header_moved_down(workbook: openpyxl.Workbook) -> None:
    workbook[layout.INDICATORS_SHEET].insert_rows(1, 40)


def _zip_bomb(shop: Workshop) -> Path:
    path = shop.report("giai-nen-qua-lon.xlsx", "dong_nai.so_tu_phap", "2024-FY")
    archive = zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED)
    with archive, archive.open("xl/media/anh.bin", "w") as part:
        for _ in range(260):  # 260 MiB of zeros: a few hundred kB zipped
            part.write(b"\0" * (1 << 20))
    return path


def _encrypted(shop: Workshop) -> Path:
    stream = "EncryptedPackage".encode("utf-16-le")
    return _write(_r("mat-khau.xlsx")(shop), OLE + b"\0" * 64 + stream + b"\0" * 64)


def _docx_as_xlsx(shop: Workshop) -> Path:
    document = docx.Document()
    document.add_paragraph("Báo cáo CCHC quý III")
    path = _r("bao-cao-word.xlsx")(shop)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _received_later(make: Callable[[Workshop], Path], seconds: int) -> Callable[[Workshop], Path]:
    """A file made by `make`, received `seconds` after the corpus."""

    def made(shop: Workshop) -> Path:
        path = make(shop)
        os.utime(path, (RECEIVED + seconds, RECEIVED + seconds))
        return path

    return made


def _copy_of(source: Callable[[Workshop], Path], target: Callable[[Workshop], Path], later: int = 60):
    def make(shop: Workshop) -> Path:
        original, copy = source(shop), target(shop)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, copy)
        os.utime(copy, (RECEIVED + later, RECEIVED + later))
        return copy

    return make


def _symlink(shop: Workshop) -> Path:
    outside = _write(shop.scratch / "outside" / "secret.xlsx", b"not a report")
    link = _r("lien-ket.xlsx")(shop)
    link.symlink_to(outside)
    return link


def _rows_report(shop: Workshop) -> Path:
    """so_noi_vu 2024-Q3: one bad value in each of many indicator and task rows."""
    rows = _rows(shop)
    r, t = dict(enumerate(rows["rates"])), dict(enumerate(rows["tasks"]))
    filling = Filling(
        actuals={
            r[0]: "NaN",
            r[1]: "inf",
            r[2]: "1e999",
            r[3]: -5,
            r[4]: "150",
            r[5]: "chưa có số liệu",
            r[9]: 0.975,  # typed "97,5%" in a percent-formatted cell
            r[10]: 88,
        },
        parts={r[6]: (5, 0)},
        edited_targets={r[10]: "50"},
        statuses={
            t[0]: ("Xong rồi", None),
            t[1]: ("Hoàn thành", "32/13/2024"),
            t[2]: ("Hoàn thành", "01/01/1900"),
            t[3]: ("Hoàn thành", "15/03/2031"),
            t[4]: ("Hoàn thành", date(2025, 3, 1)),
            t[5]: ("Hoàn thành", None),
        },
    )
    path = shop.report(ROWS_FILE, ROWS_AGENCY, ROWS_PERIOD, filling)

    def change(workbook: openpyxl.Workbook) -> None:
        indicators = workbook[layout.INDICATORS_SHEET]
        _cell(workbook, layout.INDICATORS_SHEET, layout.ACTUAL, r[9]).number_format = "0.0%"
        _cell(workbook, layout.INDICATORS_SHEET, layout.ACTUAL, r[7]).value = '=HYPERLINK("http://x.vn",95)'
        _cell(workbook, layout.INDICATORS_SHEET, layout.ACTUAL, r[8]).value = "=cmd|' /C calc'!A0"
        _cell(workbook, layout.INDICATORS_SHEET, layout.ACTUAL, r[11]).value = "=1/0"
        _cell(workbook, layout.INDICATORS_SHEET, layout.ACTUAL, r[12]).value = "=40+50"
        code_column = input_cells(workbook).indicator_columns[layout.INDICATOR_CODE]
        actual_column = input_cells(workbook).indicator_columns[layout.ACTUAL]
        last = max(input_cells(workbook).indicator_rows.values())
        indicators[f"{actual_column}{last + 2}"] = 70  # a value typed under the table, without a code
        indicators[f"{code_column}{last + 3}"] = "chi_tieu_tu_dat"
        indicators[f"{actual_column}{last + 3}"] = 60
        task_columns = input_cells(workbook).task_columns
        last_task = max(input_cells(workbook).task_rows.values())
        workbook[layout.TASKS_SHEET][f"{task_columns[layout.TASK]}{last_task + 1}"] = "Nhiệm vụ thêm"
        workbook[layout.TASKS_SHEET][f"{task_columns[layout.STATUS]}{last_task + 1}"] = "Hoàn thành"

    _edit(path, change)
    _cache(path, 'HYPERLINK("http://x.vn",95)', "95")
    _cache(path, "cmd|' /C calc'!A0", "0")
    _cache(path, "1/0", "#DIV/0!", error=True)
    _cache(path, "40+50", "90")
    return path


def _rows(shop: Workshop) -> dict[str, list[str]]:
    """The codes of the rows report's rate indicators and tasks, in the template's order."""
    form = shop.form(ROWS_AGENCY, ROWS_PERIOD)
    return {
        "rates": [line.code for line in form.indicators if line.is_rate],
        "tasks": [line.code for line in form.tasks],
    }


@dataclass(frozen=True)
class RowRef:
    """A row of the rows report by position among its rates or tasks, resolved once the form is known."""

    kind: str  # rates, tasks
    position: int


def _p(name: str) -> Callable[[Workshop], Path]:
    return lambda shop: shop.settings.plans_dir / "corpus" / name


def _plan(name: str, content: bytes) -> Callable[[Workshop], Path]:
    return lambda shop: _write(_p(name)(shop), content)


def _i(name: str) -> Callable[[Workshop], Path]:
    return lambda shop: shop.settings.indices_dir / "corpus" / name


def _index(name: str, content: bytes) -> Callable[[Workshop], Path]:
    return lambda shop: _write(_i(name)(shop), content)


def _shifted_pci(shop: Workshop) -> Path:
    path = _i("PCI_2014 - ban sua.xlsx")(shop)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FIXTURE_INDICES / "PCI_2014.xlsx", path)
    _edit(path, lambda workbook: [sheet.insert_cols(1) for sheet in workbook.worksheets])
    os.utime(path, (RECEIVED + 120, RECEIVED + 120))
    return path


def _word_plan_broken(shop: Workshop) -> Path:
    return _write(_p("ke-hoach-hong.docx")(shop), b"PK\x03\x04 cut short")


SEED_PLAN = "kh-300-ubnd-dong-nai-2024.md"
HTML = "<!DOCTYPE html><html><body><table><tr><td>Báo cáo</td></tr></table></body></html>".encode()
CSV = "Mã chỉ tiêu,Kết quả\nonline_application_rate,97\n".encode()

REPORT_CASES = [
    Case(
        "report-empty",
        _raw_report("rong.xlsx", b""),
        FileIs("reports", "rong.xlsx", "rejected", "Tệp rỗng"),
    ),
    Case(
        "report-truncated",
        _raw_report("cat-ngang.xlsx", b"PK\x03\x04\x14\x00 cut short while sending"),
        FileIs("reports", "cat-ngang.xlsx", "rejected", "tệp bị hỏng"),
    ),
    Case(
        "report-pdf-renamed",
        _raw_report("ban-in.xlsx", b"%PDF-1.7\n%scan"),
        FileIs("reports", "ban-in.xlsx", "rejected", "Tệp là PDF"),
    ),
    Case(
        "report-html-as-xlsx",
        _raw_report("xuat-tu-phan-mem.xlsx", HTML),
        FileIs("reports", "xuat-tu-phan-mem.xlsx", "rejected", "trang web (HTML)"),
    ),
    Case(
        "report-csv-as-xlsx",
        _raw_report("luu-csv.xlsx", CSV),
        FileIs("reports", "luu-csv.xlsx", "rejected", "văn bản thuần (CSV"),
    ),
    Case(
        "report-utf16-text-as-xlsx",
        _raw_report("luu-unicode.xlsx", CSV.decode().encode("utf-16")),
        FileIs("reports", "luu-unicode.xlsx", "rejected", "văn bản thuần (CSV"),
    ),
    Case(
        "report-word-as-xlsx",
        _docx_as_xlsx,
        FileIs("reports", "bao-cao-word.xlsx", "rejected", "văn bản Word (.docx)"),
    ),
    Case(
        "report-zip-as-xlsx",
        lambda shop: _zip(_r("nen.xlsx")(shop), {"bao-cao.txt": b"xem tep dinh kem"}),
        FileIs("reports", "nen.xlsx", "rejected", "tệp nén (.zip)"),
    ),
    Case(
        "report-xls-renamed",
        _raw_report("cu.xlsx", OLE + b"\0" * 512),
        FileIs("reports", "cu.xlsx", "rejected", "Excel cũ (.xls)"),
    ),
    Case("report-encrypted", _encrypted, FileIs("reports", "mat-khau.xlsx", "rejected", "mật khẩu")),
    Case(
        "report-csv-suffix",
        _raw_report("bao-cao.csv", CSV),
        FileIs("reports", "bao-cao.csv", "rejected", "Định dạng '.csv'"),
    ),
    Case(
        "report-no-suffix",
        _raw_report("bao-cao", b"PK\x03\x04"),
        FileIs("reports", "bao-cao", "rejected", "không có phần mở rộng"),
    ),
    Case(
        "report-sheet-deleted",
        _report("xoa-trang.xlsx", "dong_nai.so_tu_phap", "2024-Q1", _missing_sheet),
        FileIs("reports", "xoa-trang.xlsx", "rejected", f"Thiếu trang '{layout.TASKS_SHEET}'"),
    ),
    Case(
        "report-unknown-agency",
        _report(
            "co-quan-la.xlsx", "dong_nai.so_tu_phap", "2024-Q1", _meta(layout.META_AGENCY, "dong_nai.so_xyz")
        ),
        FileIs("reports", "co-quan-la.xlsx", "rejected", "không có trong danh mục cơ quan"),
    ),
    Case(
        "report-impossible-period",
        _report("ky-sai.xlsx", "dong_nai.so_tu_phap", "2024-Q1", _meta(layout.META_PERIOD, "2024-Q5")),
        FileIs("reports", "ky-sai.xlsx", "rejected", "không phải kỳ báo cáo theo quy định"),
    ),
    Case(
        "report-future-year",
        _report("nam-sau.xlsx", "dong_nai.so_tu_phap", "2024-Q1", _meta(layout.META_PERIOD, "2031-Q1")),
        FileIs("reports", "nam-sau.xlsx", "rejected", "chưa tới hoặc quá xa"),
    ),
    Case(
        "report-visible-period-contradicts",
        _report("ky-mau-thuan.xlsx", "dong_nai.so_tu_phap", "2024-Q3", _visible_period("Quý I/2024")),
        FileIs("reports", "ky-mau-thuan.xlsx", "rejected", "ghi kỳ 'Quý I/2024'"),
    ),
    Case(
        "report-file-name-names-another-period",
        _report("so-tu-phap-quy-1-2024.xlsx", "dong_nai.so_tu_phap", "2024-H1"),
        FileIs("reports", "so-tu-phap-quy-1-2024.xlsx", "rejected", "Tên tệp ghi kỳ 2024-Q1"),
    ),
    Case(
        "report-column-renamed",
        _report("doi-cot.xlsx", "dong_nai.van_phong_ubnd", "2024-Q1", _rename_actual_header),
        FileIs("reports", "doi-cot.xlsx", "rejected", f"thiếu cột '{layout.ACTUAL}'"),
    ),
    Case(
        "report-too-many-rows",
        _report("qua-nhieu-dong.xlsx", "dong_nai.bql_cac_kcn", "2024-Q3", _many_rows),
        FileIs("reports", "qua-nhieu-dong.xlsx", "rejected", "vượt giới hạn 100.000 dòng"),
    ),
    Case(
        "report-stray-cell-far-right-and-down",
        _report("o-xa.xlsx", "dong_nai.bql_cac_kcn", "2024-H1", _far_cell("Z1048576")),
        FileIs("reports", "o-xa.xlsx", "accepted"),
    ),
    Case(
        "report-broken-sheet-read-from-its-xml",
        _broken_far_sheet,
        FileIs(
            "reports", "hong-xa.xlsx", "rejected", f"Không đọc được trang tính '{layout.INDICATORS_SHEET}'"
        ),
    ),
    Case(
        "report-too-wide",
        _report("qua-rong.xlsx", "dong_nai.bql_cac_kcn", "2024-Q1", _far_cell("AAA5")),
        FileIs("reports", "qua-rong.xlsx", "rejected", "tới cột AAA"),
    ),
    Case(
        "report-too-large",
        _raw_report("qua-nang.xlsx", b"PK\x03\x04" + b"\0" * 26_000_000),
        FileIs("reports", "qua-nang.xlsx", "rejected", "vượt giới hạn 25 MB"),
    ),
    Case(
        "report-zip-bomb",
        _zip_bomb,
        FileIs("reports", "giai-nen-qua-lon.xlsx", "rejected", "vượt giới hạn 250 MB"),
    ),
    Case(
        "report-nan-is-one-row-not-the-file",
        lambda shop: shop.report(
            "so-tu-phap-q3-nan.xlsx",
            "dong_nai.so_tu_phap",
            "2024-Q3",
            Filling(actuals={shop.form("dong_nai.so_tu_phap", "2024-Q3").indicators[0].code: "NaN"}),
        ),
        FileIs("reports", "so-tu-phap-q3-nan.xlsx", "accepted"),
    ),
    Case(
        "report-header-below-row-30",
        _report("tieu-de-thap.xlsx", "dong_nai.so_thong_tin_truyen_thong", "2024-Q3", _header_moved_down),
        FileIs("reports", "tieu-de-thap.xlsx", "accepted"),
    ),
    Case(
        "report-cell-at-row-1048576",
        _report("ghi-chu-cuoi.xlsx", "dong_nai.van_phong_ubnd", "2024-Q3", _far_cell("A1048576")),
        FileIs("reports", "ghi-chu-cuoi.xlsx", "accepted"),
    ),
    Case(
        "report-hidden-file-is-read",
        _report(".so-noi-vu-ca-nam.xlsx", "dong_nai.so_noi_vu", "2024-FY"),
        FileIs("reports", ".so-noi-vu-ca-nam.xlsx", "accepted"),
    ),
    Case(
        "report-byte-copy",
        _copy_of(_r("ghi-chu-cuoi.xlsx"), _r("email/ban-chuyen-tiep.xlsx")),
        FileIs("reports", "email/ban-chuyen-tiep.xlsx", "duplicate"),
    ),
    Case(
        "report-excel-lock-file",
        _raw_report("~$so-noi-vu-q3.xlsx", b"owner lock"),
        NotASubmission("reports", "~$so-noi-vu-q3.xlsx"),
    ),
    Case("report-symlink-not-followed", _symlink, NotASubmission("reports", "lien-ket.xlsx")),
]

ROW_CASES = [
    ("nan", RowRef("rates", 0), "rejected", "'NaN' không phải là số", None),
    ("infinity", RowRef("rates", 1), "rejected", "'inf' không phải là số", None),
    ("overflow", RowRef("rates", 2), "rejected", "'1e999' không phải là số", None),
    ("negative-rate", RowRef("rates", 3), "rejected", "nằm ngoài 0-100 %", None),
    ("rate-above-100", RowRef("rates", 4), "rejected", "nằm ngoài 0-100 %", None),
    ("text-for-number", RowRef("rates", 5), "rejected", "'chưa có số liệu' không phải là số", None),
    ("zero-denominator", RowRef("rates", 6), "rejected", "mẫu số bằng 0", None),
    ("hyperlink-formula", RowRef("rates", 7), "rejected", "lấy giá trị từ nơi khác", None),
    ("dde-formula", RowRef("rates", 8), "rejected", "lấy giá trị từ nơi khác", None),
    ("percent-formatted-fraction", RowRef("rates", 9), "accepted", None, 97.5),
    ("target-typed-over", RowRef("rates", 10), "flagged", "chỉ tiêu kế hoạch bị sửa", 88.0),
    ("cached-div-zero", RowRef("rates", 11), "rejected", "báo lỗi #DIV/0!", None),
    ("arithmetic-formula", RowRef("rates", 12), "flagged", "chứa công thức '=40+50'", 90.0),
    ("unknown-indicator-code", "chi_tieu_tu_dat", "rejected", "không có trong danh mục chỉ tiêu", None),
    ("value-without-indicator-code", "", "rejected", "không có mã chỉ tiêu", None),
    ("status-not-in-list", RowRef("tasks", 0), "rejected", "'Xong rồi' không có trong danh sách", None),
    ("impossible-date", RowRef("tasks", 1), "rejected", "'32/13/2024' không phải ngày", None),
    ("date-in-1900", RowRef("tasks", 2), "rejected", "01/01/1900 không thể đúng", None),
    ("date-in-2031", RowRef("tasks", 3), "rejected", "15/03/2031 không thể đúng", None),
    ("date-after-the-report-year", RowRef("tasks", 4), "flagged", "sau năm 2024 của kỳ báo cáo", None),
    ("done-without-date", RowRef("tasks", 5), "flagged", "chưa ghi ngày hoàn thành", None),
    ("untouched-task", RowRef("tasks", 6), "missing", None, None),
    ("task-added-outside-the-template", "", "rejected", "nhiệm vụ thêm ngoài mẫu", None),
]

PLAN_CASES = [
    Case(
        "plan-byte-copy",
        _copy_of(lambda shop: shop.settings.plans_dir / SEED_PLAN, _p("kh-300-ubnd-dong-nai-2024 (1).md")),
        FileIs("plans", "corpus/kh-300-ubnd-dong-nai-2024 (1).md", "duplicate"),
    ),
    Case(
        "plan-renamed-copy-in-another-folder",
        _copy_of(lambda shop: shop.settings.plans_dir / SEED_PLAN, _p("email/ke-hoach-cchc.md"), later=90),
        FileIs("plans", "corpus/email/ke-hoach-cchc.md", "duplicate"),
    ),
    Case(
        "plan-appendix-without-areas",
        _plan("khong-linh-vuc.md", plan_text(901, areas=False).encode()),
        FileIs("plans", "corpus/khong-linh-vuc.md", "rejected", "không nằm dưới dòng tiêu đề lĩnh vực nào"),
    ),
    Case(
        "plan-utf16-with-bom",
        _plan("unicode.txt", plan_text(902).encode("utf-16")),
        FileIs("plans", "corpus/unicode.txt", "counted"),
    ),
    Case(
        "plan-utf16-without-bom",
        _plan("unicode-be.txt", plan_text(903).encode("utf-16-be")),
        FileIs("plans", "corpus/unicode-be.txt", "counted"),
    ),
    Case(
        "plan-binary-as-text",
        _plan("anh.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x04\xb0"),
        FileIs("plans", "corpus/anh.md", "rejected", "không phải văn bản"),
    ),
    Case("plan-empty", _plan("rong.md", b" \n"), FileIs("plans", "corpus/rong.md", "rejected", "Tệp rỗng")),
    Case(
        "plan-legacy-encoding",
        _plan("tcvn.txt", b"K\xea ho\xb9ch n\xe3m 2024"),
        FileIs("plans", "corpus/tcvn.txt", "rejected", "bảng mã Unicode (UTF-8)"),
    ),
    Case(
        "plan-old-word-format",
        _plan("ke-hoach.doc", OLE + b"\0" * 64),
        FileIs("plans", "corpus/ke-hoach.doc", "rejected", "Định dạng '.doc' chưa được hỗ trợ"),
    ),
    Case(
        "plan-broken-word",
        _word_plan_broken,
        FileIs("plans", "corpus/ke-hoach-hong.docx", "rejected", "Không mở được tệp Word"),
    ),
    Case(
        "plan-too-large",
        _plan("qua-nang.md", plan_text(904).encode() + b" " * 26_000_000),
        FileIs("plans", "corpus/qua-nang.md", "rejected", "vượt giới hạn 25 MB"),
    ),
    Case(
        "plan-not-a-plan",
        _plan("ghi-chu-hop.md", "Ghi chú họp giao ban tuần.\n".encode()),
        FileIs("plans", "corpus/ghi-chu-hop.md", "rejected", "Không tìm thấy chỉ tiêu"),
    ),
    Case(
        "plan-without-year",
        _plan("khong-nam.md", plan_text(905).replace("năm 2025", "").replace("năm 2024", "").encode()),
        FileIs("plans", "corpus/khong-nam.md", "rejected", "Không xác định được năm"),
    ),
    Case(
        "plan-first-submission-superseded",
        _plan("kh-906.md", plan_text(906).encode()),
        FileIs("plans", "corpus/kh-906.md", "superseded"),
    ),
    Case(
        "plan-resubmission-counts",
        _received_later(_plan("kh-906-sua.md", plan_text(906, task="Rà soát, sửa đổi").encode()), 300),
        FileIs("plans", "corpus/kh-906-sua.md", "counted"),
    ),
    Case(
        "plan-hidden-file-is-read",
        _plan(".ke-hoach-an.md", plan_text(907).encode()),
        FileIs("plans", "corpus/.ke-hoach-an.md", "counted"),
    ),
]

INDEX_CASES = [
    Case(
        "index-byte-copy",
        _copy_of(lambda shop: shop.settings.indices_dir / "PCI_2005.xls", _i("PCI_2005 (1).xls")),
        FileIs("indices", "corpus/PCI_2005 (1).xls", "duplicate"),
    ),
    Case(
        "index-resubmission-with-columns-moved",
        _shifted_pci,
        FileIs("indices", "corpus/PCI_2014 - ban sua.xlsx", "counted"),
    ),
    Case(
        "index-first-edition-superseded",
        lambda shop: None,  # the session's PCI_2014.xlsx, which the case above supersedes
        FileIs("indices", "PCI_2014.xlsx", "superseded"),
    ),
    Case(
        "index-csv-byte-copy",
        _copy_of(lambda shop: shop.settings.indices_dir / "par_index_published.csv", _i("par (1).csv")),
        FileIs("indices", "corpus/par (1).csv", "duplicate"),
    ),
    Case(
        "index-name-unknown",
        lambda shop: _edit(
            shutil.copyfile(FIXTURE_INDICES / "PCI_2014.xlsx", _write(_i("bang-diem.xlsx")(shop), b"")),
            lambda workbook: [setattr(sheet, "title", f"Bang {n}") for n, sheet in enumerate(workbook)],
        ),
        FileIs("indices", "corpus/bang-diem.xlsx", "rejected", "Không nhận ra đây là chỉ số nào"),
    ),
    Case(
        "index-truncated",
        _index("PCI_2016.xlsx", b"PK\x03\x04\x14\x00 cut"),
        FileIs("indices", "corpus/PCI_2016.xlsx", "rejected", "tệp bị hỏng"),
    ),
    Case(
        "index-csv-as-xlsx",
        _index("PCI_2017.xlsx", b"province,score\nHa Noi,60\n"),
        FileIs("indices", "corpus/PCI_2017.xlsx", "rejected", "văn bản thuần (CSV"),
    ),
    Case(
        "index-html-as-xlsx",
        _index("PCI_2018.xlsx", HTML),
        FileIs("indices", "corpus/PCI_2018.xlsx", "rejected", "trang web (HTML)"),
    ),
    Case(
        "index-csv-with-nan",
        _index(
            "par_index_2013.csv",
            "index,year,province,score,rank,note,source\nPAR_INDEX,2013,Đà Nẵng,NaN,1,,báo\n".encode(),
        ),
        FileIs("indices", "corpus/par_index_2013.csv", "rejected", "dòng 2: điểm 'NaN'"),
    ),
    Case(
        "index-pdf",
        _index("PAPI_2020.pdf", b"%PDF-1.7"),
        FileIs("indices", "corpus/PAPI_2020.pdf", "rejected", "Định dạng '.pdf' không phải bảng tính Excel"),
    ),
]


# --------------------------------------------------------------------------------------------------
# one run over the whole corpus


@dataclass(frozen=True)
class Seen:
    """What the run left: file statuses and reasons by source, report rows, the quarantine list, and
    figures of the good data before and after."""

    files: dict[tuple[str, str], tuple[str, str | None]]
    indicator_rows: dict[str, tuple[str, str | None, float | None]]
    task_rows: dict[str, tuple[str, str | None]]
    quarantined_files: dict[tuple[str, str], str]
    quarantined_rows: set[tuple[str, int]]
    row_reasons: dict[str, list[str]]  # file → reasons of its quarantined rows
    rows: dict[str, list[str]]
    succeeded: bool
    before: dict[str, int]
    after: dict[str, int]


_FILE_STATUS = {
    "reports": ("report_submissions", "submission_status"),
    "plans": ("plan_documents", "document_status"),
    "indices": ("index_files", "file_status"),
}
_FIGURES = {
    "counted seed plans": (
        "select count(*) from main.plan_documents where is_counted and source_file not like 'corpus/%'"
    ),
    "targets of seed plans": "select count(*) from main.plan_targets where source_file not like 'corpus/%'",
    "PCI 2014 scores": (
        "select count(*) from main.fact_index_score where index_key = 'PCI' and score_year = 2014"
    ),
    "all index scores": "select count(*) from main.fact_index_score",
    "publications": "select count(*) from pipeline.publications",
}


def _figures(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as conn:
        return {name: conn.execute(sql).fetchone()[0] for name, sql in _FIGURES.items()}


@pytest.fixture(scope="module")
def seen(warehouse_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Seen:
    settings = fork_warehouse(warehouse_settings, tmp_path_factory.mktemp("corpus"))
    shop = Workshop(settings, tmp_path_factory.mktemp("scratch"))
    before = _figures(settings.published_path)
    made = [case.make(shop) for case in (*REPORT_CASES, *PLAN_CASES, *INDEX_CASES)]
    made.append(_rows_report(shop))
    for path in made:  # received together, after the session's files; copies and resubmissions later
        if isinstance(path, Path) and not path.is_symlink():
            moment = max(path.stat().st_mtime, RECEIVED)
            if path.is_relative_to(settings.reports_dir):  # in 2024's time, before its books closed
                moment += REPORTS_RECEIVED - RECEIVED
            os.utime(path, (moment, moment))
    results = build_warehouse(settings)
    with duckdb.connect(str(settings.published_path), read_only=True) as conn:
        files = {}
        for source, (table, column) in _FILE_STATUS.items():
            prefix = "corpus/" if source == "reports" else ""
            for name, status, reason in conn.execute(
                f"select source_file, {column}, rejection_reason from main.{table}"
            ).fetchall():
                files[source, name.removeprefix(prefix)] = (status, reason)
        indicator_rows = {
            code: (status, issue, value)
            for code, status, issue, value in conn.execute(
                "select indicator_code, row_status, issue, actual_value"
                " from raw_reports.report_indicator_values where source_file = ?",
                [f"corpus/{ROWS_FILE}"],
            ).fetchall()
        }
        task_rows = {
            code: (status, issue)
            for code, status, issue in conn.execute(
                "select task_code, row_status, issue from raw_reports.report_task_status"
                " where source_file = ?",
                [f"corpus/{ROWS_FILE}"],
            ).fetchall()
        }
    with duckdb.connect(str(settings.quarantine_path), read_only=True) as conn:
        quarantined_files = {
            (source, name.removeprefix("corpus/") if source == "reports" else name): reason
            for source, name, reason in conn.execute(
                "select source, source_file, reason from quarantined_files"
            ).fetchall()
        }
        quarantined_rows = set(
            conn.execute(
                "select table_name, row_number from quarantined_rows where source_file = ?",
                [f"corpus/{ROWS_FILE}"],
            ).fetchall()
        )
        row_reasons: dict[str, list[str]] = {}
        for name, reason in conn.execute("select source_file, reason from quarantined_rows").fetchall():
            row_reasons.setdefault(name.removeprefix("corpus/"), []).append(reason)
    return Seen(
        files,
        indicator_rows,
        task_rows,
        quarantined_files,
        quarantined_rows,
        row_reasons,
        _rows(shop),
        all(result.success for result in results),
        before,
        _figures(settings.published_path),
    )


def test_the_corpus_is_large_and_every_case_distinct():
    ids = [case.id for case in (*REPORT_CASES, *PLAN_CASES, *INDEX_CASES)] + [row[0] for row in ROW_CASES]
    assert len(ids) == len(set(ids)) >= 60


@pytest.mark.parametrize("case", [*REPORT_CASES, *PLAN_CASES, *INDEX_CASES], ids=lambda case: case.id)
def test_each_file_gets_its_exact_outcome(seen: Seen, case: Case):
    outcome = case.outcome
    if isinstance(outcome, NotASubmission):
        assert (outcome.source, outcome.name) not in seen.files
        assert not any(name.endswith(outcome.name) for _, name in seen.files)
        return
    status, reason = seen.files[outcome.source, outcome.name]
    assert status == outcome.status, reason
    if outcome.status == "rejected":
        assert outcome.reason in reason
        assert seen.quarantined_files[outcome.source, outcome.name] == reason
        # the reason is the clerk's, in Vietnamese: no library's English ("invalid Zip archive: …")
        assert not re.search(r"\b(?:error|Error|invalid|archive|Could not)\b", reason), reason
    else:
        assert reason is None
        assert (outcome.source, outcome.name) not in seen.quarantined_files


@pytest.mark.parametrize(
    ("row", "status", "issue", "value"), [row[1:] for row in ROW_CASES], ids=[row[0] for row in ROW_CASES]
)
def test_each_bad_value_gets_its_exact_row_outcome(seen: Seen, row, status, issue, value):
    code = row if isinstance(row, str) else seen.rows[row.kind][row.position]
    is_task = (isinstance(row, RowRef) and row.kind == "tasks") or issue == "nhiệm vụ thêm ngoài mẫu"
    found = seen.task_rows[code] if is_task else seen.indicator_rows[code]
    assert found[0] == status, found
    if issue is None:
        assert found[1] is None
    else:
        assert issue in found[1]
    if not is_task and status != "rejected":
        assert found[2] == value
    if status == "rejected":
        assert seen.files["reports", ROWS_FILE][0] == "accepted"  # the row is quarantined, not the file


def test_rejected_rows_are_in_the_quarantine_list(seen: Seen):
    statuses = [status for status, *_ in (*seen.indicator_rows.values(), *seen.task_rows.values())]
    assert len(seen.quarantined_rows) == statuses.count("rejected") >= 15


def test_everything_else_still_loads_and_is_published(seen: Seen):
    assert seen.succeeded  # no platform invariant broke: the run exits zero
    assert seen.after["publications"] == seen.before["publications"] + 1
    for name in ("counted seed plans", "targets of seed plans", "PCI 2014 scores", "all index scores"):
        assert seen.after[name] == seen.before[name], name  # copies counted once, resubmission replaces
    assert seen.files["indices", "PCI_2005.xls"] == ("counted", None)
    assert seen.files["indices", "par_index_published.csv"] == ("counted", None)


def test_a_nan_report_and_a_plan_without_area_headings_are_quarantined_and_the_rest_is_published(seen: Seen):
    """The issue's two files that used to stop publication for everyone."""
    nan_report = "so-tu-phap-q3-nan.xlsx"
    assert seen.files["reports", nan_report] == ("accepted", None)  # its other rows count
    (reason,) = seen.row_reasons[nan_report]
    assert re.fullmatch(r"Ô [A-Z]+\d+ \('Kết quả thực hiện'\): 'NaN' không phải là số\.", reason)
    status, reason = seen.files["plans", "corpus/khong-linh-vuc.md"]
    assert status == "rejected"
    assert reason.startswith(
        "2 nhiệm vụ của bảng phụ lục không nằm dưới dòng tiêu đề lĩnh vực nào (đầu tiên: STT 1,"
    )
    assert seen.succeeded and seen.after["publications"] == seen.before["publications"] + 1

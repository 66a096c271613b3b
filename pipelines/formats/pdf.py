"""A plan as PDF: printed from the e-office system (a text layer) or scanned after signing (images).

pypdfium2 opens the file (fast, and strict about what a PDF is) and says which pages carry text;
text pages are read by `pdf_text` (characters and ruling lines from pdfium), scanned pages are
rendered and read by `scans` with Tesseract, one page per core. Both give positioned words and table
grids, which `pdf_layout` turns into the same paragraphs and tables every reader produces.

Limits, for a file that would stall the run: MAX_PAGES pages in all and MAX_SCAN_PAGES scanned pages
(a plan with its appendix runs to 20-60 pages), and Tesseract's PAGE_SECONDS per page.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipelines.formats.blocks import Block, DocumentRejected, PageReading
from pipelines.formats.pdf_layout import to_blocks
from pipelines.formats.pdf_text import text_page
from pipelines.formats.scans import DPI, OcrUnavailable, ocr_ready, read_scans

log = logging.getLogger(__name__)

MAX_PAGES = 300
MAX_SCAN_PAGES = 80
# A page with fewer characters than this in its text layer is a scan (some scanners stamp a page
# number or a file name as text on the image).
MIN_TEXT_CHARS = 30
_NO_PAGES = "Tệp PDF không có trang nào: hãy xuất lại bản PDF của kế hoạch rồi gửi lại."


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if has_no_pages(path):  # pdfium refuses an empty page tree without naming an error
            raise DocumentRejected(path.name, _NO_PAGES, detail="PDF without pages") from error
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise DocumentRejected(
                path.name,
                "Tệp PDF được đặt mật khẩu: hãy gửi bản PDF không đặt mật khẩu (hoặc bản Word) của kế hoạch.",
                detail=f"encrypted PDF ({error})",
            ) from error
        raise DocumentRejected(
            path.name,
            "Không mở được tệp PDF: tệp hỏng hoặc tải về chưa trọn. Hãy tải lại bản gốc từ hệ thống văn"
            " bản rồi gửi lại.",
            detail=f"unreadable PDF ({error})",
        ) from error


def _kind(page: pdfium.PdfPage) -> str:
    """'text' for a page with a text layer, 'scan' for a page that is an image (hardly any text, an
    image over half of it), 'blank' for neither."""
    textpage = page.get_textpage()
    try:
        characters = len(textpage.get_text_range().strip())
    finally:
        textpage.close()
    if characters >= MIN_TEXT_CHARS:
        return "text"
    width, height = page.get_size()
    for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        if (right - left) * (top - bottom) > 0.5 * width * height:
            return "scan"
    return "text" if characters else "blank"


def has_no_pages(path: Path) -> bool:
    """True for a well-formed PDF whose page tree is empty (pdfminer reads what pdfium refuses)."""
    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages) == 0
    except Exception:  # a file pdfminer cannot parse either is corrupt, not empty
        return False


def _rendered(document: pdfium.PdfDocument, numbers: list[int]):
    """Scanned pages as 8-bit grey images at the OCR resolution, one at a time (pdfium is not
    thread-safe: pages are rendered here and read in the OCR threads)."""
    for number in numbers:
        bitmap = document[number - 1].render(scale=DPI / 72, grayscale=True)
        yield number, np.asarray(bitmap.to_pil().convert("L"))


def read_pdf(path: Path) -> tuple[tuple[Block, ...], tuple[PageReading, ...]]:
    """The plan's blocks, and how each page was read. Raises DocumentRejected with the clerk's reason."""
    document = _open(path)
    try:
        count = len(document)
        if count == 0:
            raise DocumentRejected(path.name, _NO_PAGES, detail="PDF without pages")
        if count > MAX_PAGES:
            raise DocumentRejected(
                path.name,
                f"Tệp PDF có {count} trang, vượt giới hạn {MAX_PAGES} trang của một kế hoạch: hãy gửi riêng"
                " kế hoạch và phụ lục của nó.",
                detail=f"{count} pages > {MAX_PAGES}",
            )
        kinds = {number: _kind(document[number - 1]) for number in range(1, count + 1)}
        with_text = [number for number, kind in kinds.items() if kind == "text"]
        scanned = [number for number, kind in kinds.items() if kind == "scan"]
        if len(scanned) > MAX_SCAN_PAGES:
            raise DocumentRejected(
                path.name,
                f"Bản scan có {len(scanned)} trang, vượt giới hạn {MAX_SCAN_PAGES} trang: hãy gửi bản PDF"
                " xuất từ hệ thống văn bản (có lớp chữ) hoặc bản Word.",
                detail=f"{len(scanned)} scanned pages > {MAX_SCAN_PAGES}",
            )
        if scanned:
            try:
                ocr_ready()
            except OcrUnavailable as missing:
                log.error("%s: %d scanned pages cannot be read: %s", path.name, len(scanned), missing)
                raise DocumentRejected(
                    path.name,
                    f"Tệp có {len(scanned)} trang scan (ảnh, không có lớp chữ) nhưng máy chủ chưa cài phần"
                    " mềm nhận dạng chữ (OCR): hãy báo quản trị hệ thống, hoặc gửi bản PDF có lớp chữ hay"
                    " bản Word.",
                    detail=f"scanned PDF and {missing}",
                ) from missing
            try:
                layouts = read_scans(_rendered(document, scanned))
            except subprocess.TimeoutExpired as error:
                raise DocumentRejected(
                    path.name,
                    "Một trang scan quá lớn hoặc hỏng, không nhận dạng được trong thời gian cho phép: hãy"
                    " scan lại ở độ phân giải 300 dpi.",
                    detail=f"OCR timed out ({error})",
                ) from error
        else:
            layouts = []
        layouts += [text_page(document[number - 1], number) for number in with_text]
    finally:
        document.close()
    layouts.sort(key=lambda layout: layout.number)
    readings = tuple(
        PageReading(layout.number, "scan" if layout.is_scan else "text", layout.confidence)
        for layout in layouts
    )
    return to_blocks(layouts), readings

"""Pages of a scanned plan (images, no text layer), read with Tesseract and its Vietnamese model.

Each page image is deskewed (the angle whose row profile is sharpest, within ±5°), its ruling lines
are found with OpenCV (long horizontal and vertical runs of ink) and turned into table cells as a
printed PDF's are (`pdf_grid`), so a scanned table has the same rows and columns as a printed one.
The lines are then erased and the page OCR'd once; each word, with its confidence, lands in the cell
that holds it, so columns stay columns. Tesseract runs as its own process, one page per core.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

from pipelines.formats import pdf_grid
from pipelines.formats.pdf_layout import Grid, PageLayout, Word

LANGUAGE = "vie"
DPI = 300
# Tesseract reads a page single-threaded (OMP_THREAD_LIMIT=1); pages go to as many processes as cores.
WORKERS = max(1, os.cpu_count() or 1)
PAGE_SECONDS = 60  # a page Tesseract has not read in this time is given up (a huge or broken scan)


class OcrUnavailable(Exception):
    """Tesseract or its Vietnamese model is not installed on this machine."""


def ocr_ready() -> None:
    """Raise OcrUnavailable, saying what is missing, unless Tesseract with Vietnamese can run here."""
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable("tesseract is not on PATH (apt-get install tesseract-ocr tesseract-ocr-vie)")
    languages = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, check=False)
    if LANGUAGE not in languages.stdout.split():
        raise OcrUnavailable(
            f"tesseract has no '{LANGUAGE}' model (apt-get install tesseract-ocr-{LANGUAGE})"
        )


def _deskewed(gray: np.ndarray) -> np.ndarray:
    """The page turned so its text lines are level: the angle whose horizontal ink profile has the
    highest variance, searched coarse then fine on a reduced copy."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    centre = (ink.shape[1] / 2, ink.shape[0] / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0), ink.shape[::-1])
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best = max(np.arange(-5.0, 5.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness)
    if abs(best) < 0.05:
        return gray
    matrix = cv2.getRotationMatrix2D((gray.shape[1] / 2, gray.shape[0] / 2), float(best), 1.0)
    return cv2.warpAffine(
        gray,
        matrix,
        gray.shape[::-1],
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )


def _edges(mask: np.ndarray, orientation: str) -> list[dict]:
    """Ruling lines of one direction (pixel units)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if orientation == "h":
        return [pdf_grid.horizontal(x, x + w, y + h / 2) for x, y, w, h, _ in stats[1:count]]
    return [pdf_grid.vertical(x + w / 2, y, y + h) for x, y, w, h, _ in stats[1:count]]


def _tables(ink: np.ndarray) -> tuple[tuple[Grid, ...], np.ndarray]:
    """The page's ruled tables as rows of cell boxes, and the mask of their lines."""
    height, width = ink.shape
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (width // 30, 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, height // 60))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, across)
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, down)
    lines = cv2.dilate(horizontal | vertical, np.ones((5, 5), np.uint8))
    edges = _edges(horizontal, "h") + _edges(vertical, "v")
    return pdf_grid.grids(edges, max(4, width // 300)), lines


def _words(image: np.ndarray, *, psm: int = 3, left: float = 0, top: float = 0) -> list[Word]:
    """Tesseract's words with their boxes (shifted by left, top) and confidences."""
    png = cv2.imencode(".png", image)[1].tobytes()
    result = subprocess.run(
        ["tesseract", "-", "-", "-l", LANGUAGE, "--dpi", str(DPI), "--psm", str(psm), "tsv"],
        input=png,
        capture_output=True,
        timeout=PAGE_SECONDS,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        check=True,
    )
    words = []
    for row in csv.DictReader(
        io.StringIO(result.stdout.decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE
    ):
        text = (row.get("text") or "").strip()
        if row["level"] != "5" or not text or float(row["conf"]) < 0:
            continue
        x, y, w, h = (int(row[key]) for key in ("left", "top", "width", "height"))
        words.append(Word(text, left + x, top + y, left + x + w, top + y + h, confidence=float(row["conf"])))
    return words


def _reread_short_cells(ink: np.ndarray, grids: tuple[Grid, ...], words: list[Word]) -> list[Word]:
    """The page's words, with short cells the page reading missed or doubted (a lone "1" or "III" in
    the STT column) read again alone, as one line; the better reading is kept."""
    words = list(words)
    for grid in grids:
        for row in grid:
            for box in filter(None, row):
                x0, top, x1, bottom = (int(v) for v in box)
                inside = ink[top + 4 : bottom - 4, x0 + 4 : x1 - 4]
                if inside.size == 0 or cv2.countNonZero(inside) < 30:
                    continue
                held = [
                    w
                    for w in words
                    if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
                ]
                if len(held) > 2 or (held and min(w.confidence or 0 for w in held) >= 90):
                    continue
                crop = cv2.copyMakeBorder(255 - inside, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
                again = _words(crop, psm=7, left=x0 + 4 - 20, top=top + 4 - 20)
                if again and (not held or _mean_confidence(again) > _mean_confidence(held)):
                    words = [w for w in words if w not in held] + again
    return words


def _mean_confidence(words: list[Word]) -> float:
    return sum(w.confidence or 0 for w in words) / len(words)


def read_scan(number: int, gray: np.ndarray) -> PageLayout:
    """One page image (8-bit grey, rendered at DPI) as words with confidences and table grids."""
    page = _deskewed(cv2.medianBlur(gray, 3))
    ink = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    grids, lines = _tables(ink)
    ink[lines > 0] = 0  # the ruling lines erased, so Tesseract does not read them as letters
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    specks = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] < 6)
    ink[np.isin(labels, specks[specks > 0])] = 0  # dust and scanner noise
    height, width = page.shape
    words = _reread_short_cells(ink, grids, _words(255 - ink))
    return PageLayout(number, float(width), float(height), tuple(words), grids, is_scan=True)


def read_scans(pages: Iterable[tuple[int, np.ndarray]]) -> list[PageLayout]:
    """Pages OCR'd in parallel, one Tesseract process per core; in page order."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(read_scan, number, gray) for number, gray in pages]
        return [future.result() for future in futures]

"""Scanned plans made on the spot from a PDF, as a scanner leaves them: the pages as grey images at
200 dpi, turned 1.2°, with grain and dust, and no text layer. The OCR tests and the benchmark read
these; nothing scanned is committed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image


def scanned(source: Path, target: Path, *, dpi: int = 200, angle: float = 1.2) -> Path:
    """`source`'s pages written to `target` as a scan."""
    rng = np.random.default_rng(7)
    pages = []
    for page in pdfium.PdfDocument(source):
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        grain = np.asarray(image, dtype=np.int16) + rng.normal(0, 18, image.size[::-1]).astype(np.int16)
        grain[rng.random(grain.shape) < 0.002] = 0  # dust
        pages.append(Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8)))
    pages[0].save(target, save_all=True, append_images=pages[1:], resolution=dpi)
    return target


def first_pages(source: Path, target: Path, count: int) -> Path:
    """The first `count` pages of `source` as a PDF of their own."""
    return some_pages(source, target, range(1, count + 1))


def some_pages(source: Path, target: Path, numbers: Iterable[int]) -> Path:
    """The pages of `source` numbered `numbers` (from 1, in that order) as a PDF of their own."""
    document = pdfium.PdfDocument.new()
    document.import_pages(pdfium.PdfDocument(source), [number - 1 for number in numbers])
    document.save(target)
    return target

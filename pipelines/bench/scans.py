"""Scanned plans made on the spot from a PDF, as a scanner or an e-office system leaves them: the pages
as images (grey or colour, at some resolution, JPEG-compressed), turned a little, with grain and dust,
and no text layer. The OCR tests and the benchmark read these; nothing scanned is committed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image


@dataclass(frozen=True)
class Scanner:
    """How a page is scanned: resolution, skew (degrees, counter-clockwise), colour or grey, JPEG
    quality (0-95, as Pillow takes it), grain (standard deviation of the noise, in grey levels) and
    dust (share of pixels turned black)."""

    dpi: int = 200
    angle: float = 1.2
    colour: bool = False
    quality: int = 75
    grain: float = 18.0
    dust: float = 0.002

    def __str__(self) -> str:
        return (
            f"{self.dpi} dpi {'colour' if self.colour else 'grey'} JPEG q{self.quality},"
            f" {self.angle:+.1f}°, grain {self.grain:g}"
        )


def scanned(source: Path, target: Path, scanner: Scanner = Scanner()) -> Path:
    """`source`'s pages written to `target` as `scanner` scans them."""
    rng = np.random.default_rng(7)
    pages = []
    for page in pdfium.PdfDocument(source):
        image = page.render(scale=scanner.dpi / 72, grayscale=not scanner.colour).to_pil()
        image = image.convert("RGB" if scanner.colour else "L")
        image = image.rotate(scanner.angle, resample=Image.Resampling.BICUBIC, fillcolor="white")
        pixels = np.asarray(image, dtype=np.int16)
        if scanner.colour:  # paper a little yellow, as a colour scanner sees it
            pixels = pixels - np.array([0, 6, 24], dtype=np.int16)
        grain = pixels + rng.normal(0, scanner.grain, pixels.shape).astype(np.int16)
        grain[rng.random(pixels.shape[:2]) < scanner.dust] = 0
        pages.append(Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8)))
    pages[0].save(
        target, save_all=True, append_images=pages[1:], resolution=scanner.dpi, quality=scanner.quality
    )
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

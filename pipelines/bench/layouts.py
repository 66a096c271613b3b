"""A plan laid out anew and printed to PDF, as another office's template would print it: its own font,
size, margins and orientation, and the appendix's columns at other widths, the deadline column (the
last, in every plan's appendix) narrow enough to wrap a date inside its digits ("15/02/202" + "4").

The plan's text and tables come from its Markdown; headless Chromium prints the page (another producer
than the LibreOffice Writer behind the seed PDFs), with a text layer and ruled table cells. The reader
tests read these; nothing laid out is committed."""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.formats.blocks import Paragraph, Table
from pipelines.formats.documents import read_document


@dataclass(frozen=True)
class Layout:
    """A page and its appendix table: font family and size (pt), margins (cm), orientation, the
    width of the STT and deadline columns (cm); the other columns share what is left evenly."""

    font: str = "DejaVu Serif"
    size: float = 12
    margin: float = 2.0
    landscape: bool = False
    stt: float = 1.2
    deadline: float = 2.0

    def __str__(self) -> str:
        page = "landscape" if self.landscape else "portrait"
        return (
            f"{self.font} {self.size:g} pt, {page}, margins {self.margin:g} cm, deadline {self.deadline:g} cm"
        )

    def style(self) -> str:
        return f"""
@page {{ size: A4 {"landscape" if self.landscape else "portrait"}; margin: {self.margin}cm; }}
body {{ font-family: '{self.font}'; font-size: {self.size}pt; line-height: 1.25; }}
p {{ margin: 0 0 0.4em; text-align: justify; }}
table {{ border-collapse: collapse; table-layout: fixed; width: 100%; margin: 0.5em 0; }}
td {{ border: 0.75pt solid #000; padding: 2pt 3pt; vertical-align: top; overflow-wrap: anywhere; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}"""


def _cell(text: str, bold: bool) -> str:
    inner = "<br>".join(html.escape(line) for line in text.split("\n"))
    return f"<td><b>{inner}</b></td>" if bold and inner else f"<td>{inner}</td>"


def _table(table: Table, layout: Layout) -> str:
    width = max(len(row.cells) for row in table.rows)
    columns = [f"<col style='width:{layout.stt}cm'>"] + ["<col>"] * (width - 2)
    columns.append(f"<col style='width:{layout.deadline}cm'>")
    header, *body = table.rows

    def row(cells, emphasised) -> str:
        padded = list(cells) + [""] * (width - len(cells))
        bold = list(emphasised) + [False] * (width - len(emphasised))
        filled = [position for position, text in enumerate(padded) if text.strip()]
        if filled and filled[-1] <= 1:  # a section row: its heading merged across the rest of the row
            last = filled[-1]
            merged = _cell(padded[last], bold[last]).replace("<td>", f"<td colspan={width - last}>", 1)
            return "<tr>" + (_cell(padded[0], bold[0]) if last else "") + merged + "</tr>"
        return "<tr>" + "".join(_cell(text, b) for text, b in zip(padded, bold, strict=True)) + "</tr>"

    return (
        f"<table><colgroup>{''.join(columns)}</colgroup>"
        f"<thead>{row(header.cells, (True,) * width)}</thead>"
        f"<tbody>{''.join(row(r.cells, r.emphasised) for r in body)}</tbody></table>"
    )


def relaid(markdown: Path, target: Path, layout: Layout) -> Path:
    """The plan in `markdown` printed to `target` in `layout`."""
    parts = []
    for block in read_document(markdown).blocks:
        if isinstance(block, Paragraph):
            text = html.escape(block.text)
            parts.append(f"<p><b>{text}</b></p>" if block.is_emphasised else f"<p>{text}</p>")
        elif isinstance(block, Table):
            parts.append(_table(block, layout))
    page = f"<!doctype html><meta charset='utf-8'><style>{layout.style()}</style>{''.join(parts)}"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise FileNotFoundError("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "plan.html"
        source.write_text(page, encoding="utf-8")
        subprocess.run(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={scratch}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return target

"""Data Docs that open on an office network without the internet.

GX writes pages that load bootstrap, jQuery, bootstrap-table, Font Awesome and Vega from CDNs, and fills
the index page's tables from data held in scripts: without the internet the page is unstyled and its
tables empty. After each build every page is rewritten: remote scripts and stylesheets are dropped, a
local stylesheet (written here) takes their place, and each table a script would fill is written out
as plain HTML rows, each linking to its page.
"""

from __future__ import annotations

import ast
import html
import os
import re
from pathlib import Path

_REMOTE = re.compile(
    r'<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>|<link\b[^>]*\bhref="https?://[^"]*"[^>]*>'
    r'|<img\b[^>]*\bsrc="https?://[^"]*"[^>]*>',  # GX's logo from S3 carries the context id: a beacon
    re.IGNORECASE,
)
_FILLED_TABLE = re.compile(
    r"\$\('#(?P<id>[\w-]+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{\s*columns:\s*(?P<columns>\[.*?\]),"
    r"\s*data:\s*(?P<data>\[.*?\]),\s*toolbar:",
    re.DOTALL,
)
STYLESHEET = "static/styles/offline.css"
_CSS = """
body { font-family: "HK Grotesk", Arial, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef3f8; }
tr.linked:hover { background: #f5f9ff; }
.tab-pane { margin-bottom: 2rem; }
.nav { list-style: none; padding: 0; display: flex; gap: 1rem; }
.text-success { color: #1a7f37; } .text-danger { color: #c62828; }
.fa-check-circle::before { content: "✔"; } .fa-times::before, .fa-times-circle::before { content: "✖"; }
.fa-exclamation-triangle::before { content: "⚠"; }
.btn, .ge-index-page-site-name-title .btn, button { display: none; }
img { max-width: 240px; }
"""


def _rows(table_id: str, columns_text: str, data_text: str) -> str:
    columns = [column for column in ast.literal_eval(columns_text) if not column["field"].startswith("_")]
    rows = ast.literal_eval(data_text)
    head = "".join(f"<th>{html.escape(str(column.get('title', column['field'])))}</th>" for column in columns)
    body = []
    for row in rows:
        link = row.get("_table_row_link_path")
        cells = []
        for position, column in enumerate(columns):
            value = str(row.get(column["field"], ""))
            if link and position == min(1, len(columns) - 1):
                value = f'<a href="{html.escape(link, quote=True)}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        body.append(f'<tr class="linked">{"".join(cells)}</tr>')
    return f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>"


def make_offline(page: str, stylesheet_href: str) -> str:
    """One page without remote resources, its script-filled tables written out."""
    for match in _FILLED_TABLE.finditer(page):
        filled = _rows(match["id"], match["columns"], match["data"])
        page = re.sub(
            rf'(<table\s+id="{re.escape(match["id"])}"[^>]*>)\s*</table>',
            lambda opened, filled=filled: f"{opened[1]}{filled}</table>",
            page,
            count=1,
        )
    page = _REMOTE.sub("", page)
    return page.replace("</head>", f'<link rel="stylesheet" href="{stylesheet_href}"/>\n</head>', 1)


def make_site_offline(site: Path) -> int:
    """Rewrite every page of the Data Docs site at `site`; the number of pages rewritten."""
    (site / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    (site / STYLESHEET).write_text(_CSS.lstrip(), encoding="utf-8")
    pages = sorted(site.rglob("*.html"))
    for path in pages:
        href = Path(os.path.relpath(site / STYLESHEET, path.parent)).as_posix()
        path.write_text(make_offline(path.read_text(encoding="utf-8"), href), encoding="utf-8")
    return len(pages)

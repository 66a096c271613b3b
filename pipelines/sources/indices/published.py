"""Index values gathered from public reports, one per line of a CSV (par_index_published.csv).

Columns: index, year, province, score, rank, note, source (and optionally component, default
`total`). Many lines have only a rank or only a score; a line for the whole country says so in its
province cell ("(national average)"). A line that cannot be read rejects the file, naming the
line: the file is loaded whole or not at all.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from pipelines.sources.indices.catalog import components, index_codes
from pipelines.sources.indices.scores import IndexFileRejected, IndexReading, IndexScore, place_named

REQUIRED = ("index", "year", "province", "score", "rank")


def _decimal(text: str) -> float:
    """A figure as these files write it: decimal point or decimal comma, never thousands; never NaN or
    infinity, which float() would take."""
    number = float(text.strip().replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def read_published_csv(path: Path) -> IndexReading:
    source = path.name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IndexFileRejected(
            source, f"Tệp không phải UTF-8 (byte {error.start}): hãy lưu lại dạng 'CSV UTF-8'."
        ) from error
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in REQUIRED if column not in (reader.fieldnames or [])]
    if missing:
        raise IndexFileRejected(
            source, f"Thiếu cột {', '.join(missing)}: dòng đầu cần có các cột {', '.join(REQUIRED)}."
        )
    scores: list[IndexScore] = []
    errors: list[str] = []
    seen: dict[tuple, int] = {}
    for line, row in enumerate(reader, start=2):
        try:
            score = _line(row, line, source)
        except ValueError as error:
            errors.append(f"dòng {line}: {error}")
            continue
        key = (score.index_code, score.year, score.component_code, score.province_code, score.scope)
        if key in seen:
            errors.append(f"dòng {line}: trùng với dòng {seen[key]} (cùng chỉ số, năm, tỉnh)")
            continue
        seen[key] = line
        scores.append(score)
    if errors:
        shown = "; ".join(errors[:5]) + (f"; và {len(errors) - 5} lỗi khác" if len(errors) > 5 else "")
        raise IndexFileRejected(source, f"Không nạp tệp vì có dòng sai: {shown}.")
    if not scores:
        raise IndexFileRejected(source, "Tệp không có dòng số liệu nào.")
    return IndexReading(source, scores)


def _line(row: dict[str, str], line: int, source: str) -> IndexScore:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    index_code = cell("index").upper()
    if index_code not in index_codes():
        raise ValueError(f"chỉ số '{cell('index')}' không có trong danh mục ({', '.join(index_codes())})")
    component = cell("component") or "total"
    if component not in {c.component_code for c in components(index_code)}:
        raise ValueError(f"{index_code} không có chỉ số thành phần '{component}'")
    if not cell("year").isdigit() or not 1990 <= int(cell("year")) <= 2100:
        raise ValueError(f"năm '{cell('year')}' không hợp lệ")
    place = place_named(cell("province"))
    if place is None:
        raise ValueError(f"'{cell('province')}' không phải tên tỉnh, thành phố nào (hoặc 'cả nước')")
    try:
        score = _decimal(cell("score")) if cell("score") else None
        rank = int(cell("rank")) if cell("rank") else None
    except ValueError:
        raise ValueError(f"điểm '{cell('score')}' hoặc thứ hạng '{cell('rank')}' không phải là số") from None
    if score is None and rank is None:
        raise ValueError("không có điểm cũng không có thứ hạng")
    return IndexScore(
        index_code=index_code,
        year=int(cell("year")),
        component_code=component,
        province_code=place.province_code,
        scope=place.scope,
        label=cell("province"),
        score=score,
        rank=rank,
        sheet=None,
        cell=f"dòng {line}",
        note=cell("note") or None,
        source=cell("source") or source,
    )

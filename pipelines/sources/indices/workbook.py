"""Read a published index workbook (PCI, PAPI, …) by meaning, whatever its layout that year.

A score table is found in any sheet by its columns: a *place column* is one where many cells name
provinces; every other column belongs to the nearest place column on its left (the first one when
none is), which covers one-row-per-province sheets and the side-by-side (province, score) pairs
VCCI published 2008-2014, each pair sorted by its own score. A column counts when its header (the
cells above the first province, joined) names a component of the index in the catalog.

Per year, the sheet naming the most components is the primary table (the summary sheet); a
rank (or component) it lacks is taken from another headline sheet whose totals agree with it (PCI
2005 prints ranks on their own sheet). A sheet whose headers name another year than the
workbook's is a stale copy (the English sheet of PCI 2014 still carries 2013) and is skipped with a
warning. A total of 0 beside no component score is a sum over blanks (PAPI 2014 prints one for
two provinces it did not survey) and is left out as missing, with a warning.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.formats.workbooks import Cell, Sheet, WorkbookRejected, cell_address, cell_text, read_workbook
from pipelines.sources.indices.catalog import Component, index_named_in, match_header, years_in
from pipelines.sources.indices.scores import (
    IndexFileRejected,
    IndexReading,
    IndexScore,
    Place,
    Unresolved,
    place_named,
)
from pipelines.text.numbers import parse_number
from pipelines.text.provinces import resolve_province

_MIN_PROVINCES = 5  # cells naming provinces that make a column a place column
_HEADER_DEPTH = 8  # rows above the first province that can hold a column's header
_TOTAL = ("total", "score")


@dataclass(frozen=True)
class _Figure:
    component: Component
    place: Place
    label: str
    value: float
    cell: str


@dataclass
class _SheetTable:
    sheet: str
    year: int | None
    header_years: set[int]
    figures: list[_Figure] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)

    @property
    def measures(self) -> set[tuple[str, str]]:
        return {(f.component.component_code, f.component.measure) for f in self.figures}


def _number(value: Cell) -> float | None:
    return value if isinstance(value, float) else parse_number(value)


def _place_columns(sheet: Sheet) -> list[int]:
    counts: dict[int, int] = defaultdict(int)
    for _, row in sheet.rows():
        for column, value in enumerate(row):
            if isinstance(value, str) and value and resolve_province(value):
                counts[column] += 1
    return sorted(column for column, count in counts.items() if count >= _MIN_PROVINCES)


def _read_sheet(sheet: Sheet, index_code: str) -> _SheetTable | None:
    place_columns = _place_columns(sheet)
    if not place_columns:
        return None
    first = min(
        row
        for row, _ in sheet.rows()
        for column in place_columns
        if isinstance(sheet.cell(row, column), str) and resolve_province(str(sheet.cell(row, column)))
    )
    matched: dict[int, tuple[Component, str]] = {}
    for column in range(sheet.width):
        if column in place_columns:
            continue
        header = " | ".join(
            text
            for row in range(max(0, first - _HEADER_DEPTH), first)
            if (text := cell_text(sheet.cell(row, column)).strip())
        )
        if component := match_header(index_code, header):
            matched[column] = (component, header)
    # Detail sheets label several indicator columns with their sub-index's name: a component that
    # more than one column claims is not this sheet's to give.
    claims = defaultdict(int)
    for component, _ in matched.values():
        claims[component] += 1
    matched = {column: match for column, match in matched.items() if claims[match[0]] == 1}
    name_years = years_in(sheet.name)
    table = _SheetTable(
        sheet.name,
        next(iter(name_years)) if len(name_years) == 1 else None,
        set().union(*(years_in(header) for _, header in matched.values())),
    )
    for column, (component, _) in matched.items():
        place_column = max((p for p in place_columns if p < column), default=place_columns[0])
        for row, _ in sheet.rows(first):
            label = cell_text(sheet.cell(row, place_column)).strip()
            value = _number(sheet.cell(row, column))
            if not label or value is None:
                continue
            place = place_named(label)
            if place is None:
                table.unresolved.append(Unresolved(sheet.name, cell_address(row, place_column), label))
                continue
            table.figures.append(_Figure(component, place, label, value, cell_address(row, column)))
    return table


def _workbook_year(name: str) -> int | None:
    years = years_in(name)
    return next(iter(years)) if len(years) == 1 else None


def read_index_workbook(path: Path) -> IndexReading:
    """Every score the workbook publishes, or IndexFileRejected when it holds none we can place."""
    try:
        workbook = read_workbook(path)
    except WorkbookRejected as rejection:
        raise IndexFileRejected(rejection.source, rejection.reason) from rejection
    source = workbook.source
    index_code = index_named_in(path.stem) or index_named_in(" ".join(s.name for s in workbook.sheets))
    if index_code is None:
        raise IndexFileRejected(
            source,
            "Không nhận ra đây là chỉ số nào: tên tệp hoặc tên trang tính cần ghi PCI, PAPI, "
            "PAR INDEX hoặc SIPAS (ví dụ PCI_2024.xlsx).",
        )
    warnings = [skipped.reason for skipped in workbook.skipped]
    file_year = _workbook_year(path.stem)
    by_year: dict[int, list[_SheetTable]] = defaultdict(list)
    unresolved: list[Unresolved] = []
    stale: list[_SheetTable] = []
    for sheet in workbook.sheets:
        table = _read_sheet(sheet, index_code)
        if table is None or not table.figures:
            continue
        if table.year is None and file_year and table.header_years and file_year not in table.header_years:
            stale.append(table)
            continue
        year = table.year or file_year or (min(table.header_years) if len(table.header_years) == 1 else None)
        if year is None:
            warnings.append(f"Bỏ qua trang '{sheet.name}': không xác định được năm của số liệu.")
            continue
        by_year[year].append(table)
    widest = max((len(table.measures) for tables in by_year.values() for table in tables), default=0)
    if stale and max(len(table.measures) for table in stale) > widest:
        main = max(stale, key=lambda table: len(table.measures))
        raise IndexFileRejected(
            source,
            f"Tên tệp ghi năm {file_year} nhưng bảng chính '{main.sheet}' ghi năm "
            f"{', '.join(map(str, sorted(main.header_years)))}: hãy đặt tên tệp theo đúng năm của số liệu.",
        )
    if not by_year:
        raise IndexFileRejected(
            source,
            f"Không tìm thấy bảng điểm {index_code} theo tỉnh có năm xác định: cần một cột tên tỉnh và "
            "các cột có tiêu đề là tên chỉ số (ví dụ 'Chỉ số PCI', 'Xếp hạng', tên chỉ số thành phần), "
            "và năm trong tên tệp hoặc tên trang tính.",
        )
    scores: list[IndexScore] = []
    for year, tables in sorted(by_year.items()):
        chosen = _choose(tables, warnings)
        warnings += _stale_warnings(stale, chosen, file_year)
        scores += _scores(index_code, year, source, chosen, warnings)
        unresolved += [u for table in tables if table in chosen.values() for u in table.unresolved]
    return IndexReading(source, scores, warnings, sorted(set(unresolved), key=_unresolved_order))


def _stale_warnings(
    stale: list[_SheetTable], chosen: dict[tuple[str, str], _SheetTable], file_year: int | None
) -> list[str]:
    """Name the stale copies that would have mattered: as the primary table or for a missing measure."""
    primary = max((len(table.measures) for table in chosen.values()), default=0)
    return [
        f"Bỏ qua trang '{table.sheet}': tiêu đề cột ghi năm "
        f"{', '.join(map(str, sorted(table.header_years)))}, còn tệp là năm {file_year} "
        "(có lẽ là bản sao của năm trước)."
        for table in stale
        if len(table.measures) >= primary or table.measures - chosen.keys()
    ]


def _unresolved_order(item: Unresolved) -> tuple[str, int, str]:
    digits = "".join(ch for ch in item.cell if ch.isdigit())
    return item.sheet, int(digits or 0), item.cell


def _choose(tables: list[_SheetTable], warnings: list[str]) -> dict[tuple[str, str], _SheetTable]:
    """Which sheet each (component, measure) of one year is read from.

    The primary table is the sheet naming the most components. Another sheet may add what it lacks
    (a rank) only if it is a headline table too, carrying the total score, and its totals agree
    with the primary's: detail sheets name components in indicator headers and are never trusted.
    """
    ordered = sorted(tables, key=lambda table: -len(table.measures))
    primary = ordered[0]
    chosen = dict.fromkeys(primary.measures, primary)
    for table in ordered[1:]:
        missing = table.measures - chosen.keys()
        if not missing or _TOTAL not in table.measures & primary.measures:
            continue
        if differing := _differing_totals(primary, table):
            warnings.append(
                f"Không dùng trang '{table.sheet}': điểm tổng của {len(differing)} tỉnh (ví dụ "
                f"{differing[0]}) khác trang '{primary.sheet}'."
            )
            continue
        chosen.update(dict.fromkeys(missing, table))
    return chosen


def _differing_totals(primary: _SheetTable, other: _SheetTable) -> list[str]:
    def totals(table: _SheetTable) -> dict[str | None, float]:
        return {
            f.place.province_code: f.value
            for f in table.figures
            if (f.component.component_code, f.component.measure) == _TOTAL
        }

    first, second = totals(primary), totals(other)
    return sorted(
        str(code) for code in first.keys() & second.keys() if abs(first[code] - second[code]) > 1e-6
    )


def _scores(
    index_code: str,
    year: int,
    source: str,
    chosen: dict[tuple[str, str], _SheetTable],
    warnings: list[str],
) -> list[IndexScore]:
    merged: dict[tuple[str, str | None, str], dict] = {}
    for (component_code, measure), table in chosen.items():
        for figure in table.figures:
            if (figure.component.component_code, figure.component.measure) != (component_code, measure):
                continue
            key = (component_code, figure.place.province_code, figure.place.scope)
            entry = merged.setdefault(
                key,
                {"label": figure.label, "score": None, "rank": None, "sheet": None, "cell": None},
            )
            if entry[measure] is not None:
                if entry[measure] != figure.value:
                    warnings.append(
                        f"Trang '{table.sheet}' ghi hai lần {component_code} ({measure}) của "
                        f"'{figure.label}' với hai giá trị khác nhau; dùng giá trị đầu, bỏ ô {figure.cell}."
                    )
                continue
            entry[measure] = figure.value
            if measure == "score" or entry["sheet"] is None:
                entry.update(sheet=table.sheet, cell=figure.cell)
    with_components = {
        key[1:] for key, entry in merged.items() if key[0] != "total" and entry["score"] is not None
    }
    for key, entry in list(merged.items()):
        if (
            key[0] == "total"
            and entry["score"] == 0
            and entry["rank"] is None
            and key[1:] not in with_components
        ):
            warnings.append(
                f"Năm {year}: '{entry['label']}' có điểm tổng bằng 0 nhưng không có điểm thành phần nào "
                f"(ô {entry['cell']}, trang '{entry['sheet']}'): coi là không có số liệu."
            )
            del merged[key]
    return [
        IndexScore(
            index_code=index_code,
            year=year,
            component_code=component_code,
            province_code=province_code,
            scope=scope,
            label=entry["label"],
            score=entry["score"],
            rank=_rank(entry["rank"]),
            sheet=entry["sheet"],
            cell=entry["cell"],
            note=None,
            source=f"{source} / {entry['sheet']}",
        )
        for (component_code, province_code, scope), entry in sorted(
            merged.items(), key=lambda item: (item[0][0], item[0][1] or "", item[0][2])
        )
    ]


def _rank(value: float | None) -> int | None:
    return int(value) if value is not None and float(value).is_integer() else None

"""The appendix task table ("Phụ lục / Nhiệm vụ cụ thể") as one row per task.

Tables come as PDF extraction leaves them: the header repeated on every page, a task's cells cut
by a page break and continued on the next page's first row, section rows ("II Cải cách thủ tục
hành chính", "<b>1 Kiểm soát TTHC</b>") in bold or not, 6, 7 or 8 columns. Columns are found by
their header text, never by position.

Rules, from how the seed plans break:
- A row equal to the header is dropped; it marks a page break.
- After a page break, a row without STT continues the previous task when it brings no deadline of
  its own, or when its deadline or its task or activity cell starts in lower case (the tail of a cell
  cut by the page), or when it brings the deadline the previous task lacked and no task or activity
  beside one the previous task already has: its cells are appended to the previous task's.
  Otherwise it is a new task; any objective or task cell that starts in lower case is still the tail
  of the previous one and is appended there first.
- A row whose only text is in the STT and next column, without digits, is a section row when it
  names an area or sub-area, is bold or in capitals, or is numbered with a Roman numeral. One in
  capitals or numbered I, II… opens an area even when its words name none (OCR misread them): its
  tasks are then placed (placement).
- Empty objective (and, in 8-column tables, empty task) cells belong to the merged cell above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from pipelines.formats.blocks import Row, Table, is_low_confidence
from pipelines.text.agencies import Status, resolve_agency
from pipelines.text.areas import match_area
from pipelines.text.deadlines import parse_deadline
from pipelines.text.normalize import fold
from pipelines.text.reference import read_seed

COLUMNS = ("stt", "objective", "task", "activity", "output", "lead", "coordinating", "deadline")
# Checked in this order against the folded header text; the first that fits names the column.
_HEADER_PATTERNS = (
    ("stt", re.compile(r"^(?:stt|tt|so tt|so thu tu)$")),
    ("objective", re.compile(r"\bmuc tieu\b")),
    ("task", re.compile(r"\bnhiem vu\b|\bnoi dung\b")),
    ("activity", re.compile(r"\bhoat dong\b")),
    ("output", re.compile(r"\bket qua\b|\bsan pham\b")),
    ("lead", re.compile(r"\bchu tri\b")),
    ("coordinating", re.compile(r"\bphoi hop\b")),
    ("deadline", re.compile(r"\bthoi gian\b|\bthoi han\b|\btien do\b")),
)
_ROMAN = re.compile(r"^[IVX]{1,4}$")
_LEADING_NUMBER = re.compile(r"^(?P<num>[IVX]{1,4}|\d+(?:\.\d+)*)\s*[.)]?\s+(?P<text>\D.*)$")
# A new agency name starts with one of these words, even when a PDF line break glued two names.
_AGENCY_START = re.compile(
    r"\s+(?=(?:Sở|UBND|Ủy ban|Văn phòng|Phòng|Trung tâm|Các|Công an|Cục|Kho bạc|Bảo hiểm|Đài|Báo"
    r"|Ngân hàng)\b)"
)


@dataclass(frozen=True)
class AgencyRef:
    raw: str
    agency_key: str | None
    status: str
    group_role: str | None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanTask:
    seq: int
    stt: str | None
    area_code: str | None
    sub_area_code: str | None
    section: str | None  # the section row's text, as written
    objective: str | None
    task: str | None
    activity: str | None
    output: str | None
    lead_raw: str | None
    coordinating_raw: str | None
    lead: tuple[AgencyRef, ...]
    coordinating: tuple[AgencyRef, ...]
    deadline_text: str | None
    deadline: date | None
    recurrence: str | None
    source_line: int
    table_row: int
    is_low_confidence: bool = False  # STT or deadline read by OCR with a low confidence
    source_page: int | None = None
    area_placed_by: str | None = None  # no heading covers the task: "neighbours" or "text" (placement)


class _Shared:
    """Text of a merged cell: every task under it sees the text appended after a page break."""

    def __init__(self, text: str) -> None:
        self.text = text


@dataclass
class _Draft:
    cells: dict[str, str]
    line: int
    table_row: int
    stt: str | None
    area_code: str | None
    sub_area_code: str | None
    section: str | None
    objective: _Shared | None
    task: _Shared | None
    page: int | None = None
    is_low_confidence: bool = False


def _doubtful(row: Row, columns: dict[int, str]) -> bool:
    """True when the row's STT or deadline cell was read by OCR with a low confidence."""
    if row.confidence is None:
        return False
    return any(
        is_low_confidence(row.confidence[position])
        for position, role in columns.items()
        if role in ("stt", "deadline") and position < len(row.confidence)
    )


def header_columns(row: Row) -> dict[int, str] | None:
    """Map cell positions to column roles if this row is a task-table header; else None."""
    roles: dict[int, str] = {}
    for position, cell in enumerate(row.cells):
        folded = " ".join(fold(cell).replace("/", " / ").split())
        # a narrow STT column wraps its own name ("ST" + "T")
        for role, pattern in _HEADER_PATTERNS:
            text = folded.replace(" ", "") if role == "stt" else folded
            if role not in roles.values() and (pattern.search(folded) or pattern.search(text)):
                roles[position] = role
                break
    found = set(roles.values())
    # without its STT cell (misread by OCR: "SIT") a header still names five columns
    return roles if "task" in found and len(found) >= (4 if "stt" in found else 5) else None


def _realigned(row: Row, columns: dict[int, str]) -> tuple[str, ...]:
    """Shift a row whose cells PDF extraction moved left back under its header.

    Such a row leaves the deadline column empty and ends, further left, with a short cell that
    reads as a deadline ("Hàng năm", "Quý II/2024"); its cells are moved right to end there.
    """
    positions = {role: position for position, role in columns.items()}
    deadline_at = positions.get("deadline")
    cells = list(row.cells)
    filled = [position for position, text in enumerate(cells) if text.strip()]
    if deadline_at is None or len(filled) < 3 or filled[-1] >= deadline_at:
        return row.cells
    last = cells[filled[-1]]
    reading = parse_deadline(last)
    if len(last.split()) > 8 or (reading.due_on is None and reading.recurrence is None):
        return row.cells
    shift = deadline_at - filled[-1]
    return tuple([""] * shift + cells[: filled[-1] + 1])


def _cells(row: Row, columns: dict[int, str]) -> dict[str, str]:
    cells = {role: "" for role in COLUMNS}
    for position, text in enumerate(_realigned(row, columns)):
        role = columns.get(position)
        if role:
            cells[role] = text.strip()
        elif text.strip() and position > max(columns):
            # a row split into more cells than the header has: keep the text with the last column
            last = columns[max(columns)]
            cells[last] = f"{cells[last]} {text.strip()}".strip()
    return cells


def _is_header(row: Row, header: Row) -> bool:
    return [fold(c).replace(" ", "") for c in row.cells] == [fold(c).replace(" ", "") for c in header.cells]


@dataclass(frozen=True)
class _Section:
    area_code: str | None
    sub_area_code: str | None
    text: str
    is_area: bool  # opens an area (Roman numeral, or the heading names an area), not a sub-area


@cache
def _area_by_numeral() -> dict[str, str]:
    return {
        row["appendix_numeral"]: row["area_code"] for row in read_seed("areas") if row["appendix_numeral"]
    }


def _section(row: Row) -> _Section | None:
    """The section this row opens, if it is a section row."""
    filled = [(position, text.strip()) for position, text in enumerate(row.cells) if text.strip()]
    if not filled or len(filled) > 2 or filled[-1][0] > 1:
        return None
    numeral, heading = (filled[0][1], filled[1][1]) if len(filled) == 2 else ("", filled[0][1])
    if not numeral and (found := _LEADING_NUMBER.match(heading)):
        numeral, heading = found["num"], found["text"]
    numeral = numeral.rstrip(".")
    scanned = row.confidence is not None
    if scanned:
        numeral = fold(numeral).upper()  # OCR's "VỊ" is VI
    # how appendices print area headings, and what OCR keeps of bold
    capitals = heading.isupper() and len(heading.split()) >= 2
    # "2.4" numbers a task, never a section; a number in the text makes it a target ("đạt 95%") unless
    # OCR misread a letter of a heading in capitals ("QUY 3N"); a text in lower case is the tail of a
    # cell cut by the page
    if (
        re.search(r"\d\.\d", numeral)
        or "%" in heading
        or (re.search(r"(?<!\w)\d", heading) and not (scanned and capitals))
        or len(heading.split()) > 16
        or (not numeral and _starts_lower(heading))
    ):
        return None
    bold = any(row.emphasised[position] for position, _ in filled if position < len(row.emphasised))
    roman = bool(_ROMAN.match(numeral))
    match = match_area(heading, tolerant=scanned)
    if match is None:
        if not (bold or roman or capitals or not numeral):
            return None
        area = _area_by_numeral().get(numeral) if roman else None
        return _Section(area, None, heading, is_area=roman or capitals)
    return _Section(
        match.area_code, match.sub_area_code, heading, is_area=roman or match.sub_area_code is None
    )


def _starts_lower(text: str) -> bool:
    letters = text.lstrip("-+•*( \n")
    return bool(letters) and letters[0].isalpha() and letters[0].islower()


def _append(current: str | None, more: str) -> str:
    if not more:
        return current or ""
    return f"{current} {more}".strip() if current else more


def _rows(tables: tuple[Table, ...]) -> list[tuple[int, Row, bool]]:
    """Every row of the tables in order, with its row number in its table and whether it opens a table
    (a Word file converted from PDF has one table per page: a new table is a page break)."""
    return [(index, row, index == 1) for table in tables for index, row in enumerate(table.rows, start=1)]


def _drafts(tables: tuple[Table, ...]) -> list[_Draft]:
    """The task drafts of an appendix that may come in several tables: a table that repeats the header,
    or has none, continues the one before (area, sub-area, the task cut by the page); a table with
    another header starts a new appendix."""
    header: Row | None = None
    columns: dict[int, str] = {}
    drafts: list[_Draft] = []
    area = sub_area = section_text = None
    objective: _Shared | None = None
    task: _Shared | None = None
    stt: str | None = None
    after_break = False
    for index, row, opens_table in _rows(tables):
        if opens_table and header is not None:
            after_break = True  # a page break, whether or not the header is repeated
        found = header_columns(row)
        # the same header again, cell for cell, or with a cell misread by OCR (every role found sits
        # where the header had it); a header without its STT cell can only be such a repeat
        repeated = (
            bool(found)
            and header is not None
            and (
                _is_header(row, header)
                or all(columns.get(position) == role for position, role in found.items())
            )
        )
        if found and "stt" not in found.values() and not repeated:
            found = None
        if found:
            after_break = repeated or (after_break and found == columns)
            if not after_break:
                header, columns = row, found
                area = sub_area = section_text = None
                objective = task = None
                stt = None
            continue
        if header is None:
            continue
        cells = _cells(row, columns)
        if not any(cells.values()):
            continue
        section = _section(row)
        if section is not None:
            if section.is_area or section.area_code:
                area = section.area_code
            sub_area = section.sub_area_code
            section_text, objective, task, stt, after_break = section.text, None, None, None, False
            continue
        previous = drafts[-1] if drafts else None
        if after_break and previous is not None and not cells["stt"]:
            after_break = False
            cut = _starts_lower(cells["deadline"]) or _starts_lower(cells["activity"] or cells["task"])
            if not cells["deadline"] or cut or not (previous.cells["deadline"] or _new_work(previous, cells)):
                _continue_draft(previous, cells)
                continue
            for role, shared in (("objective", previous.objective), ("task", previous.task)):
                if shared is not None and _starts_lower(cells[role]):
                    shared.text = _append(shared.text, cells[role])
                    cells[role] = ""
        after_break = False
        if cells["stt"]:
            stt, objective, task = cells["stt"], None, None
        if cells["objective"]:
            objective = _Shared(cells["objective"])
        if cells["task"]:
            task = _Shared(cells["task"])
        elif "activity" not in columns.values():
            task = None  # without an activity column, a row without a task is an objective alone
        drafts.append(
            _Draft(
                cells,
                row.line,
                index,
                stt,
                area,
                sub_area,
                section_text,
                objective,
                task,
                page=row.page,
                is_low_confidence=_doubtful(row, columns),
            )
        )
    return drafts


def _new_work(previous: _Draft, cells: dict[str, str]) -> bool:
    """True when a row brings a task or an activity of its own in a column where the previous task
    already has one: with a deadline of its own too, it is a task of its own, not the tail of a cut row."""
    task = cells["task"] and previous.task is not None and previous.task.text
    activity = cells["activity"] and previous.cells["activity"]
    return bool(task or activity)


def _continue_draft(draft: _Draft, cells: dict[str, str]) -> None:
    """Append a page-break continuation row to the task it continues."""
    for role, text in cells.items():
        shared = {"objective": draft.objective, "task": draft.task}.get(role)
        if role in ("objective", "task") and text:
            if shared is None:
                shared = _Shared("")
                setattr(draft, role, shared)
            shared.text = _append(shared.text, text)
        elif text:
            draft.cells[role] = _append(draft.cells[role], text)


def split_agencies(
    raw: str, *, province: str | None, on: date | None, issuer: str | None
) -> tuple[AgencyRef, ...]:
    """Split a lead or coordinating cell into agencies and resolve each.

    Commas separate names but also sit inside them ("Các sở, ban, ngành"), and a PDF line break can
    glue two names ("Sở Tư pháp UBND tỉnh"), so the cell is cut at every possible boundary and the
    longest run of pieces that resolves to an agency or group wins, piece by piece.
    """
    refs: list[AgencyRef] = []
    for part in re.split(r"[;\n]+", raw):
        pieces = _pieces(part)
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):
                name = part[pieces[start][0] : pieces[end - 1][1]]
                resolution = resolve_agency(_without_remarks(name), province=province, on=on, issuer=issuer)
                if resolution.status is not Status.UNKNOWN or end == start + 1:
                    break  # the longest run that names someone; a single piece is kept even if unknown
            refs.append(
                AgencyRef(
                    raw=name,
                    agency_key=resolution.agency_key,
                    status=resolution.status.value,
                    group_role=resolution.group_role,
                    candidates=resolution.candidates,
                )
            )
            start = end
    return tuple(refs)


def _pieces(part: str) -> list[tuple[int, int]]:
    """Spans of `part` between possible name boundaries (commas, dashes, a new name's first word)."""
    spans: list[tuple[int, int]] = []
    position = 0
    for boundary in re.finditer(r",|\s+-\s+|" + _AGENCY_START.pattern, part):
        spans.append((position, boundary.start()))
        position = boundary.end()
    spans.append((position, len(part)))
    trimmed = []
    for start, end in spans:
        text = part[start:end]
        left = len(text) - len(text.lstrip(" .-+"))
        right = len(text.rstrip(" .-+"))
        if right > left:
            trimmed.append((start + left, start + right))
    return trimmed


def _without_remarks(name: str) -> str:
    """'Sở Tư pháp (trên CSDL quốc gia)' → 'Sở Tư pháp'."""
    return re.sub(r"\([^)]*\)?", " ", name).strip() or name


def read_tasks(
    tables: tuple[Table, ...],
    *,
    plan_year: int | None,
    province: str | None,
    on: date | None,
    issuer: str | None,
) -> list[PlanTask]:
    tasks: list[PlanTask] = []
    for draft in _drafts(tables):
        cells = draft.cells
        deadline = parse_deadline(cells["deadline"], plan_year) if cells["deadline"] else None

        def agencies(text: str) -> tuple[AgencyRef, ...]:
            return split_agencies(text, province=province, on=on, issuer=issuer) if text else ()

        tasks.append(
            PlanTask(
                seq=len(tasks) + 1,
                stt=draft.stt,
                area_code=draft.area_code,
                sub_area_code=draft.sub_area_code,
                section=draft.section,
                objective=draft.objective.text if draft.objective else None,
                task=draft.task.text if draft.task else None,
                activity=cells["activity"] or None,
                output=cells["output"] or None,
                lead_raw=cells["lead"] or None,
                coordinating_raw=cells["coordinating"] or None,
                lead=agencies(cells["lead"]),
                coordinating=agencies(cells["coordinating"]),
                deadline_text=deadline.text if deadline else None,
                deadline=deadline.due_on if deadline else None,
                recurrence=deadline.recurrence if deadline else None,
                source_line=draft.line,
                table_row=draft.table_row,
                is_low_confidence=draft.is_low_confidence,
                source_page=draft.page,
            )
        )
    return tasks

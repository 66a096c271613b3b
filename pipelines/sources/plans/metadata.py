"""What a plan document says about itself: number, issuer, place and date, period, parent plan.

Read from the document's head (everything before the first numbered section): the "Số: 300/KH-UBND"
line, the "Đồng Nai, ngày 28 tháng 12 năm 2023" line, the title under "KẾ HOẠCH", and the
"Căn cứ…/Thực hiện…" preamble. Drafts leave the number and day blank; both are kept as absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipelines.formats.blocks import Document, Paragraph
from pipelines.text.agencies import Status, resolve_agency
from pipelines.text.normalize import fold
from pipelines.text.provinces import province_named_in

_NUMBER = re.compile(r"^\s*Số\s*:\s*(?P<number>[0-9A-Za-z]*)\s*/\s*(?P<symbol>[\w\-/]+)", re.IGNORECASE)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,]{2,60}),\s*ngay\s*(?P<day>\d{1,2})?\s*thang\s*(?P<month>\d{1,2})?\s*nam\s*(?P<year>\d{4})"
)
_RANGE = re.compile(r"(?:giai doan|thoi ky)?\s*(?P<start>(?:19|20)\d{2})\s*[-–]\s*(?P<end>(?:19|20)\d{2})")
_YEAR = re.compile(r"\bnam\s+(?P<year>(?:19|20)\d{2})\b")
_CITATION = re.compile(
    r"(?P<kind>Kế hoạch|Quyết định|Nghị quyết|Chương trình|Chỉ thị)\s+số\s+"
    r"(?P<number>[0-9A-Za-z]+\s*/\s*[0-9A-Za-zĐđ\-/]+)"
    r"(?:\s+ngày\s+(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})\s*/\s*(?P<year>\d{4}))?"
)
_IMPLEMENTS = re.compile(r"^(?:tiep tuc )?(?:thuc hien|trien khai)\b")
# "Chủ tịch UBND tỉnh ban hành Kế hoạch…", "UBND phường Chơn Thành ban hành…", "Ban Quản lý… lập kế hoạch…"
_ISSUES = re.compile(
    r"(?:^|[;.:]\s*)(?P<who>[^;.:]{3,90}?)\s+(?:ban hành|lập|xây dựng)\s+kế hoạch", re.IGNORECASE
)
_TITLE_OF = re.compile(r"\bcủa\s+(?P<who>.+)$")
_LEADING_ROLE = re.compile(r"^(?:Chủ tịch|Giám đốc|Trưởng ban|Thủ trưởng|TM\.?)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ParentPlan:
    kind: str
    number: str
    issued_on: date | None


@dataclass(frozen=True)
class PlanMetadata:
    number: str | None  # "300/KH-UBND"; None for a draft without a number
    symbol: str | None  # "KH-UBND"
    title: str | None
    place: str | None
    issued_on: date | None  # None when the day is left blank ("ngày tháng năm 2026")
    issue_year: int | None
    period_start_year: int | None
    period_end_year: int | None
    province_code: str | None
    issuer_raw: str | None
    issuer_agency_key: str | None
    parent: ParentPlan | None

    @property
    def plan_year(self) -> int | None:
        """The year quarters and months without a year refer to: the first year of the plan."""
        return self.period_start_year


def _head(document: Document) -> list[Paragraph]:
    """Paragraphs before the body's first Roman-numbered section ("I. MỤC TIÊU…", "I. QUAN ĐIỂM")."""
    head: list[Paragraph] = []
    for paragraph in document.paragraphs:
        if re.match(r"^[IVX]+\s*[.)]\s+\S", paragraph.text) and head:
            break
        head.append(paragraph)
    return head


def _title(head: list[Paragraph]) -> str | None:
    for index, paragraph in enumerate(head):
        folded = fold(paragraph.text)
        if folded.startswith("ke hoach"):
            rest = paragraph.text[len("KẾ HOẠCH") :].strip()
            following = [p.text for p in head[index + 1 : index + 3] if not fold(p.text).startswith("(")]
            if rest:
                return rest
            title = " ".join(following[:1])
            if following[1:] and fold(following[1]).startswith("cua "):
                title += " " + following[1]
            return title or None
    return None


def _period(title: str | None, head: list[Paragraph]) -> tuple[int | None, int | None]:
    for text in [title or "", *(p.text for p in head[:12])]:
        folded = fold(text)
        if "ke hoach" not in folded and text is not title:
            continue
        if found := _RANGE.search(folded):
            return int(found["start"]), int(found["end"])
        if found := _YEAR.search(folded):
            return int(found["year"]), int(found["year"])
    return None, None


def _parent(head: list[Paragraph]) -> ParentPlan | None:
    for paragraph in head:
        for sentence in re.split(r"[;]\s*", paragraph.text):
            if not _IMPLEMENTS.match(fold(sentence.strip())):
                continue
            if cited := _CITATION.search(sentence):
                issued = None
                if cited["year"]:
                    try:
                        issued = date(int(cited["year"]), int(cited["month"]), int(cited["day"]))
                    except ValueError:
                        issued = None
                return ParentPlan(cited["kind"], re.sub(r"\s+", "", cited["number"]), issued)
    return None


def _issuer_candidates(head: list[Paragraph], title: str | None, province: str | None) -> list[str]:
    candidates: list[str] = []
    number_index = next((i for i, p in enumerate(head) if _NUMBER.match(p.text)), None)
    if number_index:
        banner = [p.text for p in head[:number_index] if not fold(p.text).startswith(("cong hoa", "doc lap"))]
        if banner:
            candidates.append(" ".join(banner))
    if title and (of := _TITLE_OF.search(title)):
        candidates.append(of["who"])
    for paragraph in head:
        for found in _ISSUES.finditer(paragraph.text):
            candidates.append(_LEADING_ROLE.sub("", found["who"].strip()))
    if title and province and re.search(r"\btỉnh\b", title):
        candidates.append("UBND tỉnh")
    return candidates


def read_metadata(document: Document) -> PlanMetadata:
    head = _head(document)
    texts = [p.text for p in head]
    number = symbol = place = None
    issued_on: date | None = None
    issue_year: int | None = None
    for text in texts:
        folded = fold(text)
        if symbol is None and (found := _NUMBER.match(text)):
            symbol = found["symbol"].upper().strip("-/")
            number = f"{found['number']}/{symbol}" if found["number"] else None
        elif place is None and (found := _PLACE_DATE.match(folded)):
            place = text[: len(found["place"])].strip()
            issue_year = int(found["year"])
            if found["day"] and found["month"]:
                try:
                    issued_on = date(issue_year, int(found["month"]), int(found["day"]))
                except ValueError:
                    issued_on = None
    title = _title(head)
    start, end = _period(title, head)
    province = next(filter(None, map(province_named_in, [place or "", title or "", *texts])), None)
    on = issued_on or (date(start, 1, 1) if start else None)
    issuer_raw = issuer_key = None
    for candidate in _issuer_candidates(head, title, province):
        resolution = resolve_agency(candidate, province=province, on=on)
        if resolution.status in (Status.RESOLVED, Status.SUCCESSOR):
            issuer_raw, issuer_key = candidate, resolution.agency_key
            break
        issuer_raw = issuer_raw or candidate
    return PlanMetadata(
        number=number,
        symbol=symbol,
        title=title,
        place=place,
        issued_on=issued_on,
        issue_year=issue_year,
        period_start_year=start,
        period_end_year=end,
        province_code=province,
        issuer_raw=issuer_raw,
        issuer_agency_key=issuer_key,
        parent=_parent(head),
    )

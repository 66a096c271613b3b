"""A Word plan converted from PDF has its appendix as one table per page: the header repeated on some
pages and not on others, an area heading in one fragment and its tasks in the next, a task cut by the
page with its tail in a row of blank STT. Read from such a file, every task keeps its area, STT and
deadline, exactly as read from the same plan in Markdown."""

from pathlib import Path

import docx
import pytest

from pipelines.formats.blocks import Paragraph, Row, Table
from pipelines.formats.documents import read_document
from pipelines.sources.plans.parse import parse_document
from tests import FIXTURES_DIR

SEEDS = FIXTURES_DIR / "plans"
PAGE_ROWS = 6


def _cells(table, row: Row) -> None:
    cells = table.add_row().cells
    for cell, text, bold in zip(cells, row.cells, row.emphasised, strict=False):
        for number, line in enumerate(text.split("\n")):
            paragraph = cell.paragraphs[0] if number == 0 else cell.add_paragraph()
            paragraph.add_run(line).bold = bold


def _fragments(rows: tuple[Row, ...]) -> list[list[Row]]:
    """The appendix cut into pages; the first task row of every other page is cut in two, its deadline
    staying on the page before and the rest of its task text going on in a row of blank STT."""
    header, body = rows[0], list(rows[1:])
    pages = [body[start : start + PAGE_ROWS] for start in range(0, len(body), PAGE_ROWS)]
    fragments = [[header, *pages[0]]]
    for number, page in enumerate(pages[1:], start=1):
        fragment = [header] if number % 2 else []  # the header repeated on every other page only
        previous = fragments[-1][-1]
        task_cell = 2 if len(previous.cells) > 2 else 1
        words = previous.cells[task_cell].split(" ")
        if number % 2 == 0 and previous.cells[0].strip() and len(words) > 6 and not previous.emphasised[0]:
            head, tail = " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])
            cut = list(previous.cells)
            cut[task_cell] = head
            fragments[-1][-1] = Row(tuple(cut), previous.line, previous.emphasised)
            rest = [""] * len(previous.cells)
            rest[task_cell] = tail
            fragment.append(Row(tuple(rest), previous.line, (False,) * len(previous.cells)))
        fragments.append(fragment + page)
    return fragments


def _as_word(markdown: Path, out: Path) -> Path:
    word = docx.Document()
    for block in read_document(markdown).blocks:
        if isinstance(block, Paragraph):
            word.add_paragraph().add_run(block.text).bold = block.is_emphasised
        elif isinstance(block, Table):
            for fragment in _fragments(block.rows):
                width = max(len(row.cells) for row in fragment)
                table = word.add_table(rows=0, cols=width)
                for row in fragment:
                    _cells(table, row)
                word.add_paragraph("")  # what a page break leaves between two tables
    word.save(out)
    return out


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.md")), ids=lambda path: path.stem)
def test_a_word_appendix_in_page_fragments_keeps_every_tasks_area(seed, tmp_path):
    markdown = parse_document(read_document(seed))
    fragmented = parse_document(read_document(_as_word(seed, tmp_path / f"{seed.stem}.docx")))
    read = [(task.stt, task.area_code, task.sub_area_code, task.deadline) for task in fragmented.tasks]
    expected = [(task.stt, task.area_code, task.sub_area_code, task.deadline) for task in markdown.tasks]
    assert read == expected
    assert all(task.area_code for task in fragmented.tasks)
    assert [" ".join((task.task or "").split()) for task in fragmented.tasks] == [
        " ".join((task.task or "").split()) for task in markdown.tasks
    ]

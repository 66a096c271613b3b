"""The Data Docs of the quality suites and the dbt docs open from disk on a machine without the
internet: no remote script, stylesheet or image, and Chromium with every request refused renders
their tables."""

from __future__ import annotations

import re

from pipelines.quality.context import build_data_docs
from pipelines.quality.suites import all_suites
from pipelines.warehouse.docs import write_dbt_docs

REMOTE = re.compile(r'<(?:script|img)\b[^>]*\bsrc="https?://|<link\b[^>]*\bhref="https?://', re.IGNORECASE)


def test_the_data_docs_render_their_tables_offline(fork, browser):
    index = build_data_docs(fork.warehouse_dir)
    pages = sorted(index.parent.rglob("*.html"))
    assert len(pages) > len(all_suites())  # the index, each suite, each validation
    assert [page.name for page in pages if REMOTE.search(page.read_text(encoding="utf-8"))] == []
    dom = browser.dom_offline(index)
    for suite in all_suites():
        assert re.search(rf"<td>\s*(<a [^>]*>)?{suite.name}\b", dom), suite.name
    assert dom.count("<tr") > 2 * len(all_suites())  # the validations table and the suites table, filled
    validation = next(page for page in pages if "validations" in page.parts)
    rendered = browser.dom_offline(validation)
    assert "Successful Expectations" in rendered and "Table-Level Expectations" in rendered


def test_the_dbt_docs_are_one_page_that_opens_offline(fork, browser):
    page = write_dbt_docs(fork)
    assert page == fork.warehouse_dir / "dbt_docs" / "index.html"
    assert not REMOTE.search(page.read_text(encoding="utf-8"))
    dom = browser.dom_offline(page, seconds=15)
    assert "fact_target_progress" in dom and "Tiến độ thực hiện chỉ tiêu" in dom

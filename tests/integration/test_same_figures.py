"""A change of code that is not meant to change a figure changes none: every table of the session's
warehouse (built from the fixture plans and index files by the real jobs) has the digest written in
session_warehouse_digest.json, taken from the code before the change. A change meant to alter figures
rewrites that file in the same commit (`cchc digest --database <the session's published copy>`), so the
diff shows which tables moved."""

import json
from pathlib import Path

from pipelines.warehouse.digest import table_digests

EXPECTED = Path(__file__).with_name("session_warehouse_digest.json")


def test_every_table_has_the_digest_it_had(warehouse_settings):
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    actual = table_digests(warehouse_settings.published_path)
    assert sorted(actual) == sorted(expected)
    assert [table for table in sorted(expected) if actual[table] != expected[table]] == []

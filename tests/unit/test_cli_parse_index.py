"""`cchc parse-index`: the rows one index file would load."""

import json

from typer.testing import CliRunner

from pipelines.cli import app
from tests import FIXTURES_DIR

FIXTURES = FIXTURES_DIR / "indices"


def test_json_rows_have_the_documented_keys():
    result = CliRunner().invoke(app, ["parse-index", str(FIXTURES / "PCI_2009.xls"), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"index", "year", "province", "component", "score", "rank"} <= set(rows[0])
    total = next(r for r in rows if r["province"] == "dong_nai" and r["component"] == "total")
    assert (total["index"], total["year"], total["rank"]) == ("PCI", 2009, 18)


def test_warnings_and_labels_that_name_no_province_go_to_stderr():
    result = CliRunner().invoke(app, ["parse-index", str(FIXTURES / "PCI_2014.xlsx")])
    assert result.exit_code == 0, result.output
    assert "PCI 2014: 693 figures, 63 provinces" in result.stdout
    assert "Bỏ qua trang 'Summary'" in result.stderr
    assert "Not a province: Summary_VN!B68 'Thứ tự'" in result.stderr


def test_a_rejected_file_exits_2_with_the_reason(tmp_path):
    path = tmp_path / "PCI_2030.xlsx"
    path.write_bytes(b"not a workbook")
    result = CliRunner().invoke(app, ["parse-index", str(path)])
    assert result.exit_code == 2
    assert "Rejected:" in result.stderr

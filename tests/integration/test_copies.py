"""Which copy of a file counts never costs data: a plan sent again, earlier-dated or in another text
encoding, keeps the reports filed against it linked; a file refused for its content never makes the
good file with the same bytes a "duplicate"."""

import shutil
from dataclasses import replace
from datetime import date

import duckdb

from pipelines.extracts.report_form import report_form
from pipelines.forms.report.fill import Filling, fill_report
from pipelines.forms.report.template import write_template
from tests.integration.conftest import build_warehouse, downstream_of, published_rows, received

PLAN = "kh-300-ubnd-dong-nai-2024.md"


def test_a_plan_sent_again_earlier_and_re_encoded_keeps_the_reports_filed_against_it(fork, tmp_path):
    with duckdb.connect(str(fork.published_path), read_only=True) as conn:
        home_affairs = report_form(conn, "dong_nai.so_noi_vu", "2024-FY")
        justice = report_form(conn, "dong_nai.so_tu_phap", "2024-FY")
        in_file = dict(conn.execute("select plan_task_key, task_code from main.plan_tasks").fetchall())
    # Sở Tư pháp fills a template made before tasks had lasting keys: it printed each task's place in
    # the plan file ("kh-300-ubnd-dong-nai-2024.md#17")
    justice = replace(justice, tasks=tuple(replace(task, code=in_file[task.code]) for task in justice.tasks))
    assert all(task.code.startswith(f"{PLAN}#") for task in justice.tasks)
    inbox = fork.reports_dir / "kiem-thu"
    for name, form in (("so-noi-vu-2024.xlsx", home_affairs), ("so-tu-phap-2024.xlsx", justice)):
        done = {task.code: ("Hoàn thành", date(2024, 11, 20)) for task in form.tasks[:2]}
        report = fill_report(write_template(form, tmp_path / name), inbox / name, Filling(statuses=done))
        received(report, "2024-12-15T09:00")
    assert all(result.success for result in build_warehouse(fork, downstream_of("reports")))
    linked = "select task_link, count(*) from main.report_task_status where task_status = 'done' group by 1"
    assert published_rows(fork, linked) == [("linked", 4)]

    # the same plan arrives again, received before the copy loaded: a browser's second download (the
    # same bytes) and the plan saved as UTF-16 by another office program
    plans = fork.raw_dir / "plans"
    original = plans / PLAN
    shutil.copyfile(original, plans / "kh-300-ubnd-dong-nai-2024 (1).md")
    (plans / "kh-300-ubnd-dong-nai-2024-utf16.md").write_bytes(original.read_text("utf-8").encode("utf-16"))
    received(plans / "kh-300-ubnd-dong-nai-2024 (1).md", "2023-12-21T08:00")
    received(plans / "kh-300-ubnd-dong-nai-2024-utf16.md", "2023-12-20T08:00")
    results = build_warehouse(fork, downstream_of("plans"))
    assert all(result.success for result in results)  # published: nothing waited on the new files

    statuses = dict(
        published_rows(
            fork,
            "select source_file, document_status from main.plan_documents where source_file like 'kh-300%'",
        )
    )
    # the earliest copy of the bytes counts (the original is its duplicate), and it is the latest version
    assert statuses == {
        PLAN: "duplicate",
        "kh-300-ubnd-dong-nai-2024 (1).md": "counted",
        "kh-300-ubnd-dong-nai-2024-utf16.md": "superseded",
    }
    # every status reported stays linked to its task in the version that counts now, and counts
    assert published_rows(fork, linked) == [("linked", 4)]
    progress = published_rows(
        fork,
        "select count(*) from main.fact_task_progress where period_key = '2024-FY' and task_status = 'done'"
        " and agency_key in ('dong_nai.so_noi_vu', 'dong_nai.so_tu_phap')",
    )
    assert progress == [(4,)]


def test_a_file_refused_for_its_content_never_takes_the_place_of_the_good_copy(fork):
    pci = "select count(*) from main.fact_index_score where index_key = 'PCI' and score_year = 2014"
    (before,) = published_rows(fork, pci)
    assert before[0] > 600
    # the 2014 workbook saved again under the name of another year, and received before it
    indices = fork.raw_dir / "indices"
    shutil.copyfile(indices / "PCI_2014.xlsx", indices / "PCI_2016.xlsx")
    received(indices / "PCI_2016.xlsx", "2015-01-01T08:00")
    assert all(result.success for result in build_warehouse(fork, downstream_of("indices")))
    statuses = dict(
        published_rows(
            fork, "select source_file, file_status from main.index_files where source_file like 'PCI_201%'"
        )
    )
    assert statuses["PCI_2016.xlsx"] == "rejected" and statuses["PCI_2014.xlsx"] == "counted"
    assert published_rows(fork, pci) == [before]  # not one score lost

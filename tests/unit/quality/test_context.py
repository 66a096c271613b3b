"""The GX context: made on demand under the warehouse folder, with its Data Docs site there. (GX itself
is imported only when a suite runs: test_definitions loads the definitions and looks.)"""

from pipelines.quality.context import SITE, data_docs_dir, quality_context


def test_the_context_lives_in_the_warehouse_folder_with_its_data_docs_site(tmp_path):
    context = quality_context(tmp_path)
    assert context.root_directory == str(tmp_path / "gx")
    site = context.variables.data_docs_sites[SITE]
    assert site["store_backend"]["base_directory"] == str(data_docs_dir(tmp_path))
    assert quality_context(tmp_path) is context  # made once per process


def test_the_context_reads_no_config_variables_file(tmp_path):
    context = quality_context(tmp_path)
    assert context.variables.config_variables_file_path is None  # kept so in gx/great_expectations.yml
    # GX would parse this file on every look at its settings (a quarter of a validation): it never does
    (tmp_path / "gx" / "uncommitted" / "config_variables.yml").write_text("{ not: yaml", encoding="utf-8")
    assert context.variables.expectations_store_name
    assert context.suites.all() == []

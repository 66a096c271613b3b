from pipelines.settings import PROJECT_ROOT, WAREHOUSE_ENV, load_settings
from pipelines.warehouse.publish import publish_copy


def test_warehouse_path_comes_from_the_environment_and_is_exported_for_dbt(monkeypatch, tmp_path):
    monkeypatch.setenv(WAREHOUSE_ENV, str(tmp_path / "x.duckdb"))
    settings = load_settings()
    assert settings.warehouse_path == tmp_path / "x.duckdb"
    assert settings.published_path == tmp_path / "x_published.duckdb"

    monkeypatch.delenv(WAREHOUSE_ENV)
    settings = load_settings()
    assert settings.warehouse_path == PROJECT_ROOT / "warehouse" / "cchc.duckdb"
    assert str(settings.warehouse_path) == __import__("os").environ[WAREHOUSE_ENV]


def test_publish_replaces_the_copy_whole_and_leaves_no_temporary_file(tmp_path):
    source = tmp_path / "cchc.duckdb"
    target = tmp_path / "out" / "cchc_published.duckdb"
    source.write_bytes(b"first")
    publish_copy(source, target)
    source.write_bytes(b"second build")
    publish_copy(source, target)
    assert target.read_bytes() == b"second build"
    assert [p.name for p in target.parent.iterdir()] == [target.name]

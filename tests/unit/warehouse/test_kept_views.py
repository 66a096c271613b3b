"""The views a build that is not full keeps: only those the warehouse holds, given to Dagster after what
they read and before what reads them."""

import dagster as dg
import duckdb
import pytest

from pipelines.warehouse.kept_views import KEPT, KeptOutputs, current_views


def _node(materialized: str, schema: str, alias: str, *parents: str) -> dict:
    return {
        "config": {"materialized": materialized},
        "schema": schema,
        "alias": alias,
        "depends_on": {"nodes": list(parents)},
    }


# seed s → table a → view v → view w; tables a and w → table b; view x reads only the table z, which is
# not selected; the view `gone` is not in the warehouse
MANIFEST = {
    "nodes": {
        "seed.p.s": _node("seed", "main", "s"),
        "model.p.a": _node("table", "main", "a", "seed.p.s"),
        "model.p.v": _node("view", "staging", "v", "model.p.a"),
        "model.p.w": _node("view", "bi", "w", "model.p.v"),
        "model.p.b": _node("table", "main", "b", "model.p.a", "model.p.w"),
        "model.p.z": _node("table", "main", "z"),
        "model.p.x": _node("view", "bi", "x", "model.p.z"),
        "model.p.gone": _node("view", "bi", "gone", "model.p.a"),
    }
}
ASSETS = {dg.AssetKey(unique_id.split(".")[-1]): unique_id for unique_id in MANIFEST["nodes"]}


def test_only_the_selected_views_the_warehouse_holds_are_kept():
    conn = duckdb.connect()
    for schema in ("staging", "bi"):
        conn.execute(f"create schema {schema}")
    conn.execute("create table main.a as select 1 as n")
    conn.execute("create view staging.v as select * from main.a")
    conn.execute("create view bi.w as select * from staging.v")
    conn.execute("create view bi.x as select 1 as n")
    selected = set(ASSETS) - {dg.AssetKey("x")}
    # x is there but not selected; `gone` was dropped by hand: made again; a and b are tables
    assert current_views(conn, MANIFEST, ASSETS, selected) == {dg.AssetKey("v"), dg.AssetKey("w")}


def _multi_asset(body=None) -> dg.AssetsDefinition:
    """The manifest's models as one multi-asset, as dagster-dbt makes it (views under their schema)."""
    specs = [
        dg.AssetSpec(
            _key(unique_id),
            deps=[_key(parent) for parent in node["depends_on"]["nodes"]],
            skippable=True,
            metadata={"dagster_dbt/unique_id": unique_id},
        )
        for unique_id, node in MANIFEST["nodes"].items()
    ]
    return dg.multi_asset(specs=specs, can_subset=True, name="models")(body or (lambda: None))


def _key(unique_id: str) -> dg.AssetKey:
    node = MANIFEST["nodes"][unique_id]
    return dg.AssetKey([node["schema"], node["alias"]])


KEPT_KEYS = {_key(f"model.p.{name}") for name in ("v", "w", "x")}
BUILT = ("seed.p.s", "model.p.a", "model.p.b")  # in the order dbt builds them


def test_a_kept_view_is_given_after_what_it_reads_and_before_what_reads_it():
    models = _multi_asset()
    selected = KEPT_KEYS | {_key(unique_id) for unique_id in BUILT}
    outputs = KeptOutputs(KEPT_KEYS, models, selected)

    def given(after: str | None = None) -> list[str]:
        name = models.get_output_name_for_asset_key(_key(after)) if after else None
        event = dg.Output(None, output_name=name) if name else None
        return [output.output_name for output in outputs.after(event)]

    assert given() == ["bi__x"]  # it reads nothing this build makes: at once
    assert given("seed.p.s") == []
    assert given("model.p.a") == ["staging__v", "bi__w"]  # w reads v: after it; both before b
    assert given("model.p.b") == []
    outputs.check_all_given()
    first = next(KeptOutputs(KEPT_KEYS, models, selected).after())
    assert first.metadata["status"].value == KEPT and first.metadata["unique_id"].value == "model.p.x"


def test_dagster_takes_the_kept_views_among_the_builds_outputs():
    def body(context: dg.AssetExecutionContext):
        kept = KeptOutputs(KEPT_KEYS, context.assets_def, context.selected_asset_keys)
        yield from kept.after()
        for unique_id in BUILT:
            built = dg.Output(
                None, output_name=context.assets_def.get_output_name_for_asset_key(_key(unique_id))
            )
            yield built
            yield from kept.after(built)
        kept.check_all_given()

    models = _multi_asset(body)
    selection = [*KEPT_KEYS, *(_key(unique_id) for unique_id in BUILT)]
    result = dg.materialize([models], selection=selection)
    assert result.success
    assert {event.asset_key for event in result.get_asset_materialization_events()} == set(selection)


def test_a_kept_view_whose_tables_were_not_built_is_an_error():
    models = _multi_asset()
    outputs = KeptOutputs(KEPT_KEYS, models, KEPT_KEYS | {_key(unique_id) for unique_id in BUILT})
    list(outputs.after())  # x only: a, which v reads, never came
    with pytest.raises(RuntimeError, match="staging/v"):
        outputs.check_all_given()

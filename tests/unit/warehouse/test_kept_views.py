"""The views a build that is not full keeps: only those the warehouse holds, given to Dagster after what
they read and before what reads them."""

import dagster as dg
import duckdb

from pipelines.warehouse.kept_views import KEPT, KeptOutputs, current_views


def _node(materialized: str, schema: str, alias: str, *parents: str) -> dict:
    return {
        "config": {"materialized": materialized},
        "schema": schema,
        "alias": alias,
        "depends_on": {"nodes": list(parents)},
    }


# seed s → table a → view v → view w; table a → table b; view x reads only the unselected table z
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


def test_a_kept_view_is_given_after_what_it_reads_and_before_what_reads_it():
    selected = {dg.AssetKey(name) for name in ("s", "a", "v", "w", "b", "x")}
    kept = {dg.AssetKey(name) for name in ("v", "w", "x")}
    outputs = KeptOutputs(kept, MANIFEST, ASSETS, selected)

    def given(*after: str) -> list[str]:
        event = dg.Output(None, output_name=after[0]) if after else None
        return [output.output_name for output in outputs.after(event)]

    assert given() == ["x"]  # it reads nothing this build makes: at once
    assert given("s") == []
    assert given("a") == ["v", "w"]  # w reads v: after it, both before b, which reads w
    assert given("b") == []
    first = next(KeptOutputs(kept, MANIFEST, ASSETS, selected).after())
    assert first.metadata["status"].value == KEPT and first.metadata["unique_id"].value == "model.p.x"

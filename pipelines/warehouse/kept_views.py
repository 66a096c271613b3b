"""The views a build that is not full leaves as they are, and their place among the build's outputs.

A DuckDB view is its SQL, read from its tables when it is queried. The views in the warehouse when its
incremental models are current (builds.incremental_models_current: the last full build was of this
project version, which digests the dbt project, the seeds, the build code and the dbt and DuckDB
releases) are the views this version makes: making them again in every build cost 4 of the 9 s in
dbt's nodes of a sample build (62 views, each created, renamed and commented column by column). A view
that is not there (dropped by hand) is made as before. Their tests run; Dagster records them with the
build, so what reads them (the chase list reads `bi.report_compliance`) is written again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Set
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt.asset_utils import DAGSTER_DBT_UNIQUE_ID_METADATA_KEY as UNIQUE_ID

# the status of a view a build left as it was, beside dbt's "success" of one it made
KEPT = "kept"


def current_views(
    conn: duckdb.DuckDBPyConnection,
    manifest: Mapping[str, Any],
    assets: Mapping[dg.AssetKey, str],
    selected: Set[dg.AssetKey],
) -> set[dg.AssetKey]:
    """The selected views (dbt models materialized as views) that the warehouse holds."""
    present = set(
        conn.execute(
            "select schema_name, view_name from duckdb_views()"
            " where database_name = current_database() and not internal"
        ).fetchall()
    )
    nodes = manifest["nodes"]
    return {
        key
        for key in selected
        if nodes[assets[key]]["config"]["materialized"] == "view"
        and (nodes[assets[key]]["schema"], nodes[assets[key]]["alias"]) in present
    }


class KeptOutputs:
    """The kept views' outputs in the order Dagster asks of a multi-asset: none after an asset that
    reads it. Each is given as soon as the assets of this build it reads (as Dagster sees them) have
    been (`after`), so before the tests of those assets end: a failing test fails the build, and what
    reads the view does not run."""

    def __init__(self, kept: Set[dg.AssetKey], assets_def: dg.AssetsDefinition, selected: Set[dg.AssetKey]):
        self._assets_def = assets_def
        self._keys = {assets_def.get_output_name_for_asset_key(key): key for key in selected}
        self._waiting = {view: set(assets_def.asset_deps[view]) & selected for view in kept}
        self._given: set[dg.AssetKey] = set()

    def after(self, output: object = None) -> Iterator[dg.Output]:
        """The kept views ready once `output` (an event of the build; none at its start) is given."""
        if isinstance(output, dg.Output) and output.output_name in self._keys:
            self._given.add(self._keys[output.output_name])
        ready = True
        while ready:
            ready = sorted(view for view, parents in self._waiting.items() if parents <= self._given)
            for view in ready:
                del self._waiting[view]
                self._given.add(view)
                unique_id = self._assets_def.specs_by_key[view].metadata[UNIQUE_ID]
                yield dg.Output(
                    None,
                    output_name=self._assets_def.get_output_name_for_asset_key(view),
                    metadata={"unique_id": unique_id, "status": KEPT},
                )

    @property
    def given(self) -> Set[dg.AssetKey]:
        """The assets of the build whose output has been given so far, built or kept."""
        return self._given

    def check_all_given(self) -> None:
        """At the end of a successful build: every kept view was given (else what reads it would be
        skipped without a word)."""
        if self._waiting:
            left = ", ".join(view.to_user_string() for view in sorted(self._waiting))
            raise RuntimeError(f"views kept but never recorded (what they read was not built): {left}")

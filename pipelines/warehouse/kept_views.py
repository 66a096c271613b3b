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
    reads it. Each is given as soon as the assets of this build it reads have been (`after`)."""

    def __init__(
        self,
        kept: Set[dg.AssetKey],
        manifest: Mapping[str, Any],
        assets: Mapping[dg.AssetKey, str],
        selected: Set[dg.AssetKey],
    ):
        key_of = {unique_id: key for key, unique_id in assets.items()}
        self._assets = assets
        self._names = {key.to_python_identifier(): key for key in selected}
        self._waiting = {
            view: {
                key_of[parent]
                for parent in manifest["nodes"][assets[view]]["depends_on"]["nodes"]
                if key_of.get(parent) in selected
            }
            for view in kept
        }
        self._given: set[dg.AssetKey] = set()

    def after(self, output: object = None) -> Iterator[dg.Output]:
        """The kept views ready once `output` (an event of the build; none at its start) is given."""
        if isinstance(output, dg.Output) and output.output_name in self._names:
            self._given.add(self._names[output.output_name])
        ready = True
        while ready:
            ready = sorted(view for view, parents in self._waiting.items() if parents <= self._given)
            for view in ready:
                del self._waiting[view]
                self._given.add(view)
                metadata = {"unique_id": self._assets[view], "status": KEPT}
                yield dg.Output(None, output_name=view.to_python_identifier(), metadata=metadata)

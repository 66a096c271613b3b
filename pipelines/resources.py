"""What every Dagster object that touches the warehouse shares: the writer pool and the owner."""

# DuckDB admits one writing process at a time; with every writer in this pool (one slot, set in
# .dagster/dagster.yaml), parallel runs queue instead of failing with "Could not set lock".
WAREHOUSE_POOL = "duckdb_warehouse"
OWNERS = ["team:cchc-data"]

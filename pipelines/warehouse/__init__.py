"""The dbt project as Dagster assets, and the published copy BI tools read."""

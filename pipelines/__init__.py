"""cchc-warehouse: the Dagster code location for Vietnam's public administration reform data."""

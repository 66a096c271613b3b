"""The dbt project handle. Its manifest is prepared by `make` (dagster-dbt project prepare-and-package),
not parsed on every import; under `dagster dev` prepare_if_dev refreshes it as models change."""

from dagster_dbt import DbtProject

from pipelines.settings import DBT_PROJECT_DIR, load_settings

load_settings()  # exports CCHC_WAREHOUSE, which dbt's profiles.yml reads

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()

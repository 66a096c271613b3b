# Two commands for a newcomer: `make run` and `make test`. Everything else is a step they depend on.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DBT_FILES := $(shell find dbt/models dbt/seeds dbt/macros -type f 2>/dev/null) dbt/dbt_project.yml dbt/profiles.yml
MANIFEST  := dbt/target/manifest.json

export DAGSTER_HOME ?= $(CURDIR)/.dagster
# Compiled modules are kept (in the __pycache__ folders git ignores) even where the environment says not
# to write them (PYTHONDONTWRITEBYTECODE=1, as this machine's image sets): otherwise every Python process
# a target starts compiles the project's modules again (0.5 s of each `cchc`; 2 s of each test worker's
# collection, pytest rewriting every test module).
unexport PYTHONDONTWRITEBYTECODE
# dbt and dagster run from the project's virtualenv whether or not it is activated.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test dev server lint bench manifest lock clean system-packages-run system-packages-server \
	system-packages-test

## make run: build the virtualenv, then materialize every asset on the bundled sample data: plans and
## indices first, then demo progress reports filled from those plans' targets (raw/reports/demo), then
## their ingestion.
run: system-packages-run $(MANIFEST)
	@$(BIN)/cchc run --no-summary
	@$(BIN)/cchc demo-reports
	@$(BIN)/cchc run

## make test: install the system packages the tests use (as root; else say the one command to run),
## build the virtualenv, lint, then run unit and integration tests.
test: system-packages-test $(MANIFEST)
	$(BIN)/ruff check pipelines tests benchmarks
	$(BIN)/pytest

## make dev: open the Dagster UI on http://127.0.0.1:3000
dev: $(MANIFEST)
	$(BIN)/dagster dev -w workspace.yaml

## make bench: time the file readers on the bundled raw files (figures, not a pass/fail test), then
## soak the readers in damaged files (1,000 cases a reader; `make test` runs 30), the worksheet scanner in
## drawn workbooks against calamine (1,000; `make test` 60) and the pipeline in
## mixes of files arriving in any order (8 scenarios of three runs each; `make test` runs 1), and print
## what OCR recovers of the seed plans scanned whole at 150, 200 and 300 dpi (`make test` reads a
## quarter of their pages at 150 dpi)
bench: $(STAMP)
	$(BIN)/python benchmarks/readers.py
	CCHC_SCAN_DPI=150,200,300 CCHC_SCAN_PAGES=all $(BIN)/pytest -q -s -n 0 tests/unit/formats/test_scans.py
	CCHC_FUZZ_EXAMPLES=1000 $(BIN)/pytest -q -n 0 tests/unit/sources/test_readers_fuzz.py
	CCHC_SCANNER_EXAMPLES=1000 $(BIN)/pytest -q -n 0 tests/unit/formats/test_workbooks_scanned.py
	CCHC_ARRIVAL_EXAMPLES=8 $(BIN)/pytest -q -n 0 tests/integration/test_arrival_order.py

## make server: the deployment of one machine: the project's PostgreSQL cluster (.server/postgres, a
## socket in that folder, no system service) keeps Dagster's runs, events and schedules
## (deploy/dagster.yaml); then the UI and the daemon on http://127.0.0.1:3000.
## `.venv/bin/cchc server stop` stops the cluster.
server: system-packages-server $(MANIFEST)
	@exports="$$($(BIN)/cchc server start)" && eval "$$exports" && $(BIN)/dagster dev -w workspace.yaml

lint: $(STAMP)
	$(BIN)/ruff check pipelines tests benchmarks
	$(BIN)/ruff format --check pipelines tests benchmarks

# Checked first, so a machine without them stops in the first seconds (scripts/system-packages).
system-packages-run system-packages-server system-packages-test:
	@scripts/system-packages $(@:system-packages-%=%)

# setup.py compiles the worksheet scanner (pipelines/formats/_sheet_xml.c) into the checkout: a change to
# it builds it again
$(STAMP): pyproject.toml requirements.lock setup.py pipelines/formats/_sheet_xml.c
	@echo "Setting up $(VENV) from requirements.lock (once)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $@

## make manifest: prepare the dbt manifest dagster-dbt loads (done by run and test when dbt files change).
manifest: $(MANIFEST)

# dagster-dbt reads a manifest prepared ahead of time: nothing parses it at import, not even `make dev`.
# As `dagster-dbt project prepare-and-package` prepares it, with the saved parse kept for new warehouse
# folders (pipelines/warehouse/project.py).
$(MANIFEST): $(STAMP) $(DBT_FILES) pipelines/warehouse/project.py
	@echo "Preparing the dbt manifest"
	@$(BIN)/python -m pipelines.warehouse.project

## make lock: re-resolve the pinned dependency tree after editing pyproject.toml.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	.venv-lock/bin/pip freeze --exclude-editable > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) dbt/target warehouse

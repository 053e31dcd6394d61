# The README's commands: `make demo` (the main job) and `make test`.
# Each creates the virtual environment and installs what it needs on first use.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Our own suite must exercise every transition of every shipped workflow version, see every guard
# of them pass and refuse (but the refusals impossible by construction, reported apart) and every
# deadline rule start, be met and be missed (the toolkit's plugin): --df-coverage-shipped counts
# them all, touched or not.
COVERAGE_ARGS ?= --df-coverage --df-coverage-shipped --df-coverage-fail-under=100 \
	--df-coverage-guards-fail-under=100 --df-coverage-deadlines-fail-under=100 \
	--df-coverage-shipped-only \
	--df-coverage-json=test-artifacts/transition-coverage.json

.PHONY: demo test lint typecheck check bench docs snapshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Mermaid for the documentation site comes from its npm package (never a CDN). Where npm is
# missing, say so: the docs tests then report what to install (and fail in CI).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $(NODE_STAMP); \
	else \
		echo "make: notice: npm not found; the documentation site cannot vendor Mermaid"; \
	fi

demo: $(STAMP)
	$(BIN)/discipline-flow demo

# The PostgreSQL store tests need a server: .ci/postgres.sh starts a throwaway one where
# PostgreSQL is installed (and says so, and skips them, where it is not and CI is not set).
test: $(STAMP) $(NODE_STAMP)
	@. .ci/postgres.sh; $(BIN)/python -m pytest $(COVERAGE_ARGS) $(PYTEST_ARGS); status=$$?; df_pg_stop; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python -m benchmarks.engine --quick

docs: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs build --strict

snapshots: $(STAMP)
	DISCIPLINE_FLOW_UPDATE_SNAPSHOTS=1 $(BIN)/python -m pytest tests -k snapshot

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache site

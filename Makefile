# Two commands set everything up on a fresh machine:
#   make run    virtualenv + pinned install, ingest the samples, print events, serve the API
#   make test   virtualenv + pinned install, then ruff, mypy --strict and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= $(CURDIR)/.eventwatch/demo.db
HOST ?= 127.0.0.1
PORT ?= 8000
SEED ?= ../shared/seed/isis-k-afghanistan.txt

VENDOR := src/eventwatch/web/static/vendor/countries.json

.PHONY: install run test lint bench bench-api browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The desk's front-end data: npm packages pinned in package-lock.json, turned into static files.
$(VENDOR): package.json package-lock.json tools/build_web_assets.py src/eventwatch/web/outlines.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) tools/build_web_assets.py

install: $(VENV)/.installed $(VENDOR)

# Debian's chromium for the browser tests (playwright drives it; never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

run: install
	@if [ -f "$(SEED)" ]; then $(BIN)/eventwatch ingest "$(SEED)" --published 2024-11-10 --db "$(DB)"; fi
	$(BIN)/eventwatch ingest samples --db "$(DB)"
	$(BIN)/eventwatch events --db "$(DB)" --limit 50
	$(BIN)/eventwatch serve --db "$(DB)" --host $(HOST) --port $(PORT)

test: install browser
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/extract.py

bench-api: install
	$(BIN)/python bench/api_latency.py

clean:
	rm -rf $(VENV) .eventwatch .pytest_cache node_modules src/eventwatch/web/static/vendor

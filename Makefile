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

.PHONY: install run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

run: install
	@if [ -f "$(SEED)" ]; then $(BIN)/eventwatch ingest "$(SEED)" --published 2024-11-10 --db "$(DB)"; fi
	$(BIN)/eventwatch ingest samples --db "$(DB)"
	$(BIN)/eventwatch events --db "$(DB)" --limit 50
	$(BIN)/eventwatch serve --db "$(DB)" --host $(HOST) --port $(PORT)

test: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/extract.py

clean:
	rm -rf $(VENV) .eventwatch .pytest_cache

# Two entry points, both from a fresh clone with only Python 3.11+:
#   make run   installs into .venv and starts the server with demo data on http://127.0.0.1:8000
#   make test  installs into .venv and runs linters, type checks and all tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/selfcheck serve --demo

lint: $(STAMP)
	$(BIN)/ruff check selfcheck tests
	$(BIN)/ruff format --check selfcheck tests
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

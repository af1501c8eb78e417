# Tearsheet: `make demo` converts the examples, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint system-deps ace clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

system-deps:
	@sh scripts/system-deps.sh

ace:  # Ace by DAISY and Chromium, for the accessibility tests and `tearsheet check --accessibility`
	@sh scripts/install-ace.sh

demo: $(VENV)/.installed system-deps
	$(BIN)/tearsheet convert examples/*.md examples/*.html --to pdf,epub,docx -o out

# Test files spread over the cores (pytest-xdist); a file's tests stay in one process, so its
# expensive fixtures (EPUBCheck, Ace, builds) run once. `PYTEST_ARGS=-n0` runs them in one process.
PYTEST_ARGS ?= -n auto --dist loadfile
test: $(VENV)/.installed-test system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check convert tests benchmarks
	$(BIN)/ruff format --check convert tests benchmarks
	$(BIN)/mypy
	$(BIN)/mypy benchmarks  # scripts, each importing its siblings (_common, articles, batch) by name
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache

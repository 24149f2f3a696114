# Two commands matter (see README.md):
#   make run   create .venv, install, start the GUI on the default database
#   make test  create .venv, install with test extras, run the whole test suite
# Both install what they need themselves; nothing is set up by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test demo bench lint clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system-deps:
	@sh scripts/system-deps.sh

run: system-deps $(VENV)/.installed
	$(BIN)/python -m app $(ARGS)

test: system-deps $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: system-deps $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks $(BENCH_ARGS)

demo: $(VENV)/.installed
	$(BIN)/python -m app demo --assets 1000

lint: $(VENV)/.installed
	$(BIN)/python -m ruff check app tests

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

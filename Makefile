# Two commands matter (see README.md):
#   make run   create .venv, install, start the GUI on the default database
#   make test  create .venv, install with test extras, run the whole test suite
# Both install what they need themselves; nothing is set up by hand.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

.PHONY: run test test-year-ahead demo bench lint clean system-deps

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

# The whole suite, then the date-sensitive tests (marker "calendar") again with the app's clock a
# year ahead: a rule or a test bound to today's date fails here, not on some later morning.
test: system-deps $(VENV)/.installed
	$(PYTEST) $(PYTEST_ARGS)
	@if [ -z "$(PYTEST_ARGS)" ]; then $(PYTEST) -q -m calendar --clock-shift 365; fi

# The whole suite a year from now (or CLOCK_SHIFT days): make test-year-ahead CLOCK_SHIFT=-30
CLOCK_SHIFT ?= 365
test-year-ahead: system-deps $(VENV)/.installed
	$(PYTEST) --clock-shift $(CLOCK_SHIFT) $(PYTEST_ARGS)

bench: system-deps $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks $(BENCH_ARGS)

demo: $(VENV)/.installed
	$(BIN)/python -m app demo --assets 1000

lint: $(VENV)/.installed
	$(BIN)/python -m ruff check app tests

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

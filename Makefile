# Two entry points for a fresh machine (see README): `make demo` and `make test`.
# Each creates the local virtual environment .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SPEED ?= 4

.PHONY: demo test lint bench run clean

$(BIN)/osteo-kiosk: setup.cfg pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

demo: $(BIN)/osteo-kiosk
	$(BIN)/osteo-kiosk demo --speed $(SPEED) --screenshots demo-screens

test: $(BIN)/osteo-kiosk
	$(BIN)/ruff check kiosk tests
	$(BIN)/python -m pytest

bench: $(BIN)/osteo-kiosk
	$(BIN)/osteo-kiosk bench --json

run: $(BIN)/osteo-kiosk
	$(BIN)/osteo-kiosk run --windowed --mat keyboard

clean:
	rm -rf $(VENV) build *.egg-info demo-screens

# Shortcuts for developers; the README's two commands are ./setup.sh demo and ./setup.sh test.
.PHONY: demo test fast types bench run clean

demo:
	./setup.sh demo

test:
	./setup.sh test

# the quick loop while editing: everything but the tests marked slow (demo, bench, end to end)
fast: .venv/.installed
	.venv/bin/ruff check kiosk tests
	.venv/bin/python -m pytest -q -m "not slow"

# the type check CI runs (settings in pyproject.toml)
types: .venv/.installed
	.venv/bin/mypy

bench: .venv/.installed
	.venv/bin/osteo-kiosk bench --json

run: .venv/.installed
	.venv/bin/osteo-kiosk run --windowed --mat keyboard

.venv/.installed:
	./setup.sh test

clean:
	rm -rf .venv build *.egg-info demo-screens

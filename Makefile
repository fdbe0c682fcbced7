# Shortcuts for developers; the README's two commands are ./setup.sh demo and ./setup.sh test.
.PHONY: demo test bench run clean

demo:
	./setup.sh demo

test:
	./setup.sh test

bench: .venv/.installed
	.venv/bin/osteo-kiosk bench --json

run: .venv/.installed
	.venv/bin/osteo-kiosk run --windowed --mat keyboard

.venv/.installed:
	./setup.sh test

clean:
	rm -rf .venv build *.egg-info demo-screens

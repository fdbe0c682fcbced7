#!/usr/bin/env bash
# Set up everything on a fresh Debian 12 / Raspberry Pi OS Bookworm machine, then run the
# demo or the tests:   ./setup.sh demo   |   ./setup.sh test
# System packages (eSpeak NG for the voice, python3-venv) are installed with apt when missing;
# the Python ones go into a local virtual environment, .venv, made on first use.
set -euo pipefail
cd "$(dirname "$0")"

case "${1:-}" in
  demo|test) what=$1; shift ;;
  *) echo "usage: ./setup.sh demo|test [options for the demo]" >&2; exit 2 ;;
esac

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "Osteo Kiosk needs Python 3.11 or newer (Debian 12 / Raspberry Pi OS Bookworm)." >&2
  exit 1; }

need=""
command -v espeak-ng >/dev/null 2>&1 || need="$need espeak-ng"
[ -x .venv/bin/python ] || python3 -c 'import ensurepip' 2>/dev/null || need="$need python3-venv"
if [ -n "$need" ]; then
  echo "Installing system packages:$need"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  # shellcheck disable=SC2086  # $need is a list of package names
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $need >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ setup.cfg -nt .venv/.installed ] \
   || [ pyproject.toml -nt .venv/.installed ]; then
  echo "Installing Osteo Kiosk into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
  touch .venv/.installed
fi

if [ "$what" = demo ]; then
  exec .venv/bin/osteo-kiosk demo --speed 4 --screenshots demo-screens "$@"
fi
.venv/bin/ruff check kiosk tests
exec .venv/bin/python -m pytest

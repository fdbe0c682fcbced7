#!/usr/bin/env bash
# Regenerate the Pi's hashed locks from setup.cfg's install_requires and build.in (setuptools, to
# build the kiosk and lgpio without fetching anything unpinned), one per supported Python:
# 3.11 (Pi OS Bookworm) and 3.13 (Pi OS Trixie). install.sh installs the one for the Pi's own
# Python with --require-hashes. Needs uv (pip install uv); run it after changing a floor.
#
#   systemd/locks/update.sh            re-resolve to the newest releases within the floors
#   systemd/locks/update.sh --check    resolve again and fail if a lock no longer resolves
set -euo pipefail
cd "$(dirname "$0")/../.."
UV=${UV:-uv}
ME=systemd/locks/update.sh  # named so in the locks' header, wherever it runs from
# aarch64 with glibc 2.36: Bookworm's glibc (Trixie has 2.41), so every wheel runs on both.
PLATFORM=aarch64-manylinux_2_36
for py in 3.11 3.13; do
    lock=systemd/locks/pi-py$py.txt
    if [[ ${1:-} == --check ]]; then
        out=$(mktemp)
        # --upgrade-package none: keep the pins, only prove they still resolve for aarch64.
        cp "$lock" "$out"
        "$UV" pip compile setup.cfg systemd/locks/build.in --quiet --python-platform "$PLATFORM" --python-version "$py" \
            --generate-hashes --custom-compile-command "$ME" --output-file "$out"
        if ! diff -u "$lock" "$out"; then
            echo "$lock: resolving again for aarch64 gives other pins (above); run $ME" >&2
            rm -f "$out"
            exit 1
        fi
        rm -f "$out"
        echo "$lock resolves for $PLATFORM, Python $py"
    else
        "$UV" pip compile setup.cfg systemd/locks/build.in --quiet --python-platform "$PLATFORM" --python-version "$py" \
            --generate-hashes --upgrade --custom-compile-command "$ME" --output-file "$lock"
        echo "wrote $lock"
    fi
done

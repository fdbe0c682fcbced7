#!/usr/bin/env bash
# Take a fresh Raspberry Pi OS Lite (64-bit; Trixie or Bookworm) on a Pi 3B+/4/5 to a running
# Osteo Kiosk. Safe to run again.
#
#   sudo systemd/install.sh              install (or update) from this checkout, start the kiosk
#   systemd/install.sh --dry-run         print every action, change nothing
#   systemd/install.sh --root DIR        install the files into DIR (or DESTDIR=DIR), for tests
#                                        and images; apt, useradd and the venv are skipped there
#   sudo systemd/install.sh --any-board  also on arm64 Debian that is not a Pi (the emulator proof)
#
# See docs/pi.md for the helper's walk-through.
set -euo pipefail

APP=osteo-kiosk
MADE=/etc/$APP/install.made  # what this script created, so uninstall.sh removes just that
PREFIX=/opt/$APP
KIOSK_GROUPS=(spi gpio video render input audio)
# eSpeak NG for the voice (pyttsx3 loads libespeak-ng.so.1); ALSA tools to pick the output;
# python3-venv for the venv. The pygame-ce wheel bundles SDL with kmsdrm, but SDL loads
# libdrm, libgbm, libEGL and libGLESv2 at run time and Mesa's vc4/v3d driver draws.
APT_PACKAGES=(espeak-ng libespeak-ng1 alsa-utils python3-venv
              libdrm2 libgbm1 libegl1 libgles2 libgl1-mesa-dri)
# Pi models the kiosk is made for (/proc/device-tree/model); 64-bit Pi OS runs on all of them.
BOARDS='Raspberry Pi (3 Model B Plus|4|400|5|500|Compute Module [45])'

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLEANUP=()  # temporary files and folders, removed however the script ends
trap 'rm -rf "${CLEANUP[@]}"' EXIT
ROOT=${DESTDIR:-}
DRY_RUN=0
PYTHON=${PYTHON:-python3}
REBOOT=0
ANY_BOARD=0

usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }

while (($#)); do
    case $1 in
        --dry-run) DRY_RUN=1 ;;
        --root) ROOT=${2:?--root needs a directory}; shift ;;
        --root=*) ROOT=${1#--root=} ;;
        --any-board) ANY_BOARD=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
ROOT=${ROOT%/}

# shellcheck source=systemd/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start install.sh
[[ -n $ROOT ]] && say "Installing into $ROOT."

# -- is this a machine the kiosk runs on? One sentence and stop if not, before changing anything --
refuse() {
    if ((DRY_RUN)); then
        say "! install.sh would stop here: $*"
    else
        echo "install.sh: $*" >&2
        exit 1
    fi
}
PY_VERSION=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || true
LOCK=$SRC/systemd/locks/pi-py$PY_VERSION.txt
# The tests point these at other machines' files (dry runs only).
OS_RELEASE=${OS_RELEASE:-/etc/os-release}
DT_MODEL=${DT_MODEL:-/proc/device-tree/model}
os_field() { sed -n "s/^$1=//p" "$OS_RELEASE" 2>/dev/null | tr -d '"'; }
if live; then
    OS_ID=$(os_field ID) OS_VERSION=$(os_field VERSION_ID) OS_NAME=$(os_field PRETTY_NAME)
    # dpkg, not uname: 32-bit Pi OS runs a 64-bit kernel on a Pi 4 or 5
    ARCH=${DPKG_ARCH:-$(dpkg --print-architecture 2>/dev/null || uname -m)}
    MODEL=$({ tr -d '\0' <"$DT_MODEL"; } 2>/dev/null || true)
    if [[ $ARCH != arm64 ]]; then
        refuse "this is $ARCH ${OS_NAME:-Linux}, and the kiosk needs 64-bit Raspberry Pi OS" \
            "(Trixie or Bookworm, arm64): write Raspberry Pi OS Lite (64-bit) to the card with" \
            "Raspberry Pi Imager and run this again."
    elif [[ $OS_ID != debian || ! $OS_VERSION =~ ^(12|13)$ ]]; then
        refuse "${OS_NAME:-this system} is not a supported release: the kiosk runs on" \
            "Raspberry Pi OS Lite (64-bit) Trixie (Debian 13) or Bookworm (Debian 12)."
    elif [[ ! -f $LOCK ]]; then
        refuse "$PYTHON is Python ${PY_VERSION:-?}, and there is a lock only for" \
            "Python 3.11 (Bookworm) and 3.13 (Trixie) in $SRC/systemd/locks."
    elif ! grep -q '^setuptools==' "$LOCK"; then
        refuse "$LOCK pins no setuptools, which builds the kiosk (and lgpio on Python 3.13):" \
            "regenerate it with systemd/locks/update.sh."
    elif ! [[ $MODEL =~ $BOARDS ]] && ! ((ANY_BOARD)); then
        refuse "this is ${MODEL:-not a Raspberry Pi}; the kiosk is made for a Raspberry Pi" \
            "3B+, 4 or 5 (--any-board installs anyway)."
    fi
    say "= ${OS_NAME:-?}, $ARCH, Python $PY_VERSION, ${MODEL:-not a Raspberry Pi}"
fi

# Remember each thing made here (once) in $MADE, root's file beside the settings.
made() {
    grep -qxF "$*" "$ROOT$MADE" 2>/dev/null && return 0
    say "+ note in $ROOT$MADE: $*"
    ((DRY_RUN)) && return 0
    install -d -m 0755 "$ROOT/etc/$APP"
    printf '%s\n' "$*" >>"$ROOT$MADE"
}

# -- boot settings: SPI on, console never blanks -----------------------------------------------
BOOT=$ROOT/boot/firmware
[[ -f $BOOT/config.txt || -n $ROOT ]] || BOOT=$ROOT/boot  # Bullseye and older

if [[ -f $BOOT/config.txt ]]; then
    if grep -qx 'dtparam=spi=on' "$BOOT/config.txt"; then
        say "= SPI already enabled in $BOOT/config.txt"
    elif grep -qE '^#?[[:space:]]*dtparam=spi=(on|off)' "$BOOT/config.txt"; then
        run sed -i -E 's/^#?[[:space:]]*dtparam=spi=(on|off).*/dtparam=spi=on/' "$BOOT/config.txt"
        REBOOT=1
    else
        say "+ append '[all] dtparam=spi=on' to $BOOT/config.txt"
        ((DRY_RUN)) || printf '\n[all]\ndtparam=spi=on\n' >>"$BOOT/config.txt"
        REBOOT=1
    fi
    if live && command -v dtparam >/dev/null; then
        run dtparam spi=on || say "! dtparam spi=on failed; SPI comes on after a reboot"
    fi
else
    say "! no $BOOT/config.txt (not a Raspberry Pi?): enable SPI by hand"
fi

if [[ -f $BOOT/cmdline.txt ]]; then
    if grep -qE '(^| )consoleblank=0( |$)' "$BOOT/cmdline.txt"; then
        say "= console blanking already off in $BOOT/cmdline.txt"
    elif grep -qE '(^| )consoleblank=' "$BOOT/cmdline.txt"; then
        run sed -i -E 's/(^| )consoleblank=[0-9]*/\1consoleblank=0/' "$BOOT/cmdline.txt"
        REBOOT=1
    else  # cmdline.txt is one line: add to its end
        run sed -i -E '1s/[[:space:]]*$/ consoleblank=0/' "$BOOT/cmdline.txt"
        REBOOT=1
    fi
else
    say "! no $BOOT/cmdline.txt: add consoleblank=0 to the kernel command line by hand"
fi

# -- Debian packages ----------------------------------------------------------------------------
# lgpio has PyPI wheels only up to Python 3.12, and Debian has no python3-lgpio (only Pi OS's own
# archive does). On 3.13 (Trixie) pip builds the locked, hashed sdist, which bundles the C
# library's source (PYPI=1 links it in statically): it needs SWIG, a C compiler and Python.h.
BUILD_LGPIO=0
if [[ $PY_VERSION == 3.13 ]]; then
    APT_PACKAGES+=(swig gcc libc6-dev python3-dev)
    BUILD_LGPIO=1
fi
if live; then
    missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        before=$(dpkg_installed)
        run apt-get update
        apt_failed=0
        run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            "${missing[@]}" || apt_failed=$?
        # Each package this brought in (with what it needed), even when apt stopped halfway, so
        # uninstall.sh --purge can take away what nothing else needs by then.
        if ! ((DRY_RUN)); then
            after=$(dpkg_installed)
            while read -r pkg; do made apt "$pkg"; done < <(comm -13 <(echo "$before") <(echo "$after"))
        fi
        if ((apt_failed)); then
            echo "install.sh: apt-get install failed (exit $apt_failed); fix what apt said above and run this again" >&2
            exit 1
        fi
    else
        say "= Debian packages already installed: ${APT_PACKAGES[*]}"
    fi
else
    skip "apt-get install ${APT_PACKAGES[*]}"
fi

# -- the kiosk's own user, with only the device groups it needs ---------------------------------
if live; then
    for group in "${KIOSK_GROUPS[@]}"; do  # spi and gpio exist on Pi OS; elsewhere make them
        getent group "$group" >/dev/null || { run groupadd --system "$group"; made group "$group"; }
    done
    if getent passwd "$APP" >/dev/null; then
        say "= user $APP exists"
    else
        # The group may outlive an old user (userdel keeps a group that has other members).
        if getent group "$APP" >/dev/null; then
            usergroup=(--gid "$APP")
        else
            usergroup=(--user-group)
        fi
        run useradd --system "${usergroup[@]}" --home-dir "/var/lib/$APP" --no-create-home \
            --shell /usr/sbin/nologin --comment "Osteo Kiosk" "$APP"
    fi
    made user "$APP"  # named after the kiosk: ours even when an older install made them
    made group "$APP"
    run usermod --append --groups "$(IFS=,; echo "${KIOSK_GROUPS[*]}")" "$APP"
    # The helper who installs may read the log over SSH (files are group-readable).
    if [[ -n ${SUDO_USER:-} && ${SUDO_USER} != root ]]; then
        run usermod --append --groups "$APP" "$SUDO_USER"
    fi
else
    skip "useradd $APP (groups ${KIOSK_GROUPS[*]})"
fi

# -- the program: a venv in /opt/osteo-kiosk with this checkout -------------------------------
# Exactly the locked releases, checked against their hashes, then the kiosk itself without
# dependencies; the venv's own pip is used as it comes (never upgraded to whatever is newest).
# Builds use the locked setuptools (--no-build-isolation), so nothing unpinned is fetched.
VENV=$PREFIX/venv
PIP=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input)
if live; then
    if [[ -x $VENV/bin/python ]]; then  # a venv of another Python (an upgraded Pi OS): anew
        have=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' \
            2>/dev/null || true)
        [[ $have == "$PY_VERSION" ]] || run rm -rf "$VENV"
    fi
    [[ -x $VENV/bin/python ]] || run "$PYTHON" -m venv "$VENV"
    if ((BUILD_LGPIO)); then
        # setuptools first, from the lock with its hashes, to build lgpio with
        pins=$(mktemp)
        awk '/^[a-z0-9]/ { keep = index($0, "setuptools==") == 1 } keep' "$LOCK" >"$pins"
        run "${PIP[@]}" --require-hashes --only-binary=:all: -r "$pins"
        rm -f "$pins"
        run env PYPI=1 "${PIP[@]}" --require-hashes --only-binary=:all: --no-binary=lgpio \
            --no-build-isolation -r "$LOCK"
    else
        run "${PIP[@]}" --require-hashes --only-binary=:all: -r "$LOCK"
    fi
    # Built from a copy: setuptools writes build/ and *.egg-info where it builds, and the
    # checkout is the helper's (root-owned files there would stop their next git pull).
    if ((DRY_RUN)); then
        copy=${TMPDIR:-/tmp}/osteo-kiosk-build.XXXXXXXXXX
    else
        copy=$(mktemp -d)
        CLEANUP+=("$copy")
    fi
    say "+ copy $SRC to $copy to build from (without .git, .venv and earlier builds)"
    ((DRY_RUN)) || tar -C "$SRC" --exclude=./.git --exclude=./.venv --exclude=./build \
        --exclude='*.egg-info' --exclude=__pycache__ -cf - . | tar -C "$copy" -xf -
    run "${PIP[@]}" --no-deps --no-build-isolation --force-reinstall "$copy"
    PYTHON=$VENV/bin/python
    PYENV=()
else
    skip "$PYTHON -m venv $VENV; pip install --require-hashes -r $LOCK; pip install --no-deps $SRC"
    PYENV=(env "PYTHONPATH=$SRC")  # render the default config from the checkout
fi
run install -d -m 0755 "$ROOT$PREFIX/docs" "$ROOT/usr/local/bin"
run install -m 0644 "$SRC/docs/pi.md" "$ROOT$PREFIX/docs/pi.md"
run ln -sfn "$VENV/bin/$APP" "$ROOT/usr/local/bin/$APP"

# -- the default config: written once, a helper's edits are never overwritten ------------------
CONFIG=$ROOT/etc/$APP/config.toml
run install -d -m 0755 "$ROOT/etc/$APP"
if [[ -e $CONFIG ]]; then
    say "= keeping $CONFIG"
else
    say "+ write $CONFIG (every setting at its default; the log in /var/lib/$APP)"
    if ! ((DRY_RUN)); then
        tmp=$(mktemp)
        CLEANUP+=("$tmp")
        # -P: not the current folder first on the path (the checkout, when the helper runs this
        # from it: the import would leave root-owned __pycache__ folders there)
        "${PYENV[@]}" "$PYTHON" -P - >"$tmp" <<EOF
from kiosk import config
print("# Osteo Kiosk settings. After editing: osteo-kiosk doctor, then")
print("# sudo systemctl restart $APP. Every key is listed with its default.\n")
print(config.to_toml(config.defaults().replace(
    storage={"data_dir": "/var/lib/$APP", "log_group": "$APP"})))
EOF
        install -m 0644 "$tmp" "$CONFIG"
    fi
fi

# -- the service ------------------------------------------------------------------------------
UNIT=$ROOT/etc/systemd/system/$APP.service
run install -d -m 0755 "$ROOT/etc/systemd/system"
run install -m 0644 "$SRC/systemd/$APP.service" "$UNIT"
if live; then
    run systemctl daemon-reload
    # The kiosk owns tty1; no login prompt there (Conflicts= alone races it at boot).
    if systemctl is-enabled --quiet getty@tty1.service 2>/dev/null; then
        run systemctl disable getty@tty1.service
        made getty tty1
    fi
    run systemctl enable "$APP.service"
    if ((REBOOT)) || [[ ! -e /dev/spidev0.0 ]]; then
        if systemctl is-active --quiet "$APP.service" 2>/dev/null; then
            # an update while it runs without SPI (on the simulated mat, say): the new version
            # takes over now; the mat comes with the reboot
            run systemctl restart "$APP.service" ||
                say "! $APP did not restart; it keeps retrying. See: $APP doctor; journalctl -u $APP"
        else
            # A fresh Pi: SPI (the mat) only comes on after the reboot, so start there.
            STARTS_AT_BOOT=1
            say "- not starting $APP now: SPI is not on yet; it starts after the reboot"
        fi
    elif ! run systemctl restart "$APP.service"; then
        say "! $APP did not start; it keeps retrying. See: $APP doctor; journalctl -u $APP"
    fi
elif command -v systemctl >/dev/null; then
    run systemctl --root="$ROOT" enable "$APP.service"
    skip "systemctl disable getty@tty1.service; systemctl restart $APP.service"
else
    skip "systemctl enable $APP.service (no systemctl here)"
fi

say "Done. Check it with: $APP doctor; the log: journalctl -u $APP"
if ((REBOOT)); then
    say "Reboot once to switch SPI on and console blanking off: sudo reboot"
elif ((${STARTS_AT_BOOT:-0})); then
    say "The kiosk starts at the next boot (no /dev/spidev0.0 yet): sudo reboot"
fi
exit 0

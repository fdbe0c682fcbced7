#!/usr/bin/env bash
# Take a fresh Raspberry Pi OS Lite (Bookworm, 64-bit) to a running Osteo Kiosk. Safe to run again.
#
#   sudo systemd/install.sh              install (or update) from this checkout, start the kiosk
#   systemd/install.sh --dry-run         print every action, change nothing
#   systemd/install.sh --root DIR        install the files into DIR (or DESTDIR=DIR), for tests
#                                        and images; apt, useradd and the venv are skipped there
#
# See docs/pi.md for the helper's walk-through.
set -euo pipefail

APP=osteo-kiosk
PREFIX=/opt/$APP
KIOSK_GROUPS=(spi gpio video render input audio)
# eSpeak NG for the voice (pyttsx3 loads libespeak-ng.so.1); ALSA tools to pick the output;
# python3-venv for the venv. The pygame-ce wheel bundles SDL with kmsdrm, but SDL loads
# libdrm, libgbm, libEGL and libGLESv2 at run time and Mesa's vc4/v3d driver draws.
APT_PACKAGES=(espeak-ng libespeak-ng1 alsa-utils python3-venv
              libdrm2 libgbm1 libegl1 libgles2 libgl1-mesa-dri)

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=${DESTDIR:-}
DRY_RUN=0
PYTHON=${PYTHON:-python3}
REBOOT=0

usage() { sed -n '2,8s/^# \{0,1\}//p' "$0"; }

while (($#)); do
    case $1 in
        --dry-run) DRY_RUN=1 ;;
        --root) ROOT=${2:?--root needs a directory}; shift ;;
        --root=*) ROOT=${1#--root=} ;;
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
if live; then
    missing=()
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        run apt-get update
        run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            "${missing[@]}"
    else
        say "= Debian packages already installed: ${APT_PACKAGES[*]}"
    fi
else
    skip "apt-get install ${APT_PACKAGES[*]}"
fi
[[ $(uname -m) == aarch64 ]] || say "! $(uname -m): the kiosk is made for 64-bit Pi OS (aarch64)"

# -- the kiosk's own user, with only the device groups it needs ---------------------------------
if live; then
    for group in "${KIOSK_GROUPS[@]}"; do  # spi and gpio exist on Pi OS; elsewhere make them
        getent group "$group" >/dev/null || run groupadd --system "$group"
    done
    if getent passwd "$APP" >/dev/null; then
        say "= user $APP exists"
    else
        run useradd --system --user-group --home-dir "/var/lib/$APP" --no-create-home \
            --shell /usr/sbin/nologin --comment "Osteo Kiosk" "$APP"
    fi
    run usermod --append --groups "$(IFS=,; echo "${KIOSK_GROUPS[*]}")" "$APP"
    # The helper who installs may read the log over SSH (files are group-readable).
    if [[ -n ${SUDO_USER:-} && ${SUDO_USER} != root ]]; then
        run usermod --append --groups "$APP" "$SUDO_USER"
    fi
else
    skip "useradd $APP (groups ${KIOSK_GROUPS[*]})"
fi

# -- the program: a venv in /opt/osteo-kiosk with this checkout -------------------------------
VENV=$PREFIX/venv
if live; then
    [[ -x $VENV/bin/python ]] || run "$PYTHON" -m venv "$VENV"
    # lgpio: gpiozero's pin library on Bookworm (the wheel bundles liblgpio).
    run "$VENV/bin/pip" install --quiet --upgrade pip
    run "$VENV/bin/pip" install --quiet --upgrade "$SRC" lgpio
    PYTHON=$VENV/bin/python
    PYENV=()
else
    skip "python3 -m venv $VENV; pip install $SRC lgpio"
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
        trap 'rm -f "$tmp"' EXIT
        "${PYENV[@]}" "$PYTHON" - >"$tmp" <<EOF
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
    run systemctl disable getty@tty1.service
    run systemctl enable "$APP.service"
    run systemctl restart "$APP.service"
elif command -v systemctl >/dev/null; then
    run systemctl --root="$ROOT" enable "$APP.service"
    skip "systemctl disable getty@tty1.service; systemctl restart $APP.service"
else
    skip "systemctl enable $APP.service (no systemctl here)"
fi

say "Done. Check it with: $APP doctor; the log: journalctl -u $APP"
((REBOOT)) && say "Reboot once to switch SPI on and console blanking off: sudo reboot"
exit 0

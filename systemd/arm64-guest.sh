#!/usr/bin/env bash
# The booted half of the arm64 proof: runs inside the emulated machine that
# `systemd/test-arm64.sh --boot` starts, as root, from the one-shot unit arm64-proof.service, at
# every boot. Lines starting "PROOF" go to the serial console, where the script on the host reads
# them; everything else is in /var/log/arm64-proof.log inside the machine.
#
# First boot:  run install.sh as a helper would (sudo systemd/install.sh), then reboot.
# Second boot: the service must be active, fed the watchdog and hold the screen; the framebuffer
#              the display scans out is read back (scanout.py) and the host is told to take its
#              screendump; then, with the kiosk stopped, a screen filled red is read back the
#              same way with SDL's own presenter and with the kiosk's (kmsdrm-fill.py); then the
#              machine powers off.
set -euo pipefail

APP=osteo-kiosk
SRC=/work/$APP
STATE=/var/lib/arm64-proof
mkdir -p "$STATE"
exec > >(tee -a /var/log/arm64-proof.log) 2>&1

proof() { echo "PROOF $*"; }  # for the host: one line each on the serial console
fail() { proof "FAIL $*"; proof "END"; systemctl poweroff; exit 1; }
stage=$(cat "$STATE/stage" 2>/dev/null || echo install)
proof "boot stage=$stage uptime=$(cut -d' ' -f1 /proc/uptime)s kernel=$(uname -r)"

if [[ $stage == install ]]; then
    t0=$SECONDS
    # The host's network settings pip needs (a certificate authority of its own), if any.
    if [[ -r /etc/ssl/host-pip-ca.pem ]]; then export PIP_CERT=/etc/ssl/host-pip-ca.pem; fi
    env SUDO_USER=helper bash "$SRC/systemd/install.sh" --any-board | tee "$STATE/install.out" ||
        fail "install.sh exited $?"
    grep -q "Reboot once" "$STATE/install.out" || fail "install.sh did not say 'Reboot once'"
    proof "install.sh ok in $((SECONDS - t0)) s"
    systemctl is-enabled "$APP.service" || fail "$APP.service is not enabled"
    if systemctl is-enabled --quiet getty@tty1.service; then fail "getty@tty1 still enabled"; fi
    # STUB (no mat in this machine): the simulated mat instead of "auto", which would find no
    # SPI and show the problem screen (its own proof: tests/test_problem_screens*).
    sed -i '/^\[mat\]/,/^\[/ s/^source = .*/source = "sim"/' "/etc/$APP/config.toml"
    grep -q '^source = "sim"' "/etc/$APP/config.toml" || fail "could not set mat.source = sim"
    proof "STUB mat.source = \"sim\" in /etc/$APP/config.toml (no mat under emulation)"
    echo running >"$STATE/stage"
    proof "rebooting"
    systemctl --no-block reboot
    exit 0
fi

[[ $stage == running ]] || fail "unknown stage $stage"
echo finished >"$STATE/stage"
# The service: active, started once, and fed the watchdog (its timestamp moves on).
for _ in $(seq 1 60); do
    [[ $(systemctl is-active "$APP.service") == active ]] && break
    sleep 5
done
systemctl --no-pager status "$APP.service" | head -20 || true
[[ $(systemctl is-active "$APP.service") == active ]] || fail "$APP.service is not active"
show() { systemctl show "$APP.service" -p "$1" --value; }
proof "service active since $(show ActiveEnterTimestamp); restarts $(show NRestarts)"
w1=$(show WatchdogTimestampMonotonic)
sleep 40
w2=$(show WatchdogTimestampMonotonic)
[[ $(show ActiveState) == active ]] || fail "the service stopped"
[[ $(show NRestarts) == 0 ]] || fail "the service restarted $(show NRestarts) times"
((w1 > 0 && w2 > w1)) || fail "watchdog not fed (WatchdogTimestampMonotonic $w1 then $w2)"
proof "watchdog fed: last ping moved $(((w2 - w1) / 1000)) ms in 40 s (WatchdogSec=$(show WatchdogUSec))"
# The voice: this machine has a sound card (QEMU's HDA), so the kiosk must be able to open it,
# at the start or, when the card binds later, at one of its looks every 10 s.
sound=$(journalctl -b -u "$APP.service" --no-pager -o cat |
    grep -E "no sound device|sound device found|voice unavailable" | tail -1 || true)
[[ -z $sound || $sound == *"sound device found"* ]] || fail "the kiosk has no voice: $sound"
proof "sound: ${sound:-the sound card opened at the start}; cards: $(tr '\n' ' ' </proc/asound/cards)"
journalctl -b -u "$APP.service" --no-pager | tail -40

# Who holds the screen, and what the display scans out (the kernel's view, not the kiosk's).
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug || true
for f in /sys/kernel/debug/dri/*/clients /sys/kernel/debug/dri/*/state; do
    [[ -r $f ]] && { echo "== $f"; cat "$f"; }
done
out=$(python3 "$SRC/systemd/scanout.py" "$STATE/scanout.png") || fail "scanout: $out"
proof "scanout $out"
proof "SCREENDUMP NOW"
sleep 45  # the host takes its screendump meanwhile

# Why it was black before: the ten-line fill test, with SDL's own choice of presenter (desktop
# OpenGL) and with the kiosk's (OpenGL ES 2; kiosk/ui/display.py framebuffer_presenter).
systemctl stop "$APP.service"
fill() {
    env SDL_VIDEODRIVER=kmsdrm SDL_AUDIODRIVER=dummy "$@" /opt/$APP/venv/bin/python \
        "$SRC/systemd/kmsdrm-fill.py" "$STATE/fill.png" 2>>"$STATE/fill.err" | tail -1
}
proof "fill, SDL's own presenter: $(fill env -u SDL_FRAMEBUFFER_ACCELERATION || true)"
out=$(fill SDL_FRAMEBUFFER_ACCELERATION=opengles2) || fail "fill through opengles2: $out"
proof "fill, opengles2 (the kiosk's): $out"
proof "END"
systemctl poweroff

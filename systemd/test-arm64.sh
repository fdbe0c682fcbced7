#!/usr/bin/env bash
# The arm64 proof: install the kiosk on Debian Bookworm and Trixie for arm64 (what 64-bit Pi OS
# is built on) under emulation, then run it as the kiosk's own user. One command, on demand:
#
#   sudo systemd/test-arm64.sh                 both releases, as chroots under qemu-user
#   sudo systemd/test-arm64.sh trixie          one release
#   sudo systemd/test-arm64.sh --boot          Bookworm booted as a whole machine (below)
#   sudo systemd/test-arm64.sh --fresh ...     build the Debian roots again (else reused)
#
# Per release: debootstrap an arm64 root (cached in $WORK), copy it, run install.sh in it, then
# as the osteo-kiosk user run the fast tests (-m "not slow"), doctor and a short demo; then
# uninstall -> install and uninstall --purge -> install, and check that a purge leaves the root
# as it was. One PASS/FAIL line per release at the end; the log of each step in $WORK.
#
# What a chroot cannot do is stubbed, and each stub says so in the log: it is not a Pi (so
# install.sh --any-board), there is no /boot/firmware (a copy of a fresh Pi OS Lite's config.txt
# and cmdline.txt), systemd does not run (systemctl enables units but starts nothing, so the data
# folder systemd would make is made by hand), and there is no SPI, screen or sound card (doctor
# must report exactly those). Needs Debian's qemu-user-static, binfmt-support and debootstrap;
# it installs them when missing. Times: docs/pi.md.
#
# --boot: the root, with Debian's arm64 kernel (its initramfs built once and kept), booted under
# qemu-system-aarch64 (TCG, one CPU, 2 GB, virtio-gpu, an HDA sound card, user networking).
# There systemd/arm64-guest.sh runs install.sh (real systemd), reboots; after the reboot the
# service must be active and feed its watchdog, the framebuffer the display scans out is read back
# (systemd/scanout.py), and QEMU's screendump of the screen is taken; both must be the kiosk's
# home screen. Stubs: --any-board, config.txt/cmdline.txt as above (this kernel does not read
# them), install.sh's Debian packages installed ahead into the cached kernel root (install.sh
# finds them; the chroot run proves its apt step) and mat.source = "sim" (no mat). Needs Debian's
# qemu-system-arm too, and the developers' .venv (./setup.sh) for the home-screen check.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$SRC/../shared}  # the recordings some tests replay, when beside the clone
WORK=${WORK:-/var/tmp/osteo-arm64}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
# The CPU qemu-user emulates: a Pi 4's Cortex-A72 (ARMv8.0), as --boot does. QEMU's default, its
# newest CPU, has pointer authentication, which Trixie's Python is built to use (Debian 13 builds
# with branch protection) and QEMU 7.2 computes in software: importing the kiosk took 9.6 s
# instead of 1.5 s, and the fast tests hours. No Pi (3B+, 4, 5) has pointer authentication.
export QEMU_CPU=${QEMU_CPU:-cortex-a72}
APP=osteo-kiosk
FRESH=0
BOOT=0
RELEASES=()
# What a fresh Pi OS Lite already has that debootstrap's minimal root lacks.
BASE_PACKAGES=python3,ca-certificates,systemd,kmod,procps

usage() { sed -n '2,31s/^# \{0,1\}//p' "$0"; }
while (($#)); do
    case $1 in
        --fresh) FRESH=1 ;;
        --boot) BOOT=1 ;;
        bookworm | trixie) RELEASES+=("$1") ;;
        -h | --help) usage; exit 0 ;;
        *) echo "test-arm64.sh: unknown argument $1 (bookworm, trixie, --boot, --fresh)" >&2
           exit 2 ;;
    esac
    shift
done
if ((BOOT)); then
    ((${#RELEASES[@]})) || RELEASES=(bookworm)
else
    ((${#RELEASES[@]})) || RELEASES=(bookworm trixie)
fi
((EUID == 0)) || { echo "test-arm64.sh: run as root (debootstrap, chroot): sudo $0" >&2; exit 1; }
mkdir -p "$WORK"

say() { printf '%s %s\n' "$(date +%T)" "$*"; }
stub() { say "STUB (a chroot cannot): $*"; }

# -- the emulator ---------------------------------------------------------------------------------
need=(qemu-user-static binfmt-support debootstrap)
if ((BOOT)); then need+=(qemu-system-arm); fi
missing=()
for pkg in "${need[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
[[ -e /proc/sys/fs/binfmt_misc/register ]] || mount -t binfmt_misc binfmt_misc \
    /proc/sys/fs/binfmt_misc
update-binfmts --enable qemu-aarch64 2>/dev/null || true
[[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]] || {
    echo "test-arm64.sh: arm64 binaries cannot run here (no qemu-aarch64 in binfmt_misc)" >&2
    exit 1
}

# -- helpers ----------------------------------------------------------------------------------------
MOUNTED=()
mount_root() {  # what a running system has in /proc, /sys and /dev, and a way to the network
    local root=$1
    mount -t proc proc "$root/proc"
    mount -t sysfs sysfs "$root/sys"
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
    mount -t tmpfs tmpfs "$root/tmp"
    MOUNTED+=("$root")
    cp -L /etc/resolv.conf "$root/etc/resolv.conf"
}
umount_root() {
    local root=$1
    umount -R "$root/dev" "$root/proc" "$root/sys" "$root/tmp" 2>/dev/null ||
        umount -lR "$root/dev" "$root/proc" "$root/sys" "$root/tmp" 2>/dev/null || true
}
cleanup() {
    local root
    for root in "${MOUNTED[@]}"; do umount_root "$root"; done
}
trap cleanup EXIT

HOST_ENV=()  # settings of this machine's network that pip needs in the root too
in_root() {  # run a command in the root with a clean environment, as root
    chroot "$ROOT" env -i QEMU_CPU="$QEMU_CPU" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 TERM=dumb "${HOST_ENV[@]}" "$@"
}
as_kiosk() {  # ... as the osteo-kiosk user, in its state folder, as the service would
    chroot "$ROOT" runuser -u "$APP" -- env -i QEMU_CPU="$QEMU_CPU" PATH=/usr/local/bin:/usr/bin:/bin \
        HOME=/var/lib/$APP LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 LG_WD=/tmp "$@"
}

# Every path in the root with its mode, owner and content, less what is the system's own churn
# (logs, apt's and pip's caches, the checkout, the backups that useradd and dpkg keep of the
# previous version of a file), to compare a root before and after. dpkg's status file is
# compared by what it says is installed (apt rewrites other fields, such as Priority, from the
# archive's index), not byte for byte.
inventory() {
    python3 - "$ROOT" <<'EOF'
import hashlib, os, stat, sys
root = sys.argv[1]
skip = {"proc", "sys", "dev", "tmp", "run", "var/log", "var/cache/apt", "var/lib/apt",
        "root/.cache", "work", "var/cache/ldconfig", "etc/passwd-", "etc/group-",
        "etc/shadow-", "etc/gshadow-", "var/lib/dpkg/status"}
backup = ("var/lib/dpkg/", "var/cache/debconf/")  # their *-old files are dpkg's backups
for top, dirs, files in os.walk(root):
    rel = os.path.relpath(top, root)
    dirs[:] = sorted(d for d in dirs if os.path.normpath(os.path.join(rel, d)) not in skip)
    files = [f for f in files if os.path.normpath(os.path.join(rel, f)) not in skip
             and not (f.endswith("-old") and os.path.join(rel, "").startswith(backup))]
    for name in sorted(dirs + files):
        path = os.path.join(top, name)
        st = os.lstat(path)
        what = (os.readlink(path) if stat.S_ISLNK(st.st_mode) else
                hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]
                if stat.S_ISREG(st.st_mode) else "")
        print(os.path.relpath(path, root), oct(st.st_mode), st.st_uid, st.st_gid, what)
with open(os.path.join(root, "var/lib/dpkg/status"), encoding="utf-8") as status:
    for stanza in status.read().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines()
                      if ": " in line and not line.startswith(" "))
        if fields.get("Package"):
            print("dpkg", fields["Package"], fields.get("Architecture"), fields.get("Version"),
                  fields.get("Status"))
EOF
}
not() { if "$@"; then return 1; fi; }  # `! cmd` would not stop a step under set -e

base_root() {  # a minimal Debian for arm64, made once per release and kept
    local release=$1 base=$WORK/$1.base
    if ((FRESH)); then rm -rf "$base" "$base.tmp"; fi
    if [[ -d $base ]]; then
        say "$release: reusing $base (--fresh builds it again)"
        return
    fi
    rm -rf "$base.tmp"
    say "$release: debootstrap arm64 into $base"
    local t0=$SECONDS
    debootstrap --arch=arm64 --variant=minbase --include="$BASE_PACKAGES" --components=main \
        "$release" "$base.tmp" "$MIRROR" >"$WORK/$release.debootstrap.log" 2>&1
    mv "$base.tmp" "$base"
    say "$release: debootstrap took $((SECONDS - t0)) s"
}

fresh_pi() {  # a copy of the base (or $2) with what Pi OS Lite adds around it
    local release=$1 from=${2:-$WORK/$1.base}
    ROOT=$WORK/$release.root
    umount_root "$ROOT"  # never delete through a bind mount of /dev
    if grep -qs " $ROOT/" /proc/mounts; then
        echo "test-arm64.sh: $ROOT still has mounts (another run?); not deleting it" >&2
        exit 1
    fi
    rm -rf "$ROOT"
    cp -a "$from" "$ROOT"
    stub "no /boot/firmware; writing config.txt and cmdline.txt as a fresh Pi OS Lite has them"
    mkdir -p "$ROOT/boot/firmware"
    printf '%s\n' '# For more options and information see' '#dtparam=i2c_arm=on' \
        '#dtparam=spi=on' 'dtparam=audio=on' 'camera_auto_detect=1' 'display_auto_detect=1' \
        'auto_initramfs=1' 'dtoverlay=vc4-kms-v3d' 'max_framebuffers=2' 'arm_64bit=1' '' \
        '[all]' >"$ROOT/boot/firmware/config.txt"
    echo 'console=serial0,115200 console=tty1 root=PARTUUID=1-02 rootfstype=ext4 fsck.repair=yes rootwait' \
        >"$ROOT/boot/firmware/cmdline.txt"
    if ((BOOT == 0)); then  # (in the booted machine systemd runs)
        stub "no systemd running: systemctl's start, stop, restart and daemon-reload only say" \
            "so (/usr/local/sbin/systemctl); enable, disable and is-enabled are systemctl's own"
        cat >"$ROOT/usr/local/sbin/systemctl" <<'EOF'
#!/bin/sh
# test-arm64.sh's stand-in: a chroot has no running systemd to start or reload anything.
case " $* " in
*" daemon-reload "* | *" start "* | *" stop "* | *" restart "* | *" reload "*)
    echo "STUB systemctl $*: no systemd runs in this chroot" >&2; exit 0 ;;
esac
args=
for a in "$@"; do [ "$a" = --now ] || args="$args $a"; done
# shellcheck disable=SC2086  # the words of the command line, as they came
exec /usr/bin/systemctl $args
EOF
        chmod 0755 "$ROOT/usr/local/sbin/systemctl"
    fi
    # The helper: Pi OS's first user, who runs install.sh with sudo (SUDO_USER).
    chroot "$ROOT" useradd --create-home --shell /bin/bash --user-group helper
    # The checkout (tracked and new files, as a clone would have them) and the shared data.
    mkdir -p "$ROOT/work/$APP"
    (cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
        tar --null -T - -cf - 2>/dev/null) | tar -xf - -C "$ROOT/work/$APP"
    local data
    for data in gaitndd-dev gaitpdb-dev; do  # the real walks the detector's tests replay
        if [[ -d $SHARED/data/$data ]]; then
            mkdir -p "$ROOT/work/shared/data"
            cp -a "$SHARED/data/$data" "$ROOT/work/shared/data/"
        fi
    done
    chmod -R a+rX "$ROOT/work"
    if [[ -n ${PIP_CERT:-} && -r $PIP_CERT ]]; then
        say "HOST: this machine reaches PyPI through its own certificate authority (PIP_CERT);" \
            "pip in the root gets the same"
        cp "$PIP_CERT" "$ROOT/etc/ssl/host-pip-ca.pem"
        HOST_ENV=(PIP_CERT=/etc/ssl/host-pip-ca.pem)
    fi
}

install_in_root() {  # install.sh as the helper would run it: sudo systemd/install.sh
    in_root env SUDO_USER=helper bash "/work/$APP/systemd/install.sh" --any-board
}

check() {  # name, then a command; logs it and keeps going, remembering failures
    local name=$1 t0=$SECONDS rc
    shift
    say "$RELEASE: $name"
    echo "== $(date +%T) $name" >>"$LOG"
    # A subshell outside any `if`, so set -e stops the step at its first failing command.
    set +e
    (set -e; "$@") >>"$LOG" 2>&1
    rc=$?
    set -e
    if ((rc == 0)); then
        TIMES+=("$name $((SECONDS - t0))s")
    else
        TIMES+=("$name FAILED after $((SECONDS - t0))s")
        FAILED+=("$name")
        say "$RELEASE: $name FAILED (see $LOG)"
    fi
}

# -- the checks -------------------------------------------------------------------------------------
step_install() {
    install_in_root | tee "$WORK/$RELEASE.install.out"
    grep -q "Reboot once to switch SPI on" "$WORK/$RELEASE.install.out"
    in_root systemctl is-enabled "$APP.service"
    not in_root systemctl is-enabled --quiet getty@tty1.service
    stub "systemd does not run; making /var/lib/$APP as its StateDirectory= would"
    in_root install -d -o "$APP" -g "$APP" -m 0750 "/var/lib/$APP"
}

step_tests() {
    # pytest beside the kiosk's venv, not in it: the installed program stays as installed
    in_root /opt/$APP/venv/bin/python -m pip install --quiet --disable-pip-version-check \
        --target /opt/pytest-for-the-proof "pytest==$PYTEST_VERSION" \
        "hypothesis==$HYPOTHESIS_VERSION"  # the property tests (safety, the who rule) need it
    # The suite must not read this machine's settings (it would find the installed
    # /etc/osteo-kiosk/config.toml): an empty folder hides it, in a mount namespace of its own.
    # LG_WD: lgpio's notification pipe in a writable folder, as the service sets it.
    mkdir -p "$WORK/empty"
    local rc=0
    rm -f "$WORK/$RELEASE.tests-again.out"
    fast_tests 2>&1 | tee "$WORK/$RELEASE.tests.out" || rc=$?
    # qemu-user runs a program's threads on host threads and now and then crashes one of them
    # (a known limit of user-mode emulation, never seen in the booted machine nor on x86): a
    # program a test starts ("qemu: uncaught target signal 11"), or pytest itself in native
    # threaded code (eSpeak NG's; "Fatal Python error: Segmentation fault"); how often: docs/pi.md.
    # Then the failed tests (all of them, when pytest itself died) run once more, and must pass;
    # any other failure fails the step at once.
    if ((rc)) && grep -Eq "qemu: uncaught target signal|Fatal Python error: Segmentation fault" \
        "$WORK/$RELEASE.tests.out"; then
        say "QEMU: qemu-user crashed under the tests (above); running the failed ones again"
        fast_tests --last-failed 2>&1 | tee "$WORK/$RELEASE.tests-again.out" && rc=0 || rc=$?
    fi
    rm -rf "${ROOT:?}/opt/pytest-for-the-proof" "$ROOT/tmp/pytest-cache"
    return "$rc"
}

fast_tests() {  # the suite's fast part as the kiosk's user (pytest's cache in the root's /tmp)
    # shellcheck disable=SC2016  # $0, $1 and $@ are the inner shell's
    unshare --mount --propagation private sh -c 'mount --bind "$0" "$1" && shift && exec "$@"' \
        "$WORK/empty" "$ROOT/etc/$APP" \
        chroot "$ROOT" runuser -u "$APP" -- env -i QEMU_CPU="$QEMU_CPU" PATH=/usr/local/bin:/usr/bin:/bin \
        HOME=/var/lib/$APP LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 LG_WD=/tmp \
        SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy PYTHONPATH=/opt/pytest-for-the-proof \
        sh -c "cd /work/$APP && exec /opt/$APP/venv/bin/python -m pytest -q \
            -o cache_dir=/tmp/pytest-cache -m 'not slow' $* tests"
}

step_doctor() {
    # No SPI, screen or sound card in a chroot: those must fail, everything else must pass.
    local json=$WORK/$RELEASE.doctor.json
    as_kiosk /opt/$APP/venv/bin/$APP doctor --json >"$json" || true
    as_kiosk /opt/$APP/venv/bin/$APP doctor || true
    python3 - "$json" <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1]))
by = {r["name"]: r for r in rows}
hardware = {"mat SPI", "screen", "sound card", "audio output"}
must_pass = {"config", "data directory", "pygame flavour", "display driver", "eSpeak NG"}
bad = [f"{n}: {by[n]['detail']}" for n in must_pass if by.get(n, {}).get("ok") is not True]
stray = [r["name"] for r in rows if r["ok"] is False and r["name"] not in hardware]
print("doctor: must pass:", "all" if not bad else bad, "| other failures:", stray or "none")
sys.exit(1 if bad or stray or "mat SPI" not in by else 0)
EOF
}

step_demo() {  # with /etc/osteo-kiosk/config.toml: the session goes into the real log
    as_kiosk env SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
        /opt/$APP/venv/bin/$APP demo --speed 8 --screenshots /tmp/demo-screens
    ls -l "$ROOT/tmp/demo-screens"/*.png
    ls -l "$ROOT/var/lib/$APP"
}

# shellcheck disable=SC2016  # ${db:Status-Abbrev} is dpkg-query's field, not the shell's
installed() { in_root dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'; }

logs() {  # every file in the kiosk's state folder (the demo's log among them), one checksum
    (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum
}

step_reinstall() {
    local state=$ROOT/var/lib/$APP before after logsum
    [[ -n $(find "$state" -name '*.sqlite' -print -quit) ]]  # the demo's sessions, in a log
    logsum=$(logs "$state")
    in_root bash "/work/$APP/systemd/uninstall.sh"
    [[ $(logs "$state") == "$logsum" ]]  # the log is kept
    in_root getent passwd "$APP" >/dev/null                # and the user who owns it
    in_root systemctl is-enabled --quiet getty@tty1.service  # the login prompt is back
    [[ ! -e $ROOT/opt/$APP && ! -e $ROOT/etc/systemd/system/$APP.service ]]
    install_in_root >/dev/null
    [[ $(logs "$state") == "$logsum" ]]
    in_root bash "/work/$APP/systemd/uninstall.sh" --purge
    not in_root getent passwd "$APP"
    not in_root getent group "$APP"                        # the group too (helper was in it)
    [[ ! -e $state && ! -e $ROOT/etc/$APP && ! -e $ROOT/opt/$APP ]]
    not installed espeak-ng                                # and the Debian packages it added
    not installed alsa-utils
    before=$(inventory)
    install_in_root >/dev/null                             # after --purge: 0.1.0 failed here
    installed espeak-ng
    in_root bash "/work/$APP/systemd/uninstall.sh" --purge
    after=$(inventory)
    # install then uninstall --purge leaves the root as it found it, Debian packages included
    # (the boot settings are kept on purpose: they were changed before this round)
    diff <(echo "$before") <(echo "$after")
    install_in_root >/dev/null
}

# -- the booted machine (--boot) -------------------------------------------------------------------
# Debian's arm64 kernel and what a booted Pi OS Lite has that debootstrap's root lacks.
KERNEL_PACKAGES=(linux-image-arm64 initramfs-tools systemd-sysv udev)
# All the initramfs must do is find an ext4 root on a virtio disk.
INITRAMFS_MODULES=(virtio_pci virtio_blk ext4 crc32c_generic)
SMP=${SMP:-1}
MEMORY=${MEMORY:-2048}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-5400}  # seconds for the whole machine run

kernel_root() {  # the base with the kernel, its initramfs (built once) and install.sh's packages
    local release=$1 dir=$WORK/$1.kernel t0 kver
    local -a ahead
    if ((FRESH)); then rm -rf "$dir"; fi
    if [[ -d $dir ]]; then
        say "$release: reusing $dir (kernel, initramfs; --fresh builds it again)"
        return
    fi
    ROOT=$dir.tmp
    umount_root "$ROOT"
    rm -rf "$ROOT"
    cp -a "$WORK/$release.base" "$ROOT"
    mount_root "$ROOT"
    mkdir -p "$ROOT/etc/initramfs-tools/conf.d"
    printf '%s\n' MODULES=list COMPRESS=gzip >"$ROOT/etc/initramfs-tools/conf.d/arm64-proof.conf"
    # install.sh's Debian packages for this release, ahead, so the emulated machine (slower than
    # qemu-user) need not unpack them: its install.sh finds them installed
    mapfile -t ahead < <(sed -n '/^APT_PACKAGES=(/,/)/p' "$SRC/systemd/install.sh" |
        tr -d '()' | sed 's/APT_PACKAGES=//' | tr -s ' ' '\n' | grep .)
    say "$release: Debian's arm64 kernel, ${KERNEL_PACKAGES[*]:1} and ${ahead[*]}"
    t0=$SECONDS
    in_root apt-get update -qq >>"$WORK/$release.kernel.log" 2>&1
    # systemd-networkd is a package of its own from Trixie on (in systemd before)
    if in_root apt-cache show systemd-networkd >/dev/null 2>&1; then ahead+=(systemd-networkd); fi
    # INITRD=No: the kernel's own hook builds no initramfs (it would, and then again for the
    # trigger, each a quarter of an hour under qemu-user); it is built once, below
    in_root env DEBIAN_FRONTEND=noninteractive INITRD=No apt-get install -y -q \
        --no-install-recommends "${KERNEL_PACKAGES[@]}" "${ahead[@]}" \
        >>"$WORK/$release.kernel.log" 2>&1
    say "$release: packages took $((SECONDS - t0)) s"
    kver=$(basename "$(find "$ROOT/lib/modules" -mindepth 1 -maxdepth 1 | head -1)")
    printf '%s\n' "${INITRAMFS_MODULES[@]}" >>"$ROOT/etc/initramfs-tools/modules"
    t0=$SECONDS
    in_root mkinitramfs -o "/boot/initrd.img-$kver" "$kver" >>"$WORK/$release.kernel.log" 2>&1
    say "$release: initramfs for $kver built once, in $((SECONDS - t0)) s"
    in_root apt-get clean
    umount_root "$ROOT"
    mv "$ROOT" "$dir"
}

guest_setup() {  # what the machine needs to boot, reach PyPI and run the proof at each boot
    local unit=$ROOT/etc/systemd/system/arm64-proof.service
    echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$ROOT/etc/fstab"
    echo osteo >"$ROOT/etc/hostname"
    printf '%s\n' '[Match]' 'Name=en* eth*' '' '[Network]' 'DHCP=ipv4' \
        >"$ROOT/etc/systemd/network/50-wired.network"
    rm -f "$ROOT/etc/resolv.conf"
    echo 'nameserver 10.0.2.3' >"$ROOT/etc/resolv.conf"  # QEMU's user network's resolver
    if [[ -n ${PIP_CERT:-} && -r $PIP_CERT ]]; then
        cp "$PIP_CERT" "$ROOT/etc/ssl/host-pip-ca.pem"
    fi
    printf '%s\n' '[Unit]' 'Description=The arm64 proof (systemd/arm64-guest.sh)' \
        'Wants=network-online.target' 'After=network-online.target' '' '[Service]' \
        'Type=oneshot' "ExecStart=/bin/bash /work/$APP/systemd/arm64-guest.sh" \
        'StandardOutput=journal+console' 'TimeoutStartSec=infinity' '' '[Install]' \
        'WantedBy=multi-user.target' >"$unit"
    in_root systemctl enable systemd-networkd.service systemd-networkd-wait-online.service \
        arm64-proof.service
}

proof_lines() {  # what arm64-guest.sh said, from the machine's serial console (journal prefix off)
    grep -ao 'PROOF .*' "$1" || true
}

monitor() {  # one command to QEMU's monitor; prints its answer
    python3 - "$MONITOR" "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(2)
def drain():
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    return out.decode(errors="replace")
drain()  # the banner
s.sendall(sys.argv[2].encode() + b"\n")
time.sleep(5)
print(drain())
PY
}

ppm_to_png() {  # QEMU's screendump (PPM) as a PNG
    python3 - "$1" "$2" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
parts = data.split(maxsplit=4)  # P6, width, height, maxval, pixels
assert parts[0] == b"P6", parts[0]
w, h = int(parts[1]), int(parts[2])
px = parts[4][: w * h * 3]
raw = b"".join(b"\0" + px[y * w * 3:(y + 1) * w * 3] for y in range(h))
def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
open(sys.argv[2], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(
    ">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
}

boot_machine() {  # boot the image, run the proof, take the screendump; fails unless all passed
    local release=$1 img=$2 serial=$WORK/$1.serial.log t0=$SECONDS pid shot line seen=0
    MONITOR=$WORK/$release.monitor
    rm -f "$serial" "$MONITOR" "$WORK/$release".screen*
    nice -n 19 ionice -c3 qemu-system-aarch64 -nodefaults -no-user-config \
        -machine virt -cpu cortex-a72 -smp "$SMP" -m "$MEMORY" -accel tcg \
        -kernel "$WORK/$release.vmlinuz" -initrd "$WORK/$release.initrd" \
        -append "root=/dev/vda rw console=tty1 console=ttyAMA0 consoleblank=0 fsck.mode=skip" \
        -drive "file=$img,format=raw,if=none,id=disk" -device virtio-blk-pci,drive=disk \
        -netdev user,id=net -device virtio-net-pci,netdev=net,romfile= \
        -device virtio-gpu-pci -display none \
        -audiodev none,id=snd -device intel-hda -device hda-output,audiodev=snd \
        -serial "file:$serial" -monitor "unix:$MONITOR,server,nowait" &
    pid=$!
    say "$release: booting (QEMU pid $pid; the machine's console: $serial)"
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS - t0 > BOOT_TIMEOUT)); then
            say "$release: no end after $BOOT_TIMEOUT s; stopping the machine"
            kill "$pid"
            break
        fi
        sleep 5
        [[ -e $serial ]] || continue
        while IFS= read -r line; do
            say "$release machine: ${line:0:300}"
        done < <(proof_lines "$serial" | tail -n +$((seen + 1)))
        seen=$(proof_lines "$serial" | wc -l)
        if proof_lines "$serial" | grep -q '^PROOF SCREENDUMP NOW' &&
            [[ ! -e $WORK/$release.screen.ppm ]]; then
            sleep 10  # the kiosk keeps drawing; a moment for the home screen's next frame
            monitor "screendump $WORK/$release.screen.ppm" >/dev/null
            say "$release: screendump taken"
        fi
    done
    wait "$pid" || true
    say "$release: the machine ran $((SECONDS - t0)) s"
    # What the machine kept: its own log and its framebuffer read-back.
    debugfs -R "dump /var/lib/arm64-proof/scanout.png $WORK/$release.scanout.png" "$img" \
        >/dev/null 2>&1 || true
    debugfs -R "dump /var/log/arm64-proof.log $WORK/$release.machine.log" "$img" \
        >/dev/null 2>&1 || true
    shot=$WORK/$release.screen.ppm
    [[ -s $shot ]] || { say "$release: no screendump"; return 1; }
    ppm_to_png "$shot" "$WORK/$release.screen.png"
    if proof_lines "$serial" | grep -q '^PROOF FAIL'; then return 1; fi
    proof_lines "$serial" | grep -q '^PROOF watchdog fed' || return 1
    proof_lines "$serial" | grep -q '^PROOF END' || return 1
    [[ -s $WORK/$release.scanout.png ]] || { say "$release: no scanout read-back"; return 1; }
    home_screen "$WORK/$release.screen.png" "$WORK/$release.scanout.png"
}

home_screen() {  # both pictures are the kiosk's home screen (see systemd/homescreen.py)
    if [[ ! -x $SRC/.venv/bin/python ]]; then
        say "the home screen check draws with the developers' venv: run ./setup.sh first"
        return 1
    fi
    "$SRC/.venv/bin/python" "$SRC/systemd/homescreen.py" "$@"
}

boot_release() {
    local release=$1 t_release=$SECONDS img=$WORK/$1.img kver verdict=PASS
    base_root "$release"
    kernel_root "$release"
    kver=$(basename "$(find "$WORK/$release.kernel/lib/modules" -mindepth 1 -maxdepth 1 |
        head -1)")
    cp "$WORK/$release.kernel/boot/vmlinuz-$kver" "$WORK/$release.vmlinuz"
    cp "$WORK/$release.kernel/boot/initrd.img-$kver" "$WORK/$release.initrd"
    fresh_pi "$release" "$WORK/$release.kernel"
    guest_setup
    say "$release: the disk image (ext4 from the root)"
    rm -f "$img"
    truncate -s 8G "$img"
    mkfs.ext4 -q -F -L osteo -d "$ROOT" "$img"
    boot_machine "$release" "$img" || verdict=FAIL
    RESULTS+=("$verdict $release arm64 booted (qemu-system-aarch64 TCG, $kver): $(
        proof_lines "$WORK/$release.serial.log" | grep -E 'install.sh|watchdog|FAIL' |
        sed 's/^PROOF //' | paste -sd ';' -); $((SECONDS - t_release)) s in all")
}

# -- per release ------------------------------------------------------------------------------------
PYTEST_VERSION=${PYTEST_VERSION:-9.2.0}  # what the developers' venv has
HYPOTHESIS_VERSION=${HYPOTHESIS_VERSION:-6.155.7}  # on PyPI; CI uses what setup.cfg admits (>=6.100)
RESULTS=()
for RELEASE in "${RELEASES[@]}"; do
    if ((BOOT)); then
        boot_release "$RELEASE"
        continue
    fi
    t_release=$SECONDS
    LOG=$WORK/$RELEASE.log
    : >"$LOG"
    TIMES=()
    FAILED=()
    base_root "$RELEASE"
    fresh_pi "$RELEASE"
    mount_root "$ROOT"
    check "install.sh" step_install
    if ((${#FAILED[@]} == 0)); then
        check "tests (fast part)" step_tests
        check "doctor" step_doctor
        check "demo" step_demo
        check "uninstall/install cycles" step_reinstall
    fi
    umount_root "$ROOT"
    passed=$(cat "$WORK/$RELEASE.tests.out" "$WORK/$RELEASE.tests-again.out" 2>/dev/null |
        grep -Eo '[0-9]+ passed' | tail -1 || true)
    again=
    [[ ! -e $WORK/$RELEASE.tests-again.out ]] || again=" (run twice: qemu-user crashed the first)"
    verdict=PASS
    ((${#FAILED[@]})) && verdict=FAIL
    RESULTS+=("$verdict $RELEASE arm64 (qemu-user, $(in_root python3 -V 2>/dev/null)): $(
        IFS=,; echo "${TIMES[*]}"); ${passed:-no} tests$again; $((SECONDS - t_release)) s in all")
done

printf '%s\n' "${RESULTS[@]}"
printf '%s\n' "${RESULTS[@]}" >"$WORK/results.txt"
! grep -q '^FAIL' "$WORK/results.txt"

#!/usr/bin/env bash
# Remove Osteo Kiosk; the exercise log and the settings stay unless --purge.
#
#   sudo systemd/uninstall.sh            stop and remove the service and the program
#   sudo systemd/uninstall.sh --purge    also delete the log (/var/lib/osteo-kiosk), the
#                                        settings (/etc/osteo-kiosk), the cache, the user, the
#                                        groups and the Debian packages install.sh added
#   systemd/uninstall.sh --dry-run       print every action, change nothing
#   systemd/uninstall.sh --root DIR      act on the files under DIR (or DESTDIR=DIR)
#
# What install.sh made (the user, groups, a disabled login prompt, the Debian packages it added)
# it noted in /etc/osteo-kiosk/install.made; only that is undone. Of those packages, --purge
# removes the ones nothing else needs by then (as apt autoremove would judge). SPI and
# consoleblank=0 stay on: other things may rely on them.
set -euo pipefail

APP=osteo-kiosk
ROOT=${DESTDIR:-}
DRY_RUN=0
PURGE=0

usage() { sed -n '2,9s/^# \{0,1\}//p' "$0"; }

while (($#)); do
    case $1 in
        --dry-run) DRY_RUN=1 ;;
        --purge) PURGE=1 ;;
        --root) ROOT=${2:?--root needs a directory}; shift ;;
        --root=*) ROOT=${1#--root=} ;;
        -h | --help) usage; exit 0 ;;
        *) echo "uninstall.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
    shift
done
ROOT=${ROOT%/}

# shellcheck source=systemd/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start uninstall.sh

MADE=${MADE:-$ROOT/etc/$APP/install.made}  # (the tests point it elsewhere, dry runs only)
# Whether install.sh noted making this ("user osteo-kiosk"); before install.made existed (0.1.0)
# it always made the user and its group and always disabled the login prompt on tty1.
made() {
    if [[ -f $MADE ]]; then grep -qxF "$*" "$MADE"; else [[ $* =~ ^(user|group)\ $APP$|^getty ]]; fi
}

UNIT=$ROOT/etc/systemd/system/$APP.service
if live; then
    if [[ -e $UNIT ]]; then
        run systemctl disable --now "$APP.service"
    fi
    run rm -f "$UNIT"
    run systemctl daemon-reload
    if made getty tty1; then
        run systemctl enable getty@tty1.service  # the login prompt comes back on tty1
        if [[ -d /run/systemd/system ]]; then   # now, not only at the next boot
            run systemctl start getty@tty1.service || say "! the login prompt comes back at the next boot"
        fi
    fi
else
    [[ -e $UNIT ]] && command -v systemctl >/dev/null && run systemctl --root="$ROOT" disable "$APP.service"
    run rm -f "$UNIT" "$ROOT/etc/systemd/system/multi-user.target.wants/$APP.service"
    skip "systemctl stop $APP; systemctl enable getty@tty1.service"
fi
run rm -rf "$ROOT/opt/$APP"
run rm -f "$ROOT/usr/local/bin/$APP"

if ((PURGE)); then
    run rm -rf "$ROOT/var/lib/$APP" "$ROOT/var/cache/$APP"
    if live; then
        if made user "$APP" && getent passwd "$APP" >/dev/null; then
            run userdel "$APP"
        fi
        # userdel keeps a user's group while others (the helper) are in it; the next install
        # would then stop at "group osteo-kiosk exists". Groups install.sh made go too.
        groups=()
        if [[ -f $MADE ]]; then
            mapfile -t groups < <(sed -n 's/^group //p' "$MADE")
        else
            groups=("$APP")
        fi
        for group in "${groups[@]}"; do
            if getent group "$group" >/dev/null; then run groupdel "$group"; fi
        done
        # The Debian packages install.sh added: marked as installed automatically, then purged
        # where no other installed package needs them (as apt autoremove judges).
        ours=()
        if grep -q '^apt ' "$MADE" 2>/dev/null; then
            installed=$(dpkg_installed)
            mapfile -t ours < <(sed -n 's/^apt //p' "$MADE" | sort -u | comm -12 - <(echo "$installed"))
        else
            say "= no Debian packages noted in $MADE (install.sh found them all installed, or" \
                "0.1.0 installed them, which did not note them): leaving Debian packages as they are"
        fi
        if ((${#ours[@]})); then
            run apt-mark auto "${ours[@]}"
            if ((DRY_RUN)); then
                say "+ apt-get purge of those that apt autoremove would then remove"
            else
                list=$(apt_unneeded "${ours[@]}")  # stops here if apt cannot judge (broken packages)
                unneeded=()
                [[ -z $list ]] || mapfile -t unneeded <<<"$list"
                if ((${#unneeded[@]})); then
                    run env DEBIAN_FRONTEND=noninteractive apt-get purge -y "${unneeded[@]}"
                fi
                kept=$(comm -23 <(printf '%s\n' "${ours[@]}") <(printf '%s\n' "${unneeded[@]}" | sort))
                [[ -z $kept ]] || say "= kept Debian packages that other packages need: ${kept//$'\n'/ }"
            fi
        fi
    else
        skip "userdel $APP; groupdel of the groups and apt-get purge of the packages in $MADE"
    fi
    run rm -rf "$ROOT/etc/$APP"
    say "Done; the log and the settings are deleted."
else
    say "= kept the log in $ROOT/var/lib/$APP and the settings in $ROOT/etc/$APP (--purge deletes them)"
    say "Done."
fi

# shellcheck shell=bash
# Shared by install.sh and uninstall.sh: printing and doing actions, dry runs, --root mode.
# Expects DRY_RUN (0/1) and ROOT ("" for the live system) to be set by the caller.

say() { printf '%s\n' "$*"; }

# Print an action (quoted so it can be pasted), then do it unless this is a dry run.
run() {
    local word line=+
    for word in "$@"; do
        if [[ $word == *[![:alnum:]_./=:,+@%-]* ]]; then line+=" ${word@Q}"; else line+=" $word"; fi
    done
    say "$line"
    ((DRY_RUN)) || "$@"
}

# A step that only makes sense on the live system (not in --root mode).
live() { [[ -z $ROOT ]]; }
skip() { say "- skipped in --root mode: $*"; }

# Refuse to change the live system without root; announce a dry run.
start() {
    if ! ((DRY_RUN)) && live && ((EUID != 0)); then
        echo "$1: run as root: sudo $0" >&2
        exit 1
    fi
    ((DRY_RUN)) && say "Dry run: printing every action, changing nothing."
    return 0
}

# The Debian packages installed on the live system, one name per line, sorted.
dpkg_installed() {
    dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null | awk '$1 == "ii" { print $2 }' |
        sort -u
}

# Of the named packages (the ones install.sh installed), those apt would now remove as no longer
# needed once they are marked as installed automatically: what nothing else on the machine needs.
# A mere suggestion does not count as a need (python3 suggests python3-venv); a recommendation
# or a dependency does.
apt_unneeded() {
    local -A ours=()
    local pkg
    for pkg in "$@"; do ours[$pkg]=1; done
    apt-get -s -o APT::AutoRemove::SuggestsImportant=false autoremove |
        awk '$1 == "Remv" { sub(/:.*/, "", $2); print $2 }' |
        while read -r pkg; do
            if [[ -n ${ours[$pkg]:-} ]]; then echo "$pkg"; fi
        done
}

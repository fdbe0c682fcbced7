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

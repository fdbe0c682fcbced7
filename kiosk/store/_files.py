"""The log's files on disk: who may read them (modes set exactly, never by the umask), fsync of
files and folders, the writer's durable connection, and which process owns a running session.
"""

from __future__ import annotations

import contextlib
import grp
import logging
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from kiosk.store._errors import StoreError

log = logging.getLogger("kiosk.store")

BUSY_TIMEOUT_S = 5.0


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""


_OWNER = f"{_boot_id()}:{os.getpid()}"


def _owner_alive(owner: str) -> bool:
    """Is the process that began a session still running (same boot, live non-zombie pid)?"""
    boot, _, pid_text = owner.rpartition(":")
    if not pid_text.isdigit() or boot != _OWNER.rpartition(":")[0]:
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed child not yet reaped is a zombie: dead for our purpose
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rpartition(")")[2].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True


def display_status(status: str, owner: str) -> str:
    """What a person should read: a ``running`` session whose process is gone was cut short."""
    if status != "running":
        return status
    return "in progress" if _owner_alive(owner) else "interrupted"


def _file_mode(log_group: str) -> tuple[int, int | None]:
    """0600, or 0640 and the group id when a log-reader group is configured."""
    if not log_group:
        return 0o600, None
    try:
        return 0o640, grp.getgrnam(log_group).gr_gid
    except KeyError:
        raise StoreError(f"storage.log_group: there is no group named {log_group!r} on this "
                         "system (create it with `groupadd`, or leave log_group empty)") from None


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _prepare_dir(folder: Path, gid: int | None) -> None:
    """Create the data folder private (0700); with a reader group make it 02750 so that the
    -wal/-shm files SQLite creates inherit the group too."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if gid is not None and folder.stat().st_uid == os.geteuid():
            os.chown(folder, -1, gid)
            os.chmod(folder, 0o2750)
    except OSError as exc:
        raise StoreError(f"cannot prepare the data folder {folder} ({exc.strerror})") from None


def _secure(path: Path, mode: int, gid: int | None) -> None:
    """Set a file's mode (and group) exactly; the umask must not decide who reads health data."""
    if not path.exists():
        return
    with contextlib.suppress(OSError):
        if gid is not None:
            os.chown(path, -1, gid)
        os.chmod(path, mode)


def _create_private(path: Path, mode: int, gid: int | None) -> None:
    """Create an empty file with its final mode from the first instant (no readable window)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(fd, mode)
        if gid is not None:
            os.fchown(fd, -1, gid)
        os.fsync(fd)
    finally:
        os.close(fd)
    _fsync_dir(path.parent)


def _ro_uri(path: Path, *, immutable: bool = False) -> str:
    return f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")


def _writer_connection(target: str | Path, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(str(target), uri=uri, isolation_level=None, timeout=BUSY_TIMEOUT_S,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    if str(target) != ":memory:":
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            log.warning("journal mode is %s, not wal", mode)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn

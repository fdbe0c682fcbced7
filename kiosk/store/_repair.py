"""The start-up check, salvage of a damaged log, and the daily backups salvage restores from.

Only SQLite's own verdict counts as damage; what can still be read is copied into a fresh file,
parents first, and what the damaged file lost is filled in from the newest good backup.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import struct
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.store._errors import StoreError, _is_damage
from kiosk.store._files import BUSY_TIMEOUT_S, _create_private, _fsync_dir, _ro_uri
from kiosk.store._schema import TABLES, _columns, _transaction, schema_version

log = logging.getLogger("kiosk.store")

BACKUP_DIR = "backups"
KEEP_BACKUPS = 7


def check_file(path: Path) -> str | None:
    """``PRAGMA quick_check`` on a file: None when healthy, else what is wrong. An empty
    (0-byte) file is damage too: SQLite would take it as a new log, and a year of sessions
    would be gone without a word.

    Only damage (SQLITE_CORRUPT, SQLITE_NOTADB, a failed check) is reported; a busy or
    unreadable file raises StoreError instead, so a healthy log is never moved aside.
    """
    with contextlib.suppress(OSError):
        if path.stat().st_size == 0:
            return "the file is empty (0 bytes)"
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            return str(exc)
        raise StoreError(f"cannot check the log at {path} ({exc})") from None
    found = [str(r[0]) for r in rows]
    return None if found == ["ok"] else "; ".join(found[:3])


def _move_aside(path: Path, stamp: str) -> Path:
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    _fsync_dir(path.parent)
    return aside


def _readable_rows(src: sqlite3.Connection, table: str, cols: Sequence[str],
                   damaged: list[str]) -> Iterator[tuple]:
    """Every row that can still be read: the whole table at once, else block by block and, in a
    damaged block, row by row, walking rowids until a long run of nothing. A table that could
    not be read whole is added to ``damaged`` (some of its rows may be lost)."""
    names = ", ".join(cols)
    try:
        yield from src.execute(f"SELECT {names} FROM {table} ORDER BY rowid").fetchall()
        return
    except sqlite3.DatabaseError:
        damaged.append(table)
    block, empty_run, lo = 256, 0, 1
    while empty_run < 64:
        try:
            rows = src.execute(f"SELECT {names} FROM {table} WHERE rowid BETWEEN ? AND ?",
                               (lo, lo + block - 1)).fetchall()
        except sqlite3.DatabaseError:
            rows = []
            for rowid in range(lo, lo + block):
                with contextlib.suppress(sqlite3.DatabaseError):
                    rows += src.execute(f"SELECT {names} FROM {table} WHERE rowid = ?",
                                        (rowid,)).fetchall()
        empty_run = 0 if rows else empty_run + 1
        yield from rows
        lo += block


@dataclass(frozen=True, slots=True)
class Salvaged:
    """What :func:`salvage` recovered."""

    copied: int = 0  #: rows read from the damaged file into the fresh one
    dropped: int = 0  #: rows read from it that could not be placed (their parent was lost)
    restored: int = 0  #: rows the damaged file had lost, filled in from ``backup``
    backup: Path | None = None  #: the backup used, when one was needed and readable
    damaged_tables: tuple[str, ...] = ()  #: tables that could not be read whole
    rebuilt: bool = False  #: the file's header was gone and its pages were read with a new one


def backup_files(path: Path) -> list[Path]:
    """The daily backups of the log at ``path``, oldest first."""
    return sorted((path.parent / BACKUP_DIR).glob(f"{path.stem}-????-??-??.sqlite"))


def _open_backup(candidates: Sequence[Path]) -> tuple[sqlite3.Connection, Path] | None:
    """The newest backup that passes ``quick_check``, opened read-only, or None."""
    for candidate in reversed(candidates):
        conn = None
        try:
            conn = sqlite3.connect(_ro_uri(candidate, immutable=True), uri=True,
                                   isolation_level=None)
            if conn.execute("PRAGMA quick_check").fetchall() == [("ok",)] \
                    and schema_version(conn) > 0:
                return conn, candidate
        except sqlite3.Error as exc:
            log.warning("backup %s cannot be read: %s", candidate, exc)
        if conn is not None:
            conn.close()
    return None


def _fill_from_backup(backup: sqlite3.Connection, dest: sqlite3.Connection, table: str) -> int:
    """Copy the rows of ``table`` whose ids ``dest`` does not have; returns how many. Rows that
    cannot be placed (their parent is missing too) stay in the backup."""
    try:
        cols = [c for c in _columns(backup, table) if c in set(_columns(dest, table))]
        if "id" not in cols:
            return 0
        rows = backup.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
    except sqlite3.DatabaseError as exc:
        log.warning("table %s of the backup cannot be read: %s", table, exc)
        return 0
    have = {r[0] for r in dest.execute(f"SELECT id FROM {table}")}
    at = cols.index("id")
    sql = (f"INSERT INTO {table} ({', '.join(cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    restored = 0
    for row in rows:
        if row[at] in have:
            continue
        try:
            dest.execute(sql, row)
            restored += 1
        except sqlite3.IntegrityError:
            pass
    return restored


_HEADER_MAGIC = b"SQLite format 3\x00"
_PAGE_TYPES = (0x02, 0x05, 0x0A, 0x0D)  # b-tree pages: index/table, interior/leaf


def _page_sizes(data: bytes) -> list[int]:
    """Page sizes a file whose header is gone could have: the size divides the file, page 1's
    b-tree header (after the 100-byte file header) is a table page, and page 2 starts with a
    b-tree page type (or is an overflow/free page). Most likely first: SQLite's default."""
    fits = []
    for size in (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512):
        if len(data) % size or len(data) < size or data[100] not in (0x05, 0x0D):
            continue
        content = int.from_bytes(data[105:107], "big") or 65536
        if content > size or (len(data) > size and data[size] not in (0, *_PAGE_TYPES)):
            continue
        fits.append(size)
    return fits


def _with_header(data: bytes, page_size: int, wal: bool) -> bytes:
    """The file with a fresh 100-byte header (SQLite file format, section 1.3): page count from
    the file's length, no freelist (free pages are only lost space), UTF-8, schema format 4."""
    pages = len(data) // page_size
    version = 2 if wal else 1
    header = struct.pack(
        ">16sH6B12I20s2I", _HEADER_MAGIC, page_size if page_size < 65536 else 1,
        version, version, 0, 64, 32, 32,  # WAL or rollback, no reserved bytes, payload fractions
        1, pages, 0, 0,  # change counter, pages, no freelist trunk, no free pages
        1, 4, 0, 0, 1,  # schema cookie, schema format 4, cache size, no auto-vacuum, UTF-8
        0, 0, 0, bytes(20),  # user version, incremental vacuum, application id, reserved
        1, 3045000)  # version-valid-for (= the change counter), the SQLite that wrote it
    return header + data[100:]


def rebuilt_copy(damaged: Path, work: Path) -> Path | None:
    """When the header is gone (zeroed, overwritten), every page may still be intact: write a
    copy with a fresh header, trying each plausible page size until SQLite can read its schema.
    Returns the readable copy in ``work``, or None."""
    try:
        data = damaged.read_bytes()
    except OSError:
        return None
    if len(data) < 512 or data.startswith(_HEADER_MAGIC):
        return None
    wal = Path(str(damaged) + "-wal")
    for size in _page_sizes(data):
        copy = work / f"{damaged.name}.rebuilt-{size}"
        copy.write_bytes(_with_header(data, size, wal.exists()))
        if wal.exists():
            Path(str(copy) + "-wal").write_bytes(wal.read_bytes())
        try:
            conn = sqlite3.connect(_ro_uri(copy), uri=True, isolation_level=None)
            try:
                names = {r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                conn.close()
        except sqlite3.Error:
            names = set()
        if names & set(TABLES):
            return copy
        for leftover in (copy, Path(str(copy) + "-wal"), Path(str(copy) + "-shm")):
            leftover.unlink(missing_ok=True)
    return None


def salvage(damaged: Path, dest: sqlite3.Connection,
            backups: Sequence[Path] = ()) -> Salvaged:
    """Copy what can be read from a damaged log into ``dest`` (already migrated), table by
    table, parents first; rows whose parent was lost are left out.

    When a table cannot be read whole (or the file not at all), the rows it lost are filled in
    from the newest of ``backups`` (oldest first) that passes its check: those whose ids were
    not copied from the damaged file, which keeps its newer version of every row it still has.
    """
    try:
        workspace = tempfile.TemporaryDirectory(prefix="osteo-salvage-", dir=damaged.parent)
    except OSError:  # a full card: the system's temporary folder will do
        workspace = tempfile.TemporaryDirectory(prefix="osteo-salvage-")
    with workspace as work:
        readable = damaged
        try:
            _schema_of(damaged)
        except sqlite3.Error:  # the header may be all that is gone: read the pages with a new one
            readable = rebuilt_copy(damaged, Path(work)) or damaged
        got = _salvage_from(readable, dest, backups)
    return replace(got, rebuilt=readable != damaged)


def _schema_of(path: Path) -> set[str]:
    conn = sqlite3.connect(_ro_uri(path), uri=True, isolation_level=None)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def _salvage_from(damaged: Path, dest: sqlite3.Connection, backups: Sequence[Path]) -> Salvaged:
    copied = dropped = restored = 0
    lost: list[str] = []
    src: sqlite3.Connection | None = None
    present: set[str] = set()
    try:
        src = sqlite3.connect(str(damaged), isolation_level=None, timeout=BUSY_TIMEOUT_S)
        present = {r[0] for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:  # the schema itself is gone: every table must come from a backup
        if src is not None:
            src.close()
        src = None
    lost += [t for t in TABLES if t not in present]  # an empty (0-byte) file has none
    backup: tuple[sqlite3.Connection, Path] | None = None
    tried = False
    try:
        for table in TABLES:
            rows: Iterator[tuple] | tuple = ()
            cols: list[str] = []
            if src is not None and table in present:
                try:
                    cols = [c for c in _columns(src, table) if c in set(_columns(dest, table))]
                    rows = _readable_rows(src, table, cols, lost)
                except sqlite3.DatabaseError:
                    lost.append(table)
            marks = ", ".join("?" for _ in cols)
            sql = f"INSERT OR IGNORE INTO {table} ({', '.join(cols)}) VALUES ({marks})"
            with _transaction(dest):
                for row in rows:
                    try:
                        dest.execute(sql, row)
                        copied += 1
                    except sqlite3.IntegrityError:
                        dropped += 1
                if table in lost and backups:
                    if not tried:
                        tried, backup = True, _open_backup(backups)
                    if backup is not None:
                        restored += _fill_from_backup(backup[0], dest, table)
    finally:
        if src is not None:
            src.close()
        if backup is not None:
            backup[0].close()
    return Salvaged(copied, dropped, restored, backup[1] if backup else None,
                    tuple(dict.fromkeys(lost)))


def backup_to(src: sqlite3.Connection, dest: Path, mode: int, gid: int | None) -> None:
    """A consistent copy via SQLite's online backup, written to a temporary name then renamed,
    so a power cut never leaves a half-written backup under the final name."""
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.unlink(missing_ok=True)
    _create_private(tmp, mode, gid)
    out = sqlite3.connect(str(tmp))
    try:
        src.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")
    finally:
        out.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    _fsync_dir(dest.parent)

"""The one module that speaks SQL: schema and migrations, the kiosk's durable recording API,
the queries behind ``log``, ``report`` and ``export``, the start-up check, salvage and backups.

Durability is the point: the journal is WAL with ``synchronous=FULL`` and the connection is in
autocommit mode, so every ``add_*`` call is one INSERT that is on disk (WAL fsynced) before it
returns. Readers open the file read-only with a busy timeout; under WAL they read a snapshot and
never block the kiosk. Table and column names in SQL text come from constants in this module
only; every value is a ``?`` parameter.
"""

from __future__ import annotations

import contextlib
import grp
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kiosk.errors import KioskError
from kiosk.program.model import BLOCKS, KINDS

if TYPE_CHECKING:
    from kiosk.config import Config

log = logging.getLogger("kiosk.store")

LOG_NAME = "log.sqlite"
BACKUP_DIR = "backups"
KEEP_BACKUPS = 7
BUSY_TIMEOUT_S = 5.0
SLOTS = ("morning", "evening", "demo", "extra")
STEP_END = ("done", "skipped", "stopped")
SESSION_END = ("done", "stopped")
FEET = ("left", "right")
#: Every table, parents before children (the order salvage copies them in).
TABLES = ("sessions", "steps", "landings", "holds", "strength_sets", "intervals", "pain",
          "calibrations", "onerm", "incidents")
#: The tables whose rows hang off a step (each has ``step_id`` and ``created_utc``).
MEASUREMENTS = ("landings", "holds", "strength_sets", "intervals", "pain")
_CORRUPT_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


class StoreError(KioskError):
    """The log could not be read or written; the message names the file and what to do."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One named, numbered schema change; its statements run in one transaction."""

    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core_log", (
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            slot TEXT NOT NULL CHECK (slot IN ('morning', 'evening', 'demo', 'extra')),
            plan_date TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            ended_utc TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'stopped', 'interrupted')),
            owner TEXT NOT NULL DEFAULT '')""",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            exercise_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            block TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '{}',
            achieved TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'skipped', 'stopped')),
            started_utc TEXT NOT NULL,
            ended_utc TEXT)""",
        """CREATE TABLE landings (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            foot TEXT NOT NULL CHECK (foot IN ('left', 'right')),
            t_s REAL NOT NULL,
            peak_bw REAL NOT NULL,
            stomp INTEGER NOT NULL CHECK (stomp IN (0, 1)),
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE holds (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            side TEXT NOT NULL,
            held_s REAL NOT NULL,
            target_s REAL NOT NULL,
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE strength_sets (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            set_no INTEGER NOT NULL,
            reps INTEGER NOT NULL,
            load_kg REAL,
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE intervals (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            seconds REAL NOT NULL,
            steps INTEGER NOT NULL,
            cadence_spm REAL NOT NULL,
            target_spm REAL NOT NULL,
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE pain (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            hurt INTEGER NOT NULL CHECK (hurt IN (0, 1)),
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE calibrations (
            id INTEGER PRIMARY KEY,
            created_utc TEXT NOT NULL,
            data TEXT NOT NULL)""",
        """CREATE TABLE onerm (
            id INTEGER PRIMARY KEY,
            exercise_id TEXT NOT NULL,
            weight_kg REAL NOT NULL,
            reps INTEGER NOT NULL,
            estimate_kg REAL NOT NULL,
            target_kg REAL NOT NULL,
            created_utc TEXT NOT NULL)""",
    )),
    Migration(2, "report_indexes", (
        "CREATE INDEX sessions_by_plan_date ON sessions(plan_date, started_utc)",
        "CREATE INDEX steps_by_session ON steps(session_id, status, block)",
        "CREATE INDEX landings_by_step ON landings(step_id)",
        "CREATE INDEX holds_by_step ON holds(step_id)",
        "CREATE INDEX strength_sets_by_step ON strength_sets(step_id)",
        "CREATE INDEX intervals_by_step ON intervals(step_id)",
        "CREATE INDEX pain_by_step ON pain(step_id)",
        "CREATE INDEX onerm_by_exercise ON onerm(exercise_id, created_utc)",
    )),
    Migration(3, "incidents", (
        """CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            created_utc TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL)""",
    )),
    Migration(4, "landing_saturated", (
        # a landing that hit the sensor's ceiling: its peak is a lower bound, kept out of trends
        "ALTER TABLE landings ADD COLUMN saturated INTEGER NOT NULL DEFAULT 0 "
        "CHECK (saturated IN (0, 1))",
    )),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


# --- small helpers ---------------------------------------------------------------------------

def utc_text(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds and a ``Z``; sorts as text. Naive times are taken as UTC
    (refusing them mid-session would lose a completed set over a type nit)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_utc(text: str) -> datetime:
    """The inverse of :func:`utc_text`."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _utcnow() -> datetime:
    return datetime.now(UTC)


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


def _errcode(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return (_errcode(exc) in _CORRUPT_CODES or "malformed" in text
            or "not a database" in text)


def _damaged(path: Path | str | None) -> StoreError:
    """What a reader says about a damaged log: one sentence, and how it gets repaired."""
    return StoreError(f"the log at {path or ':memory:'} is damaged; the kiosk repairs it at its "
                      "next start (`sudo systemctl restart osteo-kiosk` on the Pi)")


def _read_error(path: Path | str | None, exc: sqlite3.Error) -> StoreError:
    if _is_damage(exc):
        return _damaged(path)
    return StoreError(f"cannot read the log at {path or ':memory:'} ({exc})")


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


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (autocommit connections only)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


# --- migrations ------------------------------------------------------------------------------

def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration, 0 for a new file."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'schema_migrations'").fetchone()
    if not exists:
        return 0
    return conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS,
            now: Callable[[], datetime] = _utcnow) -> list[str]:
    """Apply the pending migrations in order, each in its own transaction, and record each in
    ``schema_migrations``; a failing one leaves the file at the previous version."""
    conn.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_utc TEXT NOT NULL)""")
    current = schema_version(conn)
    known = max((m.version for m in migrations), default=0)
    if current > known:
        raise StoreError(f"the log was written by a newer osteo-kiosk (schema {current}, this "
                         f"one knows up to {known}); update osteo-kiosk")
    applied = []
    for migration in sorted(migrations, key=lambda m: m.version):
        if migration.version <= current:
            continue
        with _transaction(conn):
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (version, name, applied_utc) "
                         "VALUES (?, ?, ?)", (migration.version, migration.name, utc_text(now())))
        applied.append(migration.name)
    return applied


# --- start-up check, salvage, backup ---------------------------------------------------------

def check_file(path: Path) -> str | None:
    """``PRAGMA quick_check`` on a file: None when healthy, else what is wrong.

    Only damage (SQLITE_CORRUPT, SQLITE_NOTADB, a failed check) is reported; a busy or
    unreadable file raises StoreError instead, so a healthy log is never moved aside.
    """
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


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


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


def salvage(damaged: Path, dest: sqlite3.Connection,
            backups: Sequence[Path] = ()) -> Salvaged:
    """Copy what can be read from a damaged log into ``dest`` (already migrated), table by
    table, parents first; rows whose parent was lost are left out.

    When a table cannot be read whole (or the file not at all), the rows it lost are filled in
    from the newest of ``backups`` (oldest first) that passes its check: those whose ids were
    not copied from the damaged file, which keeps its newer version of every row it still has.
    """
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
        lost += TABLES
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


# --- reading ---------------------------------------------------------------------------------

_LAST_ACTIVITY = " ".join(
    ["MAX(s.started_utc, COALESCE((SELECT MAX(COALESCE(st.ended_utc, st.started_utc)) "
     "FROM steps st WHERE st.session_id = s.id), '')"]
    + [f", COALESCE((SELECT MAX(m.created_utc) FROM {t} m JOIN steps st ON st.id = m.step_id "
       f"WHERE st.session_id = s.id), '')" for t in MEASUREMENTS]) + ")"


def _count(table: str, where: str = "") -> str:
    return (f"(SELECT COUNT(*) FROM {table} m JOIN steps st ON st.id = m.step_id "
            f"WHERE st.session_id = s.id{where})")


_SESSIONS_SQL = f"""
SELECT s.id, s.slot, s.plan_date, s.started_utc, s.ended_utc, s.status, s.owner,
       {_LAST_ACTIVITY} AS last_utc,
       (SELECT COUNT(*) FROM steps st WHERE st.session_id = s.id) AS steps_total,
       (SELECT COUNT(*) FROM steps st WHERE st.session_id = s.id AND st.status = 'done')
           AS steps_done,
       {_count("landings", " AND m.stomp = 1 AND m.foot = 'left'")} AS stomps_left,
       {_count("landings", " AND m.stomp = 1 AND m.foot = 'right'")} AS stomps_right,
       {_count("strength_sets")} AS sets,
       {_count("holds")} AS holds,
       {_count("intervals")} AS intervals,
       {_count("pain", " AND m.hurt = 1")} AS hurt
FROM sessions s
WHERE s.plan_date >= ? AND (? OR s.slot <> 'demo')
ORDER BY s.plan_date DESC, s.started_utc DESC, s.id DESC
LIMIT ?"""

_STEPS_OF_SQL = """
SELECT st.id, st.session_id, st.exercise_id, st.kind, st.block, st.status, st.target,
       st.achieved, st.started_utc, st.ended_utc
FROM steps st WHERE st.session_id = ? ORDER BY st.id"""

_DAY_COUNTS_SQL = """
SELECT s.plan_date, st.block, COUNT(DISTINCT s.id)
FROM sessions s JOIN steps st ON st.session_id = s.id
WHERE st.status = 'done' AND s.slot <> 'demo'
GROUP BY s.plan_date, st.block"""

_WINDOW_LANDINGS_SQL = """
SELECT s.plan_date, l.foot, l.peak_bw, l.stomp
FROM sessions s JOIN steps st ON st.session_id = s.id JOIN landings l ON l.step_id = st.id
WHERE s.plan_date BETWEEN ? AND ? AND s.slot <> 'demo' AND st.block = 'stomps'
  AND l.saturated = 0"""

_WINDOW_SETS_SQL = """
SELECT s.plan_date, st.exercise_id, x.set_no, x.reps, x.load_kg
FROM sessions s JOIN steps st ON st.session_id = s.id JOIN strength_sets x ON x.step_id = st.id
WHERE s.plan_date BETWEEN ? AND ? AND s.slot <> 'demo'"""

_WINDOW_PAIN_SQL = """
SELECT s.plan_date, st.exercise_id, st.block
FROM sessions s JOIN steps st ON st.session_id = s.id JOIN pain p ON p.step_id = st.id
WHERE s.plan_date BETWEEN ? AND ? AND p.hurt = 1 AND s.slot <> 'demo'
ORDER BY p.created_utc"""

#: Session-bound export tables take two parameters: the first plan date, and whether demo
#: sessions count (1) or are left out (0).
_SESSION_FILTER = "s.plan_date >= ? AND (? OR s.slot <> 'demo')"
_CONTEXT = ("m.step_id, st.session_id, s.slot, s.plan_date, st.exercise_id, st.block",
            "FROM {t} m JOIN steps st ON st.id = m.step_id JOIN sessions s ON s.id = st.session_id "
            f"WHERE {_SESSION_FILTER} ORDER BY m.id")

#: The SELECT behind each export table; export.COLUMNS documents the same names in order.
_EXPORT_SQL: Mapping[str, str] = {
    "steps": "SELECT st.id AS step_id, st.session_id, s.slot, s.plan_date, st.exercise_id, "
             "st.kind, st.block, st.status, st.started_utc, st.ended_utc, st.target, "
             "st.achieved FROM steps st JOIN sessions s ON s.id = st.session_id "
             f"WHERE {_SESSION_FILTER} ORDER BY st.id",
    "landings": f"SELECT m.id AS landing_id, {_CONTEXT[0]}, m.foot, m.t_s, m.peak_bw, m.stomp, "
                f"m.saturated, m.created_utc {_CONTEXT[1].format(t='landings')}",
    "holds": f"SELECT m.id AS hold_id, {_CONTEXT[0]}, m.side, m.held_s, m.target_s, "
             f"m.created_utc {_CONTEXT[1].format(t='holds')}",
    "strength_sets": f"SELECT m.id AS set_id, {_CONTEXT[0]}, m.set_no, m.reps, m.load_kg, "
                     f"m.created_utc {_CONTEXT[1].format(t='strength_sets')}",
    "intervals": f"SELECT m.id AS interval_id, {_CONTEXT[0]}, m.seconds, m.steps, "
                 f"m.cadence_spm, m.target_spm, m.created_utc "
                 f"{_CONTEXT[1].format(t='intervals')}",
    "pain": f"SELECT m.id AS pain_id, {_CONTEXT[0]}, m.hurt, m.created_utc "
            f"{_CONTEXT[1].format(t='pain')}",
    "calibrations": "SELECT id AS calibration_id, created_utc, data FROM calibrations "
                    "WHERE substr(created_utc, 1, 10) >= ? ORDER BY id",
    "onerm": "SELECT id AS onerm_id, exercise_id, weight_kg, reps, estimate_kg, target_kg, "
             "created_utc FROM onerm WHERE substr(created_utc, 1, 10) >= ? ORDER BY id",
}


def _minutes(start: str, end: str | None) -> float | None:
    if not end:
        return None
    return round((parse_utc(end) - parse_utc(start)).total_seconds() / 60, 1)


class LogReader:
    """Queries over the log; the kiosk's Store and the SSH commands share them."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise _read_error(self.path, exc) from None

    def sessions(self, *, since: date | None = None, limit: int | None = 20,
                 demo: bool = True) -> list[dict]:
        """Recent sessions, newest first, with counts of what was completed in each
        (``demo=False`` leaves demo sessions out)."""
        rows = self._rows(_SESSIONS_SQL, ((since or date.min).isoformat(), int(demo),
                                          -1 if limit is None else limit))
        out = []
        for (sid, slot, plan_date, started, ended, status, owner, last, total, done,
             left, right, sets, holds, intervals, hurt) in rows:
            shown = display_status(status, owner)
            end = ended or (last if shown == "interrupted" else None)
            out.append({
                "id": sid, "slot": slot, "plan_date": plan_date, "started_utc": started,
                "ended_utc": end, "status": shown, "minutes": _minutes(started, end),
                "steps_done": done, "steps_total": total, "stomps_left": left,
                "stomps_right": right, "sets": sets, "holds": holds, "intervals": intervals,
                "pain": hurt})
        return out

    def steps_of(self, session_id: int) -> list[dict]:
        """The steps of one session in order, targets and results decoded."""
        keys = ("id", "session_id", "exercise_id", "kind", "block", "status", "target",
                "achieved", "started_utc", "ended_utc")
        out = []
        for row in self._rows(_STEPS_OF_SQL, (session_id,)):
            item = dict(zip(keys, row, strict=True))
            item["target"] = json.loads(item["target"] or "{}")
            item["achieved"] = json.loads(item["achieved"]) if item["achieved"] else None
            out.append(item)
        return out

    def day_counts(self) -> list[tuple[str, str, int]]:
        """(plan_date, block, sessions with that block done) over all time, demos left out."""
        return self._rows(_DAY_COUNTS_SQL)

    def first_plan_date(self) -> str | None:
        """The first day anything (not a demo) was logged; the report counts from there."""
        return self._rows("SELECT MIN(plan_date) FROM sessions WHERE slot <> 'demo'")[0][0]

    def window_landings(self, first: date, last: date) -> list[tuple[str, str, float, int]]:
        """(plan_date, foot, peak_bw, stomp) of stomp-block landings between two plan dates."""
        return self._rows(_WINDOW_LANDINGS_SQL, (first.isoformat(), last.isoformat()))

    def window_sets(self, first: date, last: date) -> list[tuple[str, str, int, int, float | None]]:
        """(plan_date, exercise_id, set_no, reps, load_kg) of strength sets in a window."""
        return self._rows(_WINDOW_SETS_SQL, (first.isoformat(), last.isoformat()))

    def window_pain(self, first: date, last: date) -> list[tuple[str, str, str]]:
        """(plan_date, exercise_id, block) of each "it hurt" answer in a window."""
        return self._rows(_WINDOW_PAIN_SQL, (first.isoformat(), last.isoformat()))

    def latest_onerm_targets(self) -> dict[str, float]:
        """The newest strength target load per exercise, from the one-rep-max history."""
        rows = self._rows("SELECT exercise_id, target_kg FROM onerm o WHERE id = ("
                          "SELECT id FROM onerm p WHERE p.exercise_id = o.exercise_id "
                          "ORDER BY created_utc DESC, id DESC LIMIT 1)")
        return {ex: kg for ex, kg in rows}

    def latest_calibration(self) -> dict | None:
        """The newest mat calibration, as stored by :meth:`Store.add_calibration`."""
        rows = self._rows("SELECT data FROM calibrations ORDER BY created_utc DESC, id DESC "
                          "LIMIT 1")
        return json.loads(rows[0][0]) if rows else None

    def incidents(self, *, since_utc: datetime | None = None) -> list[dict]:
        """Problems the store found and repaired (damaged file, salvage), newest first."""
        rows = self._rows("SELECT created_utc, kind, detail FROM incidents "
                          "WHERE created_utc >= ? ORDER BY id DESC",
                          (utc_text(since_utc) if since_utc else "",))
        return [{"created_utc": c, "kind": k, "detail": d} for c, k, d in rows]

    def demo_sessions(self, *, since: date | None = None) -> int:
        """How many demo sessions there are on or after ``since``."""
        return self._rows("SELECT COUNT(*) FROM sessions WHERE slot = 'demo' AND plan_date >= ?",
                          ((since or date.min).isoformat(),))[0][0]

    def export_table(self, table: str, *, since: date | None = None,
                     demo: bool = False) -> tuple[list[str], list[tuple]]:
        """Column names and rows of one export table (see ``kiosk.store.export.COLUMNS``);
        rows of demo sessions only with ``demo=True``."""
        day = (since or date.min).isoformat()
        if table == "sessions":
            cols = ["session_id", "slot", "plan_date", "started_utc", "ended_utc", "status",
                    "minutes"]
            rows = [(s["id"], s["slot"], s["plan_date"], s["started_utc"], s["ended_utc"],
                     s["status"], s["minutes"])
                    for s in reversed(self.sessions(since=since, limit=None, demo=demo))]
            return cols, rows
        params = (day, int(demo)) if table in ("steps", *MEASUREMENTS) else (day,)
        with self._lock:
            try:
                cur = self._conn.execute(_EXPORT_SQL[table], params)
                return [d[0] for d in cur.description], cur.fetchall()
            except sqlite3.Error as exc:
                raise _read_error(self.path, exc) from None

    def close(self) -> None:
        """Close the connection (further calls fail)."""
        with self._lock:
            self._conn.close()


def open_reader(path: Path) -> LogReader:
    """Open the log for reading over SSH while the kiosk writes: read-only, busy timeout, WAL
    snapshot reads. A missing log is one clear sentence, not a traceback."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no sessions logged yet at {path}")
    conn = None
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, isolation_level=None,
                               timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        version = schema_version(conn)
    except sqlite3.OperationalError as exc:
        if conn is not None:
            conn.close()
        if _errcode(exc) in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED: not a permission problem
            raise StoreError(f"the log at {path} stayed busy for {BUSY_TIMEOUT_S:g} s; "
                             "try again") from None
        # A reader in the log group cannot create -shm when the kiosk is not running; with no
        # -wal there is nothing uncheckpointed, so an immutable read sees everything.
        if Path(str(path) + "-wal").exists():
            raise StoreError(f"cannot read the log at {path} (no permission to share it with "
                             "the running kiosk; check storage.log_group)") from None
        try:
            conn = sqlite3.connect(_ro_uri(path, immutable=True), uri=True,
                                   isolation_level=None, check_same_thread=False)
            version = schema_version(conn)
        except sqlite3.Error as exc:
            raise _read_error(path, exc) from None
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise _read_error(path, exc) from None
    conn.execute("PRAGMA query_only = 1")
    if version == 0:
        conn.close()
        raise StoreError(f"no sessions logged yet at {path}")
    if version > SCHEMA_VERSION:
        conn.close()
        raise StoreError(f"the log at {path} was written by a newer osteo-kiosk (schema "
                         f"{version}, this one knows up to {SCHEMA_VERSION}); update osteo-kiosk")
    if version < SCHEMA_VERSION:
        conn.close()
        raise StoreError(f"the log at {path} is from an older osteo-kiosk (schema {version}); "
                         "start the kiosk once to upgrade it")
    return LogReader(conn, path)


# --- writing ---------------------------------------------------------------------------------

def _json(data: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(data or {}), sort_keys=True, ensure_ascii=False, default=str)


def _check_choice(what: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")


class Store(LogReader):
    """The kiosk's log: every ``add_*`` is committed (and fsynced) before it returns.

    ``notices`` holds, once, any problem found and repaired when the file was opened, for the
    kiosk to show the person or helper a single time.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *,
                 now: Callable[[], datetime] = _utcnow, mode: int = 0o600,
                 gid: int | None = None, keep_backups: int = KEEP_BACKUPS):
        super().__init__(conn, path)
        self._now = now
        self._mode = mode
        self._gid = gid
        self.keep_backups = keep_backups
        self.notices: list[str] = []

    # opening ----------------------------------------------------------------------------

    @classmethod
    def memory(cls, *, now: Callable[[], datetime] = _utcnow) -> Store:
        """A migrated in-memory store, for tests and the demo."""
        conn = _writer_connection(":memory:")
        migrate(conn, now=now)
        return cls(conn, None, now=now)

    @classmethod
    def open(cls, path: Path, *, log_group: str = "", now: Callable[[], datetime] = _utcnow,
             keep_backups: int = KEEP_BACKUPS, backup: bool = True) -> Store:
        """Open (creating, checking, repairing and migrating) the log at ``path``.

        A damaged file is moved aside with a timestamp, what can be read is copied into a fresh
        one, and the problem lands in ``notices`` and the ``incidents`` table, so the kiosk
        shows it once and starts normally: never a crash loop.
        """
        if str(path) == ":memory:":
            return cls.memory(now=now)
        path = Path(path)
        mode, gid = _file_mode(log_group)
        _prepare_dir(path.parent, gid)
        aside: Path | None = None
        problem = None
        if path.exists() and not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"no permission to write the log at {path} (run this as the "
                             "kiosk's user, e.g. `sudo -u osteo-kiosk osteo-kiosk ...`)")
        if path.exists():
            problem = check_file(path)
            if problem:
                log.error("the log at %s is damaged: %s", path, problem)
                try:
                    aside = _move_aside(path, now().strftime("%Y%m%dT%H%M%SZ"))
                except OSError as exc:
                    raise StoreError(f"the log at {path} is damaged and cannot be moved aside "
                                     f"({exc.strerror}); move it away by hand") from None
        if not path.exists():
            try:
                _create_private(path, mode, gid)
            except OSError as exc:
                raise StoreError(f"cannot create the log at {path} ({exc.strerror})") from None
        try:
            conn = _writer_connection(path)
            migrate(conn, now=now)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the log at {path} ({exc})") from None
        store = cls(conn, path, now=now, mode=mode, gid=gid, keep_backups=keep_backups)
        store._secure_files()
        if aside is not None:
            got = salvage(aside, conn, backup_files(path))
            detail = (f"the log failed its check at start ({problem}); the damaged file was "
                      f"kept as {aside.name} and {got.copied} records were copied into a fresh "
                      "log")
            if got.dropped:
                detail += f" ({got.dropped} records could not be placed and were left in it)"
            if got.backup is not None:
                detail += (f"; {got.restored} records it had lost were restored from the "
                           f"backup {BACKUP_DIR}/{got.backup.name}")
            elif got.damaged_tables:
                detail += ("; some records could not be read and no readable backup was found "
                           "to restore them from")
            store._record_incident("repaired", detail)
            store.notices.append(detail)
            log.error("%s", detail)
        store.close_stale_sessions()
        if backup:
            store.backup_if_due()
        return store

    def _secure_files(self) -> None:
        if self.path is None:
            return
        for suffix in ("", "-wal", "-shm"):
            _secure(Path(str(self.path) + suffix), self._mode, self._gid)

    @contextlib.contextmanager
    def _writing(self, what: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.IntegrityError as exc:
                raise ValueError(f"cannot record {what}: {exc}") from None
            except sqlite3.Error as exc:
                raise StoreError(f"cannot record {what} in the log at "
                                 f"{self.path or ':memory:'} ({exc})") from None

    def _insert(self, what: str, sql: str, params: Sequence[Any]) -> int:
        with self._writing(what) as conn:
            return int(conn.execute(sql, params).lastrowid)

    def _record_incident(self, kind: str, detail: str) -> None:
        self._insert("an incident", "INSERT INTO incidents (created_utc, kind, detail) "
                     "VALUES (?, ?, ?)", (utc_text(self._now()), kind, detail))

    def close_stale_sessions(self) -> int:
        """Mark sessions left ``running`` by a process that is gone (a power cut, a kill) as
        ``interrupted``, ending them at their last recorded activity. Returns how many."""
        stale = [(sid, last) for sid, owner, last in self._rows(
            f"SELECT s.id, s.owner, {_LAST_ACTIVITY} FROM sessions s WHERE s.status = 'running'")
            if not _owner_alive(owner)]
        if not stale:
            return 0
        with self._writing("interrupted sessions") as conn, _transaction(conn):
            for sid, last in stale:
                conn.execute("UPDATE sessions SET status = 'interrupted', ended_utc = ? "
                             "WHERE id = ?", (last, sid))
        return len(stale)

    # recording --------------------------------------------------------------------------

    def begin_session(self, *, slot: str, started_utc: datetime, plan_date: date) -> int:
        """Start a session (status ``running`` until finished); returns its id."""
        _check_choice("slot", slot, SLOTS)
        return self._insert("a session", "INSERT INTO sessions (slot, plan_date, started_utc, "
                            "owner) VALUES (?, ?, ?, ?)",
                            (slot, plan_date.isoformat(), utc_text(started_utc), _OWNER))

    def begin_step(self, session_id: int, *, exercise_id: str, kind: str, block: str,
                   target: dict) -> int:
        """Start a step of a session with what it aims for; returns its id."""
        _check_choice("kind", kind, KINDS)
        _check_choice("block", block, BLOCKS)
        return self._insert("a step", "INSERT INTO steps (session_id, exercise_id, kind, block, "
                            "target, started_utc) VALUES (?, ?, ?, ?, ?, ?)",
                            (session_id, exercise_id, kind, block, _json(target),
                             utc_text(self._now())))

    def add_landing(self, step_id: int, *, foot: str, t_s: float, peak_bw: float,
                    stomp: bool, saturated: bool = False) -> None:
        """One landing of a stomp set (peak force in body weights), durable on return.

        ``saturated``: the sensor hit its ceiling, so ``peak_bw`` is a lower bound."""
        _check_choice("foot", foot, FEET)
        self._insert("a landing", "INSERT INTO landings (step_id, foot, t_s, peak_bw, stomp, "
                     "saturated, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (step_id, foot, float(t_s), float(peak_bw), int(bool(stomp)),
                      int(bool(saturated)), utc_text(self._now())))

    def add_hold(self, step_id: int, *, side: str, held_s: float, target_s: float) -> None:
        """A completed stretch or extensor hold, durable on return."""
        self._insert("a hold", "INSERT INTO holds (step_id, side, held_s, target_s, "
                     "created_utc) VALUES (?, ?, ?, ?, ?)",
                     (step_id, side, float(held_s), float(target_s), utc_text(self._now())))

    def add_set(self, step_id: int, *, set_no: int, reps: int, load_kg: float | None) -> None:
        """A completed strength set with the load used (None: body weight), durable on return."""
        self._insert("a set", "INSERT INTO strength_sets (step_id, set_no, reps, load_kg, "
                     "created_utc) VALUES (?, ?, ?, ?, ?)",
                     (step_id, int(set_no), int(reps),
                      None if load_kg is None else float(load_kg), utc_text(self._now())))

    def add_interval(self, step_id: int, *, seconds: float, steps: int, cadence_spm: float,
                     target_spm: float) -> None:
        """A completed cardio interval with its measured cadence, durable on return."""
        self._insert("an interval", "INSERT INTO intervals (step_id, seconds, steps, "
                     "cadence_spm, target_spm, created_utc) VALUES (?, ?, ?, ?, ?, ?)",
                     (step_id, float(seconds), int(steps), float(cadence_spm),
                      float(target_spm), utc_text(self._now())))

    def add_pain(self, step_id: int, *, hurt: bool) -> None:
        """The person's answer to "did that hurt?" after a step, durable on return."""
        self._insert("a pain answer", "INSERT INTO pain (step_id, hurt, created_utc) "
                     "VALUES (?, ?, ?)", (step_id, int(bool(hurt)), utc_text(self._now())))

    def finish_step(self, step_id: int, *, status: str, achieved: dict) -> None:
        """Close a step as done, skipped or stopped, with what was achieved."""
        _check_choice("step status", status, STEP_END)
        with self._writing("the end of a step") as conn:
            cur = conn.execute("UPDATE steps SET status = ?, achieved = ?, ended_utc = ? "
                               "WHERE id = ?", (status, _json(achieved), utc_text(self._now()),
                                                step_id))
        if cur.rowcount != 1:
            raise ValueError(f"there is no step {step_id} in the log")

    def finish_session(self, session_id: int, *, status: str, ended_utc: datetime) -> None:
        """Close a session as done or stopped (one left open reads as interrupted)."""
        _check_choice("session status", status, SESSION_END)
        with self._writing("the end of a session") as conn:
            cur = conn.execute("UPDATE sessions SET status = ?, ended_utc = ? WHERE id = ?",
                               (status, utc_text(ended_utc), session_id))
        if cur.rowcount != 1:
            raise ValueError(f"there is no session {session_id} in the log")

    def add_calibration(self, *, created_utc: datetime, data: dict) -> None:
        """A mat calibration (baseline, body-weight load per channel ...), kept as history."""
        self._insert("a calibration", "INSERT INTO calibrations (created_utc, data) "
                     "VALUES (?, ?)", (utc_text(created_utc), _json(data)))

    def add_onerm(self, *, exercise_id: str, weight_kg: float, reps: int, estimate_kg: float,
                  target_kg: float, created_utc: datetime) -> None:
        """A one-rep-max test set, its estimate and the training target derived from it."""
        self._insert("a one-rep max", "INSERT INTO onerm (exercise_id, weight_kg, reps, "
                     "estimate_kg, target_kg, created_utc) VALUES (?, ?, ?, ?, ?, ?)",
                     (exercise_id, float(weight_kg), int(reps), float(estimate_kg),
                      float(target_kg), utc_text(created_utc)))

    def bulk_insert(self, table: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]]) -> None:
        """Many rows in one transaction (test and benchmark data; not the recording path)."""
        if table not in TABLES:
            raise ValueError(f"no table {table!r}")
        known = set(_columns(self._conn, table))
        if not set(columns) <= known:
            raise ValueError(f"{table} has no column(s) {sorted(set(columns) - known)}")
        sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
               f"VALUES ({', '.join('?' for _ in columns)})")
        with self._writing(table) as conn, _transaction(conn):
            conn.executemany(sql, rows)

    # backups ----------------------------------------------------------------------------

    def backup_if_due(self) -> Path | None:
        """Keep one backup per UTC day in ``backups/`` beside the log, the newest
        ``keep_backups``; returns the new file, or None when today's exists or it failed.
        Failures are logged, never raised: a full SD card must not stop the exercise."""
        if self.path is None:
            return None
        folder = self.path.parent / BACKUP_DIR
        dest = folder / f"{self.path.stem}-{self._now().date().isoformat()}.sqlite"
        if dest.exists():
            return None
        try:
            folder.mkdir(exist_ok=True, mode=0o700)
            _secure(folder, 0o750 if self._gid is not None else 0o700, self._gid)
            src = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S)
            try:
                backup_to(src, dest, self._mode, self._gid)
            finally:
                src.close()
        except (OSError, sqlite3.Error) as exc:
            log.warning("backup of %s to %s failed: %s", self.path, dest, exc)
            return None
        old = backup_files(self.path)
        for stale in old[:-self.keep_backups] if self.keep_backups > 0 else old:
            stale.unlink(missing_ok=True)
        return dest


def store_path(config: Config) -> Path:
    """Where the log lives: ``log.sqlite`` in the configured data directory."""
    return Path(config.data_dir) / LOG_NAME


def save_onerm(config: Config, exercise_id: str, weight_kg: float, reps: int, estimate_kg: float,
               target_kg: float) -> None:
    """Record a one-rep-max test from the ``onerm`` command (safe while the kiosk runs)."""
    store = Store.open(store_path(config), log_group=config.storage.log_group, backup=False)
    try:
        store.add_onerm(exercise_id=exercise_id, weight_kg=weight_kg, reps=reps,
                        estimate_kg=estimate_kg, target_kg=target_kg, created_utc=_utcnow())
    finally:
        store.close()


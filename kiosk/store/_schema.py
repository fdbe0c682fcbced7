"""The log's schema: its tables, the ordered migrations that build them, and the time format.

Migrations are named, numbered and applied in order, each in one transaction, and recorded in
``schema_migrations``; add one by appending, never edit a shipped one. Times are UTC text.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.store._errors import StoreError

SLOTS = ("morning", "evening", "demo", "extra")
STEP_END = ("done", "skipped", "stopped", "interrupted")  # interrupted: start-up, or a mat
# fault that lasted ``coach.stop_after_pause_s`` (the session is carried on later)
SESSION_END = ("done", "stopped", "interrupted")  # interrupted: set aside, carried on later
FEET = ("left", "right")
#: Whose rows the log held before people were kept apart, and whose a config without [people]
#: writes (``kiosk.sections.SOLO``, the same word: a test holds them equal).
SOLO = "me"
#: Every table, parents before children (the order salvage copies them in).
TABLES = ("sessions", "steps", "landings", "holds", "strength_sets", "intervals", "pain",
          "calibrations", "onerm", "incidents", "balance_holds", "steadiness", "chair_reps",
          "chair_tests", "progress_runs", "decisions")
#: The tables whose rows hang off a step (each has ``step_id`` and ``created_utc``).
MEASUREMENTS = ("landings", "holds", "strength_sets", "intervals", "pain", "balance_holds",
                "chair_reps", "chair_tests")


@dataclass(frozen=True, slots=True)
class Migration:
    """One named, numbered schema change; its statements run in one transaction."""

    version: int
    name: str
    statements: tuple[str, ...]
    #: Rebuilds a table (SQLite cannot change a CHECK in place): foreign keys are switched off
    #: around it and checked before the commit, as SQLite's "ALTER TABLE" page prescribes.
    rebuilds: bool = False


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
    Migration(5, "landing_t_s_into_step", (
        # 0.1.0 stored the mat's raw monotonic time as t_s; it means seconds into the step (as
        # docs/store.md says). Old rows get the best figure the log holds: wall time from the
        # step's start to the landing's row, never below 0.
        "UPDATE landings SET t_s = MAX(0.0, ROUND((julianday(created_utc) - julianday("
        "(SELECT st.started_utc FROM steps st WHERE st.id = landings.step_id))) * 86400.0, 3))",
    )),
    Migration(6, "step_interrupted", (
        # a step left running by a power cut or crash is closed as interrupted at start-up
        """CREATE TABLE steps_new (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            exercise_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            block TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '{}',
            achieved TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'skipped', 'stopped', 'interrupted')),
            started_utc TEXT NOT NULL,
            ended_utc TEXT)""",
        "INSERT INTO steps_new SELECT id, session_id, exercise_id, kind, block, target, "
        "achieved, status, started_utc, ended_utc FROM steps",
        "DROP TABLE steps",
        "ALTER TABLE steps_new RENAME TO steps",
        "CREATE INDEX steps_by_session ON steps(session_id, status, block)",
    ), rebuilds=True),
    Migration(7, "mat_sees", (
        # one-leg stances (best and total per side), quiet-standing share and wobble (at the
        # weigh-in a steadiness row has no step), chair stands' tempo, the 30 s chair test
        """CREATE TABLE balance_holds (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            side TEXT NOT NULL CHECK (side IN ('left', 'right')),
            best_s REAL NOT NULL,
            total_s REAL NOT NULL,
            attempts INTEGER NOT NULL,
            ceiling_s REAL NOT NULL,
            timed_by TEXT NOT NULL CHECK (timed_by IN ('mat', 'timer')),
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE steadiness (
            id INTEGER PRIMARY KEY,
            step_id INTEGER REFERENCES steps(id),
            moment TEXT NOT NULL CHECK (moment IN ('weigh_in', 'balance')),
            share_left_pct REAL NOT NULL,
            wobble_pp REAL NOT NULL,
            seconds REAL NOT NULL,
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE chair_reps (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            set_no INTEGER NOT NULL,
            rep INTEGER NOT NULL,
            up_s REAL NOT NULL,
            down_s REAL NOT NULL,
            rep_s REAL NOT NULL,
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE chair_tests (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            stands INTEGER NOT NULL,
            seconds REAL NOT NULL,
            counted_by TEXT NOT NULL,
            created_utc TEXT NOT NULL)""",
        "CREATE INDEX balance_holds_by_step ON balance_holds(step_id)",
        "CREATE INDEX steadiness_by_time ON steadiness(created_utc)",
        "CREATE INDEX chair_reps_by_step ON chair_reps(step_id)",
        "CREATE INDEX chair_tests_by_step ON chair_tests(step_id)",
    )),
    Migration(8, "progression", (
        # one progression run a day (the state the plan uses from that day, as JSON), the
        # decisions it took with their reasons, and "leave it for today" after "it hurt"
        """CREATE TABLE progress_runs (
            id INTEGER PRIMARY KEY,
            plan_date TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            created_utc TEXT NOT NULL)""",
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES progress_runs(id),
            plan_date TEXT NOT NULL,
            rule TEXT NOT NULL,
            subject TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            unit TEXT NOT NULL,
            reason TEXT NOT NULL,
            line TEXT NOT NULL,
            created_utc TEXT NOT NULL)""",
        "CREATE INDEX decisions_by_date ON decisions(plan_date)",
        "ALTER TABLE pain ADD COLUMN rest_today INTEGER NOT NULL DEFAULT 0 "
        "CHECK (rest_today IN (0, 1))",
    )),
    Migration(9, "people", (
        # up to four people share a kiosk: each record that is someone's names them (a step
        # and its measurements through their session); every row before is the one person a
        # config without [people] has, 'me' (sections.SOLO). Progression runs are one a day
        # per person, so that table is rebuilt for its new UNIQUE (person, plan_date).
        "ALTER TABLE sessions ADD COLUMN person TEXT NOT NULL DEFAULT 'me'",
        "ALTER TABLE calibrations ADD COLUMN person TEXT NOT NULL DEFAULT 'me'",
        "ALTER TABLE onerm ADD COLUMN person TEXT NOT NULL DEFAULT 'me'",
        "ALTER TABLE steadiness ADD COLUMN person TEXT NOT NULL DEFAULT 'me'",
        "ALTER TABLE decisions ADD COLUMN person TEXT NOT NULL DEFAULT 'me'",
        """CREATE TABLE progress_runs_new (
            id INTEGER PRIMARY KEY,
            person TEXT NOT NULL DEFAULT 'me',
            plan_date TEXT NOT NULL,
            state TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            UNIQUE (person, plan_date))""",
        "INSERT INTO progress_runs_new (id, plan_date, state, created_utc) "
        "SELECT id, plan_date, state, created_utc FROM progress_runs",
        "DROP TABLE progress_runs",
        "ALTER TABLE progress_runs_new RENAME TO progress_runs",
        "CREATE INDEX sessions_by_person ON sessions(person, plan_date)",
        "CREATE INDEX onerm_by_person ON onerm(person, exercise_id)",
        "CREATE INDEX calibrations_by_person ON calibrations(person)",
    ), rebuilds=True),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


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


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration, 0 for a new file."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'schema_migrations'").fetchone()
    if not exists:
        return 0
    version: int = conn.execute(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
    return version


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
        keys_on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        if migration.rebuilds:
            conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
        try:
            with _transaction(conn):
                for statement in migration.statements:
                    conn.execute(statement)
                if migration.rebuilds and conn.execute("PRAGMA foreign_key_check").fetchone():
                    raise StoreError(f"migration {migration.name} would break a reference")
                conn.execute("INSERT INTO schema_migrations (version, name, applied_utc) "
                             "VALUES (?, ?, ?)",
                             (migration.version, migration.name, utc_text(now())))
        finally:
            if migration.rebuilds and keys_on:
                conn.execute("PRAGMA foreign_keys = ON")
        applied.append(migration.name)
    return applied


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]

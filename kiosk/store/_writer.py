"""Writing the log: ``Store`` opens (checks, repairs, migrates) the file and records each typed
record (``kiosk.store.records``) with one INSERT, committed and fsynced before it returns.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.program.model import BLOCKS, CHECK_BLOCKS, CHECK_KINDS, KINDS
from kiosk.store._errors import StoreError
from kiosk.store._files import (
    _OWNER,
    BUSY_TIMEOUT_S,
    _create_private,
    _file_mode,
    _owner_alive,
    _prepare_dir,
    _secure,
    _writer_connection,
)
from kiosk.store._reader import _LAST_ACTIVITY, LogReader
from kiosk.store._repair import (
    BACKUP_DIR,
    KEEP_BACKUPS,
    _move_aside,
    backup_files,
    backup_to,
    check_file,
    salvage,
)
from kiosk.store._schema import (
    FEET,
    MEASUREMENTS,
    SESSION_END,
    SLOTS,
    SOLO,
    STEP_END,
    TABLES,
    _columns,
    _transaction,
    _utcnow,
    migrate,
    utc_text,
)
from kiosk.store._wal import check_wal
from kiosk.store.records import (
    BalanceHeld,
    CalibrationMade,
    ChairRep,
    ChairTested,
    Held,
    IntervalDone,
    Landed,
    OneRepMaxTested,
    PainAnswered,
    ProgressRun,
    SessionFinished,
    SetDone,
    SteadinessMeasured,
    StepFinished,
    StepStarted,
)

if TYPE_CHECKING:
    from kiosk.config import Config

log = logging.getLogger("kiosk.store")

LOG_NAME = "log.sqlite"
#: A step's last recorded activity: its newest measurement, else its start.
_STEP_LAST = "MAX(steps.started_utc" + "".join(
    f", COALESCE((SELECT MAX(m.created_utc) FROM {t} m WHERE m.step_id = steps.id), '')"
    for t in MEASUREMENTS) + ")"


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
                 gid: int | None = None, keep_backups: int = KEEP_BACKUPS,
                 person: str = SOLO):
        super().__init__(conn, path, person)
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
        wal_note = _check_wal(path, now())
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
            if got.rebuilt:
                detail += " (its header was gone, so its pages were read with a new one)"
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
        if wal_note:
            store._record_incident("wal", wal_note)
            store.notices.append(wal_note)
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
            row_id = conn.execute(sql, params).lastrowid
            assert row_id is not None  # execute() sets it after every INSERT
            return int(row_id)

    def _record_incident(self, kind: str, detail: str) -> None:
        self._insert("an incident", "INSERT INTO incidents (created_utc, kind, detail) "
                     "VALUES (?, ?, ?)", (utc_text(self._now()), kind, detail))

    def close_stale_sessions(self) -> int:
        """Mark sessions left ``running`` by a process that is gone (a power cut, a kill) as
        ``interrupted``, ending them at their last recorded activity, and so the steps left
        running in them (each at its own last record). Returns how many sessions."""
        stale = [(sid, last) for sid, owner, last in self._rows(
            f"SELECT s.id, s.owner, {_LAST_ACTIVITY} FROM sessions s WHERE s.status = 'running'")
            if not _owner_alive(owner)]
        with self._writing("interrupted sessions") as conn, _transaction(conn):
            for sid, last in stale:
                conn.execute("UPDATE sessions SET status = 'interrupted', ended_utc = ? "
                             "WHERE id = ?", (last, sid))
            conn.execute(f"UPDATE steps SET status = 'interrupted', ended_utc = {_STEP_LAST} "
                         "WHERE status = 'running' AND session_id IN "
                         "(SELECT id FROM sessions WHERE status <> 'running')")
        return len(stale)

    # recording --------------------------------------------------------------------------

    def begin_session(self, *, slot: str, started_utc: datetime, plan_date: date) -> int:
        """Start a session (status ``running`` until finished); returns its id."""
        _check_choice("slot", slot, SLOTS)
        day, note = self._sane_day(started_utc, plan_date)
        sid = self._insert("a session", "INSERT INTO sessions (slot, plan_date, started_utc, "
                           "owner, person) VALUES (?, ?, ?, ?, ?)",
                           (slot, day.isoformat(), utc_text(started_utc), _OWNER,
                            self._writer_person()))
        if note:
            log.warning("session %d: %s", sid, note)
            self._record_incident("clock", f"session {sid}: {note}")
        return sid

    def _writer_person(self) -> str:
        """Whose records this Store writes: always someone (``for_person(None)`` only reads)."""
        if self.person is None:
            raise ValueError("a record needs its person: write through store.for_person(key)")
        return self.person

    def _sane_day(self, started_utc: datetime, plan_date: date) -> tuple[date, str]:
        """The day to file a session under. A Pi has no real-time clock: before NTP its wall
        clock may read days behind. A session whose day is before the newest session's is
        filed under that session's day with a note, never days away from its neighbours."""
        rows = self._rows("SELECT plan_date, started_utc FROM sessions ORDER BY id DESC LIMIT 1")
        if not rows:
            return plan_date, ""
        last_day, last_start = date.fromisoformat(rows[0][0]), rows[0][1]
        if plan_date >= last_day:
            return plan_date, ""
        return last_day, (f"the clock read {utc_text(started_utc)}, before the previous "
                          f"session ({last_start}); filed under {last_day.isoformat()}, the "
                          f"previous session's day, not {plan_date.isoformat()}")

    def begin_step(self, session_id: int, rec: StepStarted, *, at: datetime | None = None) -> int:
        """Start a step of a session with what it aims for; returns its id."""
        _check_choice("kind", rec.kind, KINDS + CHECK_KINDS)
        _check_choice("block", rec.block, BLOCKS + CHECK_BLOCKS)
        return self._insert("a step", "INSERT INTO steps (session_id, exercise_id, kind, block, "
                            "target, started_utc) VALUES (?, ?, ?, ?, ?, ?)",
                            (session_id, rec.exercise_id, rec.kind, rec.block, _json(rec.target),
                             utc_text(at or self._now())))

    def add_landing(self, step_id: int, rec: Landed, *, at: datetime | None = None) -> None:
        """One landing of a stomp set (peak force in body weights), durable on return.

        ``saturated``: the sensor hit its ceiling, so ``peak_bw`` is a lower bound."""
        _check_choice("foot", rec.foot, FEET)
        self._insert("a landing", "INSERT INTO landings (step_id, foot, t_s, peak_bw, stomp, "
                     "saturated, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (step_id, rec.foot, float(rec.t_s), float(rec.peak_bw),
                      int(bool(rec.stomp)), int(bool(rec.saturated)), utc_text(at or self._now())))

    def add_hold(self, step_id: int, rec: Held, *, at: datetime | None = None) -> None:
        """A completed stretch or extensor hold, durable on return."""
        self._insert("a hold", "INSERT INTO holds (step_id, side, held_s, target_s, "
                     "created_utc) VALUES (?, ?, ?, ?, ?)",
                     (step_id, rec.side, float(rec.held_s), float(rec.target_s),
                      utc_text(at or self._now())))

    def add_set(self, step_id: int, rec: SetDone, *, at: datetime | None = None) -> None:
        """A completed strength set with the load used (None: body weight), durable on return."""
        self._insert("a set", "INSERT INTO strength_sets (step_id, set_no, reps, load_kg, "
                     "created_utc) VALUES (?, ?, ?, ?, ?)",
                     (step_id, int(rec.set_no), int(rec.reps),
                      None if rec.load_kg is None else float(rec.load_kg),
                      utc_text(at or self._now())))

    def add_interval(self, step_id: int, rec: IntervalDone, *, at: datetime | None = None) -> None:
        """A completed cardio interval with its measured cadence, durable on return."""
        self._insert("an interval", "INSERT INTO intervals (step_id, seconds, steps, "
                     "cadence_spm, target_spm, created_utc) VALUES (?, ?, ?, ?, ?, ?)",
                     (step_id, float(rec.seconds), int(rec.steps), float(rec.cadence_spm),
                      float(rec.target_spm), utc_text(at or self._now())))

    def add_pain(self, step_id: int, rec: PainAnswered, *, at: datetime | None = None) -> None:
        """The person's answer to "did that hurt?" after a step, durable on return."""
        self._insert("a pain answer", "INSERT INTO pain (step_id, hurt, created_utc) "
                     "VALUES (?, ?, ?)",
                     (step_id, int(bool(rec.hurt)), utc_text(at or self._now())))

    def rest_for_today(self, step_id: int) -> None:
        """The person left the step's exercise out for the rest of the day after "it hurt":
        marks the step's "it hurt" answer."""
        with self._writing("leaving an exercise out today") as conn:
            cur = conn.execute("UPDATE pain SET rest_today = 1 WHERE id = (SELECT MAX(id) FROM "
                               "pain WHERE step_id = ? AND hurt = 1)", (step_id,))
        if cur.rowcount != 1:
            raise ValueError(f"step {step_id} has no \"it hurt\" answer to mark")

    def finish_step(self, step_id: int, rec: StepFinished, *, at: datetime | None = None) -> None:
        """Close a step as done, skipped, stopped or interrupted, with what was achieved."""
        _check_choice("step status", rec.status, STEP_END)
        with self._writing("the end of a step") as conn:
            cur = conn.execute("UPDATE steps SET status = ?, achieved = ?, ended_utc = ? "
                               "WHERE id = ?", (rec.status, _json(rec.achieved),
                                                utc_text(at or self._now()), step_id))
        if cur.rowcount != 1:
            raise ValueError(f"there is no step {step_id} in the log")

    def finish_session(self, session_id: int, rec: SessionFinished, *,
                       ended_utc: datetime) -> None:
        """Close a session as done, stopped or interrupted (set aside by a mat fault, to be
        carried on); one left open reads as interrupted."""
        _check_choice("session status", rec.status, SESSION_END)
        with self._writing("the end of a session") as conn:
            cur = conn.execute("UPDATE sessions SET status = ?, ended_utc = ? WHERE id = ?",
                               (rec.status, utc_text(ended_utc), session_id))
        if cur.rowcount != 1:
            raise ValueError(f"there is no session {session_id} in the log")

    def reopen_session(self, session_id: int) -> None:
        """Carry on an interrupted session after a crash or power cut: it runs again, owned by
        this process, so its steps so far and the rest are one session (a day counted once)."""
        with self._writing("a session carried on") as conn:
            cur = conn.execute("UPDATE sessions SET status = 'running', ended_utc = NULL, "
                               "owner = ? WHERE id = ? AND status IN ('interrupted', 'running')",
                               (_OWNER, session_id))
        if cur.rowcount != 1:
            raise ValueError(f"there is no unfinished session {session_id} in the log")

    def reopen_step(self, step_id: int) -> None:
        """Carry on an interrupted step: its logged rows stay, the rest of it joins them."""
        with self._writing("a step carried on") as conn:
            cur = conn.execute("UPDATE steps SET status = 'running', ended_utc = NULL "
                               "WHERE id = ? AND status = 'interrupted'", (step_id,))
        if cur.rowcount != 1:
            raise ValueError(f"there is no interrupted step {step_id} in the log")

    def add_calibration(self, rec: CalibrationMade, *, created_utc: datetime) -> None:
        """A mat calibration (baseline, body-weight load per channel ...), kept as history."""
        self._insert("a calibration", "INSERT INTO calibrations (created_utc, data, person) "
                     "VALUES (?, ?, ?)", (utc_text(created_utc), _json(rec.data),
                                          self._writer_person()))

    def add_onerm(self, rec: OneRepMaxTested, *, created_utc: datetime) -> None:
        """A one-rep-max test set, its estimate and the training target derived from it."""
        self._insert("a one-rep max", "INSERT INTO onerm (exercise_id, weight_kg, reps, "
                     "estimate_kg, target_kg, created_utc, person) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (rec.exercise_id, float(rec.weight_kg), int(rec.reps),
                      float(rec.estimate_kg), float(rec.target_kg), utc_text(created_utc),
                      self._writer_person()))

    def add_progress_run(self, rec: ProgressRun, *, created_utc: datetime) -> bool:
        """A day's progression run and its decisions, in one transaction; False (nothing
        written) when that day already has one, so running twice changes nothing."""
        at = utc_text(created_utc)
        with self._writing("a progression run") as conn, _transaction(conn):
            who = self._writer_person()
            cur = conn.execute("INSERT OR IGNORE INTO progress_runs (person, plan_date, state, "
                               "created_utc) VALUES (?, ?, ?, ?)",
                               (who, rec.plan_date.isoformat(), _json(rec.state), at))
            if cur.rowcount != 1:
                return False
            conn.executemany(
                "INSERT INTO decisions (run_id, plan_date, rule, subject, before, after, unit, "
                "reason, line, created_utc, person) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(cur.lastrowid, rec.plan_date.isoformat(), d.rule, d.subject, d.before,
                  d.after, d.unit, d.reason, d.line, at, who) for d in rec.decisions])
        return True

    def add_balance(self, step_id: int, rec: BalanceHeld, *, at: datetime | None = None) -> None:
        """One side of a one-leg stance exercise (best and total seconds), durable on return."""
        _check_choice("side", rec.side, FEET)
        _check_choice("timed_by", rec.timed_by, ("mat", "timer"))
        self._insert("a balance hold", "INSERT INTO balance_holds (step_id, side, best_s, "
                     "total_s, attempts, ceiling_s, timed_by, created_utc) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (step_id, rec.side, float(rec.best_s), float(rec.total_s),
                      int(rec.attempts), float(rec.ceiling_s), rec.timed_by,
                      utc_text(at or self._now())))

    def add_steadiness(self, step_id: int | None, rec: SteadinessMeasured, *,
                       at: datetime | None = None) -> None:
        """Quiet-standing share and wobble; at the weigh-in there is no step (``None``)."""
        _check_choice("moment", rec.moment, ("weigh_in", "balance"))
        self._insert("a steadiness reading", "INSERT INTO steadiness (step_id, moment, "
                     "share_left_pct, wobble_pp, seconds, created_utc, person) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (step_id, rec.moment, float(rec.share_left_pct), float(rec.wobble_pp),
                      float(rec.seconds), utc_text(at or self._now()), self._writer_person()))

    def add_chair_rep(self, step_id: int, rec: ChairRep, *, at: datetime | None = None) -> None:
        """One sit-to-stand counted by the mat, with its tempo, durable on return."""
        self._insert("a chair stand", "INSERT INTO chair_reps (step_id, set_no, rep, up_s, "
                     "down_s, rep_s, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (step_id, int(rec.set_no), int(rec.rep), float(rec.up_s),
                      float(rec.down_s), float(rec.rep_s), utc_text(at or self._now())))

    def add_chair_test(self, step_id: int, rec: ChairTested, *, at: datetime | None = None) -> None:
        """A 30-second chair stand test's count, durable on return."""
        self._insert("a chair test", "INSERT INTO chair_tests (step_id, stands, seconds, "
                     "counted_by, created_utc) VALUES (?, ?, ?, ?, ?)",
                     (step_id, int(rec.stands), float(rec.seconds), rec.counted_by,
                      utc_text(at or self._now())))

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


def _check_wal(path: Path, now: datetime) -> str:
    """Damage in the write-ahead file, said before SQLite replays it (and drops what follows
    the damage without a word); the file is copied aside for a closer look."""
    wal = Path(str(path) + "-wal")
    found = check_wal(wal)
    if not found.damaged:
        return ""
    kept = wal.with_name(f"{wal.name}.damaged-{now.strftime('%Y%m%dT%H%M%SZ')}")
    try:
        shutil.copy2(wal, kept)
        where = f"; a copy was kept as {kept.name}"
    except OSError as exc:
        where = f"; no copy could be kept ({exc.strerror})"
    note = f"the log's write-ahead file was damaged: {found.describe()}{where}"
    log.error("%s: %s", path, note)
    return note


def store_path(config: Config) -> Path:
    """Where the log lives: ``log.sqlite`` in the configured data directory."""
    return Path(config.data_dir) / LOG_NAME


def save_onerm(config: Config, exercise_id: str, weight_kg: float, reps: int, estimate_kg: float,
               target_kg: float, person: str = SOLO) -> None:
    """Record a person's one-rep-max test from the ``onerm`` command (safe while the kiosk
    runs)."""
    store = Store.open(store_path(config), log_group=config.storage.log_group, backup=False)
    try:
        store.for_person(person).add_onerm(
            OneRepMaxTested(exercise_id, weight_kg, reps, estimate_kg, target_kg),
            created_utc=_utcnow())
    finally:
        store.close()

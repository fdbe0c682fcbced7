"""Reading the log: the queries behind ``log``, ``report`` and ``export``, shared by the kiosk's
Store and the read-only reader the SSH commands open while the kiosk writes.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Self

from kiosk.store._errors import StoreError, _errcode, _read_error
from kiosk.store._files import BUSY_TIMEOUT_S, _ro_uri, display_status
from kiosk.store._schema import MEASUREMENTS, SCHEMA_VERSION, parse_utc, schema_version, utc_text
from kiosk.store.facts import (
    Interval,
    LoggedHold,
    LoggedHurt,
    LoggedMinutes,
    LoggedSet,
    LoggedStance,
    LoggedStomps,
    LoggedTest,
    ProgressFacts,
    Progression,
    StepFact,
)

_LAST_ACTIVITY = " ".join(
    ["MAX(s.started_utc, COALESCE((SELECT MAX(COALESCE(st.ended_utc, st.started_utc)) "
     "FROM steps st WHERE st.session_id = s.id), '')"]
    + [f", COALESCE((SELECT MAX(m.created_utc) FROM {t} m JOIN steps st ON st.id = m.step_id "
       f"WHERE st.session_id = s.id), '')" for t in MEASUREMENTS]) + ")"


def _count(table: str, where: str = "") -> str:
    return (f"(SELECT COUNT(*) FROM {table} m JOIN steps st ON st.id = m.step_id "
            f"WHERE st.session_id = s.id{where})")


_SESSIONS_SQL = f"""
SELECT s.id, s.slot, s.plan_date, s.started_utc, s.ended_utc, s.status, s.owner, s.person,
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
WHERE s.plan_date >= ? AND (? OR s.slot <> 'demo') AND s.person GLOB ?
ORDER BY s.plan_date DESC, s.id DESC
LIMIT ?"""

_STEPS_OF_SQL = """
SELECT st.id, st.session_id, st.exercise_id, st.kind, st.block, st.status, st.target,
       st.achieved, st.started_utc, st.ended_utc
FROM steps st WHERE st.session_id = ? ORDER BY st.id"""

_DAY_COUNTS_SQL = """
SELECT s.plan_date, st.block, COUNT(DISTINCT s.id)
FROM sessions s JOIN steps st ON st.session_id = s.id
WHERE st.status = 'done' AND s.slot <> 'demo' AND s.person GLOB ?
GROUP BY s.plan_date, st.block"""

_WINDOW_LANDINGS_SQL = """
SELECT s.plan_date, l.foot, l.peak_bw, l.stomp
FROM sessions s JOIN steps st ON st.session_id = s.id JOIN landings l ON l.step_id = st.id
WHERE s.plan_date BETWEEN ? AND ? AND s.slot <> 'demo' AND st.block = 'stomps'
  AND l.saturated = 0 AND s.person GLOB ?"""

#: What the mat measured of balance and chair stands (``mat_rows``), demo sessions left out.
_MAT_SQL: Mapping[str, str] = {
    "steadiness": "SELECT substr(m.created_utc, 1, 10), m.moment, m.share_left_pct, m.wobble_pp "
                  "FROM steadiness m LEFT JOIN steps st ON st.id = m.step_id "
                  "LEFT JOIN sessions s ON s.id = st.session_id "
                  "WHERE substr(m.created_utc, 1, 10) BETWEEN ? AND ? "
                  "AND COALESCE(s.slot, '') <> 'demo' AND m.person GLOB ? ORDER BY m.id",
    "stances": "SELECT s.plan_date, m.side, m.best_s, m.total_s FROM balance_holds m "
               "JOIN steps st ON st.id = m.step_id JOIN sessions s ON s.id = st.session_id "
               "WHERE s.plan_date BETWEEN ? AND ? AND s.slot <> 'demo' AND m.timed_by = 'mat' "
               "AND s.person GLOB ? ORDER BY m.id",
    "chair_reps": "SELECT s.plan_date, m.up_s, m.down_s, m.rep_s FROM chair_reps m "
                  "JOIN steps st ON st.id = m.step_id JOIN sessions s ON s.id = st.session_id "
                  "WHERE s.plan_date BETWEEN ? AND ? AND s.slot <> 'demo' AND s.person GLOB ? "
                  "ORDER BY m.id",
    "chair_tests": "SELECT s.plan_date, m.stands, m.seconds FROM chair_tests m "
                   "JOIN steps st ON st.id = m.step_id JOIN sessions s ON s.id = st.session_id "
                   "WHERE s.plan_date <= ? AND s.slot <> 'demo' AND s.person GLOB ? "
                   "ORDER BY m.id",
}

_WINDOW_SETS_SQL = """
SELECT s.plan_date, st.exercise_id, x.set_no, x.reps, x.load_kg
FROM sessions s JOIN steps st ON st.session_id = s.id JOIN strength_sets x ON x.step_id = st.id
WHERE s.plan_date BETWEEN ? AND ? AND s.slot <> 'demo' AND s.person GLOB ?"""

_WINDOW_PAIN_SQL = """
SELECT s.plan_date, st.exercise_id, st.block
FROM sessions s JOIN steps st ON st.session_id = s.id JOIN pain p ON p.step_id = st.id
WHERE s.plan_date BETWEEN ? AND ? AND p.hurt = 1 AND s.slot <> 'demo' AND s.person GLOB ?
ORDER BY p.created_utc"""

#: Each exercise step with its dose (from the target JSON) and what it measured, for the
#: report's "done only when the dose was met"; one pass over each measurement table.
_STEP_FACTS_SQL = """
SELECT s.plan_date, s.slot, s.id, s.status, s.owner, st.started_utc, st.exercise_id, st.block,
       st.kind, st.status,
       COALESCE(json_extract(st.target, '$.per_foot'), 0),
       COALESCE(json_extract(st.target, '$.sets'), 0),
       COALESCE(json_extract(st.target, '$.reps'), 0),
       COALESCE(json_extract(st.target, '$.duration_s'), 0),
       CASE WHEN st.kind = 'stomp' THEN (SELECT COUNT(*) FROM landings l
            WHERE l.step_id = st.id AND l.stomp = 1 AND l.foot = 'left') ELSE 0 END,
       CASE WHEN st.kind = 'stomp' THEN (SELECT COUNT(*) FROM landings l
            WHERE l.step_id = st.id AND l.stomp = 1 AND l.foot = 'right') ELSE 0 END,
       (SELECT COUNT(*) FROM landings l WHERE l.step_id = st.id),
       CASE WHEN st.kind = 'strength' THEN (SELECT COUNT(*) FROM strength_sets x
            WHERE x.step_id = st.id) ELSE 0 END,
       CASE WHEN st.kind = 'strength' THEN (SELECT COUNT(*) FROM strength_sets x
            WHERE x.step_id = st.id
              AND x.reps >= COALESCE(json_extract(st.target, '$.reps'), 0)) ELSE 0 END,
       CASE WHEN st.kind = 'strength' THEN (SELECT COALESCE(SUM(x.reps), 0)
            FROM strength_sets x WHERE x.step_id = st.id) ELSE 0 END,
       CASE WHEN st.status <> 'done' OR s.plan_date >= ?3 THEN (SELECT COUNT(*) FROM holds h
            WHERE h.step_id = st.id) ELSE 0 END,
       CASE WHEN st.status <> 'done' OR s.plan_date >= ?3 THEN (SELECT COALESCE(SUM(seconds), 0)
            FROM intervals i WHERE i.step_id = st.id) ELSE 0 END,
       CASE WHEN s.plan_date >= ?3 THEN (SELECT COUNT(*) FROM pain p
            WHERE p.step_id = st.id) ELSE 0 END,
       CASE WHEN s.plan_date >= ?3 THEN (SELECT COALESCE(SUM(hurt), 0) FROM pain p
            WHERE p.step_id = st.id) ELSE 0 END
FROM sessions s JOIN steps st ON st.session_id = s.id
WHERE s.slot <> 'demo' AND s.plan_date BETWEEN ?1 AND ?2 AND s.person GLOB ?4
ORDER BY s.plan_date, s.started_utc, st.id"""

#: Days before the report's window as ``(plan_date, block, slots met, slots part)``: the rule
#: of ``sections.step_dose`` and ``sections.block_days`` in SQL, so years of history cost one
#: query, not a Python object a step (a test holds the two equal on simulated weeks).
_STEP_DOSE = """CASE
  WHEN st.kind = 'stomp' THEN (SELECT CASE
      WHEN SUM(l.stomp AND l.foot = 'left') >= COALESCE(NULLIF(json_extract(st.target,
             '$.per_foot'), 0), ?2)
       AND SUM(l.stomp AND l.foot = 'right') >= COALESCE(NULLIF(json_extract(st.target,
             '$.per_foot'), 0), ?2) THEN 2
      WHEN COUNT(*) > 0 THEN 1 ELSE 0 END FROM landings l WHERE l.step_id = st.id)
  WHEN st.kind = 'strength' AND COALESCE(json_extract(st.target, '$.sets'), 0) > 0 THEN
    (SELECT CASE
      WHEN SUM(x.reps >= COALESCE(json_extract(st.target, '$.reps'), 0))
           >= json_extract(st.target, '$.sets') THEN 2
      WHEN COUNT(*) > 0 THEN 1 ELSE 0 END FROM strength_sets x WHERE x.step_id = st.id)
  WHEN st.status = 'done' THEN 2
  WHEN EXISTS (SELECT 1 FROM strength_sets x WHERE x.step_id = st.id)
    OR EXISTS (SELECT 1 FROM holds h WHERE h.step_id = st.id)
    OR EXISTS (SELECT 1 FROM intervals i WHERE i.step_id = st.id AND i.seconds > 0)
    OR EXISTS (SELECT 1 FROM landings l WHERE l.step_id = st.id) THEN 1
  ELSE 0 END"""
_DOSE_DAYS_SQL = f"""
WITH per_session AS (
  SELECT s.plan_date, s.slot, st.block, MIN(st.dose) = 2 AS met, MAX(st.dose) > 0 AS did
  FROM sessions s JOIN (SELECT session_id, block, {_STEP_DOSE} AS dose FROM steps st) st
       ON st.session_id = s.id
  WHERE s.slot <> 'demo' AND s.plan_date < ?1 AND s.person GLOB ?3 GROUP BY s.id, st.block),
per_slot AS (
  SELECT plan_date, block, MAX(met) AS met, MAX(did) AS did
  FROM per_session GROUP BY plan_date, block, slot)
SELECT plan_date, block, SUM(met), SUM(did AND NOT met)
FROM per_slot GROUP BY plan_date, block HAVING SUM(did) > 0 ORDER BY plan_date, block"""

#: What a progression run reads (``progress_facts``), demo sessions left out; each query takes
#: the first and last plan date. Test sets are not training sets: the one-rep-max table has them.
_IN_WINDOW = "s.plan_date BETWEEN ?1 AND ?2 AND s.slot <> 'demo' AND s.person GLOB ?3"
_STEP_JOIN = "JOIN steps st ON st.id = m.step_id JOIN sessions s ON s.id = st.session_id"
_PROGRESS_SQL: Mapping[str, str] = {
    "sets": f"SELECT s.plan_date, st.exercise_id, m.reps, "
            f"COALESCE(json_extract(st.target, '$.reps'), 0), m.load_kg FROM strength_sets m "
            f"{_STEP_JOIN} WHERE {_IN_WINDOW} AND st.kind = 'strength' "
            f"AND NOT COALESCE(json_extract(st.target, '$.test'), 0) "  # before 0.2 a test had
            f"AND NOT (json_extract(st.target, '$.load_kg') IS NULL AND m.load_kg IS NOT NULL) "
            f"ORDER BY m.id",  # no mark, but a load its target did not set
    "holds": f"SELECT s.plan_date, st.exercise_id, m.held_s, m.target_s FROM holds m "
             f"{_STEP_JOIN} WHERE {_IN_WINDOW} AND st.kind IN ('extensor', 'balance') "
             f"ORDER BY m.id",
    "balance": f"SELECT s.plan_date, st.exercise_id, m.best_s, m.total_s, m.attempts, "
               f"m.ceiling_s FROM balance_holds m {_STEP_JOIN} WHERE {_IN_WINDOW} ORDER BY m.id",
    "stomps": f"SELECT s.plan_date, SUM(m.stomp), COUNT(*), "
              f"COALESCE(json_extract(st.target, '$.target_bw'), 0) FROM landings m "
              f"{_STEP_JOIN} WHERE {_IN_WINDOW} AND st.kind = 'stomp' GROUP BY st.id "
              f"ORDER BY st.id",
    "minutes": f"SELECT s.plan_date, SUM(m.seconds) FROM intervals m {_STEP_JOIN} "
               f"WHERE {_IN_WINDOW} GROUP BY s.plan_date ORDER BY s.plan_date",
    "tests": "SELECT substr(created_utc, 1, 10), exercise_id, weight_kg, reps FROM onerm "
             "WHERE substr(created_utc, 1, 10) <= ?2 AND ?1 = ?1 AND person GLOB ?3 ORDER BY id",
    "hurts": f"SELECT s.plan_date, st.exercise_id, m.rest_today FROM pain m {_STEP_JOIN} "
             f"WHERE s.plan_date <= ?2 AND ?1 = ?1 AND s.slot <> 'demo' AND m.hurt = 1 "
             f"AND s.person GLOB ?3 "
             f"ORDER BY m.id",
}
_PROGRESS_ROWS = {"sets": LoggedSet, "holds": LoggedHold, "balance": LoggedStance,
                  "stomps": LoggedStomps, "minutes": LoggedMinutes, "tests": LoggedTest,
                  "hurts": LoggedHurt}

_WINDOW_INTERVALS_SQL = """
SELECT s.plan_date, st.block, i.seconds, i.steps, i.cadence_spm, i.target_spm
FROM sessions s JOIN steps st ON st.session_id = s.id JOIN intervals i ON i.step_id = st.id
WHERE s.plan_date BETWEEN ? AND ? AND s.slot <> 'demo' AND s.person GLOB ?
ORDER BY i.id"""

#: Session-bound export tables take two parameters: the first plan date, and whether demo
#: sessions count (1) or are left out (0).
_SESSION_FILTER = "s.plan_date >= ? AND (? OR s.slot <> 'demo') AND s.person GLOB ?"
_CONTEXT = ("m.step_id, st.session_id, s.person, s.slot, s.plan_date, st.exercise_id, st.block",
            "FROM {t} m JOIN steps st ON st.id = m.step_id JOIN sessions s ON s.id = st.session_id "
            f"WHERE {_SESSION_FILTER} ORDER BY m.id")

#: The SELECT behind each export table; export.COLUMNS documents the same names in order.
_EXPORT_SQL: Mapping[str, str] = {
    "steps": "SELECT st.id AS step_id, st.session_id, s.person, s.slot, s.plan_date, "
             "st.exercise_id, st.kind, st.block, st.status, st.started_utc, st.ended_utc, "
             "st.target, st.achieved FROM steps st JOIN sessions s ON s.id = st.session_id "
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
    "balance_holds": f"SELECT m.id AS balance_id, {_CONTEXT[0]}, m.side, m.best_s, m.total_s, "
                     f"m.attempts, m.ceiling_s, m.timed_by, m.created_utc "
                     f"{_CONTEXT[1].format(t='balance_holds')}",
    "chair_reps": f"SELECT m.id AS chair_rep_id, {_CONTEXT[0]}, m.set_no, m.rep, m.up_s, "
                  f"m.down_s, m.rep_s, m.created_utc {_CONTEXT[1].format(t='chair_reps')}",
    "chair_tests": f"SELECT m.id AS chair_test_id, {_CONTEXT[0]}, m.stands, m.seconds, "
                   f"m.counted_by, m.created_utc {_CONTEXT[1].format(t='chair_tests')}",
    "steadiness": "SELECT id AS steadiness_id, person, step_id, moment, share_left_pct, "
                  "wobble_pp, seconds, created_utc FROM steadiness "
                  "WHERE substr(created_utc, 1, 10) >= ? AND person GLOB ? ORDER BY id",
    "calibrations": "SELECT id AS calibration_id, person, created_utc, data FROM calibrations "
                    "WHERE substr(created_utc, 1, 10) >= ? AND person GLOB ? ORDER BY id",
    "onerm": "SELECT id AS onerm_id, person, exercise_id, weight_kg, reps, estimate_kg, "
             "target_kg, created_utc FROM onerm WHERE substr(created_utc, 1, 10) >= ? "
             "AND person GLOB ? ORDER BY id",
}


def _minutes(start: str, end: str | None) -> float | None:
    """How long a session lasted; unknown (None) when the wall clock jumped back during it."""
    if not end:
        return None
    minutes = round((parse_utc(end) - parse_utc(start)).total_seconds() / 60, 1)
    return minutes if minutes >= 0 else None


class LogReader:
    """Queries over the log; the kiosk's Store and the SSH commands share them.

    ``person`` is whose records are read (a log key, ``sections.SOLO`` for a config without
    people); None reads everyone's. ``for_person`` is the same log read for one person."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, person: str | None = None):
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self.person = person

    @property
    def _who(self) -> str:
        """The GLOB each query's person column must match: a log key holds no GLOB character
        (``config`` refuses them), so a key matches itself only, and ``*`` everyone."""
        return self.person if self.person is not None else "*"

    def for_person(self, person: str | None) -> Self:
        """This log (the same connection) reading, and for a Store writing, one person's
        records; ``None`` reads everyone's."""
        view = copy.copy(self)
        view.person = person
        return view

    def people(self) -> list[str]:
        """Everyone with a record in the log, in the order they first appear."""
        return [p for (p,) in self._rows(
            "SELECT person FROM (SELECT person, MIN(id) AS first FROM sessions GROUP BY person "
            "UNION ALL SELECT person, 1e18 FROM calibrations UNION ALL SELECT person, 1e18 "
            "FROM onerm) GROUP BY person ORDER BY MIN(first), person")]

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
                                          self._who, -1 if limit is None else limit))
        out = []
        for (sid, slot, plan_date, started, ended, status, owner, person, last, total, done,
             left, right, sets, holds, intervals, hurt) in rows:
            shown = display_status(status, owner)
            end = ended or (last if shown == "interrupted" else None)
            out.append({
                "id": sid, "person": person, "slot": slot, "plan_date": plan_date,
                "started_utc": started,
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

    def session_so_far(self, plan_date: date, slot: str) -> dict | None:
        """The newest session of a day and slot, with each step's status and what it logged
        before it ended: what a resume after a crash or power cut needs to carry on where the
        session stopped (done steps are not planned again; an interrupted one restarts with
        its logged part kept: per step the rows of each kind, its landings and stomps per foot
        and seconds marched). None when the slot has no session that day. Demo sessions are
        never resumed."""
        found = self._rows("SELECT id FROM sessions WHERE plan_date = ? AND slot = ? "
                           "AND slot <> 'demo' AND person GLOB ? ORDER BY id DESC LIMIT 1",
                           (plan_date.isoformat(), slot, self._who))
        if not found:
            return None
        sid = found[0][0]
        session = next(s for s in self.sessions(since=plan_date, limit=None) if s["id"] == sid)
        logged = {table: dict(self._rows(
            f"SELECT m.step_id, COUNT(*) FROM {table} m JOIN steps st ON st.id = m.step_id "
            "WHERE st.session_id = ? GROUP BY m.step_id", (sid,))) for table in MEASUREMENTS}
        feet: dict[int, dict[str, tuple[int, int]]] = {}
        for step_id, foot, tries, hits in self._rows(
                "SELECT m.step_id, m.foot, COUNT(*), SUM(m.stomp) FROM landings m JOIN steps st "
                "ON st.id = m.step_id WHERE st.session_id = ? GROUP BY m.step_id, m.foot", (sid,)):
            feet.setdefault(step_id, {})[foot] = (tries, hits)
        marched = dict(self._rows(
            "SELECT m.step_id, SUM(m.seconds) FROM intervals m JOIN steps st ON st.id = m.step_id "
            "WHERE st.session_id = ? GROUP BY m.step_id", (sid,)))
        steps = self.steps_of(sid)
        for st in steps:
            st["logged"] = {table: counts.get(st["id"], 0) for table, counts in logged.items()}
            st["feet"] = feet.get(st["id"], {})  # foot: (landings, stomps at target)
            st["marched_s"] = float(marched.get(st["id"], 0.0))
        return {**session, "steps": steps}

    def day_counts(self) -> list[tuple[str, str, int]]:
        """(plan_date, block, sessions with that block done) over all time, demos left out."""
        return self._rows(_DAY_COUNTS_SQL, (self._who,))

    def first_plan_date(self) -> str | None:
        """The first day anything (not a demo) was logged; the report counts from there."""
        first: str | None = self._rows("SELECT MIN(plan_date) FROM sessions "
                                       "WHERE slot <> 'demo' AND person GLOB ?",
                                       (self._who,))[0][0]
        return first

    def window_landings(self, first: date, last: date) -> list[tuple[str, str, float, int]]:
        """(plan_date, foot, peak_bw, stomp) of stomp-block landings between two plan dates."""
        return self._rows(_WINDOW_LANDINGS_SQL, (first.isoformat(), last.isoformat(),
                                                 self._who))

    def mat_rows(self, first: date, last: date) -> dict[str, list[tuple]]:
        """What the mat measured between two dates (chair tests: every one up to ``last``),
        for ``balance_report.build``; stomp landings as ``window_landings``."""
        span = (first.isoformat(), last.isoformat())
        out = {k: self._rows(sql, ((span[1],) if k == "chair_tests" else span) + (self._who,))
               for k, sql in _MAT_SQL.items()}
        out["landings"] = self.window_landings(first, last)
        return out

    def chair_test_dates(self) -> tuple[date | None, date | None]:
        """The plan dates of the last chair stand test counted and of the last one offered."""
        sql = ("SELECT MAX(s.plan_date) FROM steps st JOIN sessions s ON s.id = st.session_id "
               "WHERE st.kind = 'chair_test' AND s.slot <> 'demo' AND s.person GLOB ?")
        done, offered = (self._rows(sql + extra, (self._who,))[0][0] for extra in (
            " AND EXISTS (SELECT 1 FROM chair_tests m WHERE m.step_id = st.id)", ""))
        return (date.fromisoformat(done) if done else None,
                date.fromisoformat(offered) if offered else None)

    def window_sets(self, first: date, last: date) -> list[tuple[str, str, int, int, float | None]]:
        """(plan_date, exercise_id, set_no, reps, load_kg) of strength sets in a window."""
        return self._rows(_WINDOW_SETS_SQL, (first.isoformat(), last.isoformat(), self._who))

    def window_pain(self, first: date, last: date) -> list[tuple[str, str, str]]:
        """(plan_date, exercise_id, block) of each "it hurt" answer in a window."""
        return self._rows(_WINDOW_PAIN_SQL, (first.isoformat(), last.isoformat(), self._who))

    def step_facts(self, first: date | None = None, last: date | None = None,
                   detail_from: date | None = None) -> list[StepFact]:
        """Every exercise step between two plan dates (all time by default), demos left out,
        with its dose and what it measured; sessions read as a person reads them. Before
        ``detail_from`` only what judges the dose is read (holds, minutes and pain answers of
        finished steps stay 0): years of streaks stay fast."""
        rows = self._rows(_STEP_FACTS_SQL, ((first or date.min).isoformat(),
                                            (last or date.max).isoformat(),
                                            (detail_from or date.min).isoformat(),
                                            self._who))
        shown: dict[int, str] = {}
        out = []
        for (plan_date, slot, sid, status, owner, started, *rest) in rows:
            if sid not in shown:
                shown[sid] = display_status(status, owner)
            out.append(StepFact(plan_date, slot, sid, shown[sid], started, *rest))
        return out

    def dose_days(self, before: date, per_foot_default: int = 4) -> list[tuple[str, str, int, int]]:
        """``(plan_date, block, slots met, slots part)`` for every day before ``before``,
        judged as ``sections.block_days`` judges the report's own weeks."""
        return self._rows(_DOSE_DAYS_SQL, (before.isoformat(), per_foot_default, self._who))

    def window_intervals(self, first: date, last: date) -> list[Interval]:
        """The marching intervals between two plan dates, with cadence and its target."""
        return [Interval(*row) for row in self._rows(
            _WINDOW_INTERVALS_SQL, (first.isoformat(), last.isoformat(), self._who))]

    def latest_onerm_targets(self) -> dict[str, float]:
        """The newest strength target load per exercise, from the one-rep-max history. Newest
        means written last (the row id), never the wall clock, which a Pi without a real-time
        clock may have set back."""
        rows = self._rows("SELECT exercise_id, target_kg FROM onerm o WHERE person GLOB ? AND "
                          "id = (SELECT MAX(id) FROM onerm p WHERE p.exercise_id = o.exercise_id "
                          "AND p.person = o.person) ORDER BY id", (self._who,))
        return {ex: kg for ex, kg in rows}

    def progress_facts(self, first: date, last: date) -> ProgressFacts:
        """What a progression run reads: training between two plan dates, every one-rep-max
        test and "it hurt" answer up to ``last`` (a pause looks further back than training)."""
        span = (first.isoformat(), last.isoformat(), self._who)
        return ProgressFacts(**{k: tuple(_PROGRESS_ROWS[k](*row) for row in self._rows(sql, span))
                                for k, sql in _PROGRESS_SQL.items()})

    def last_progress_run(self, on_or_before: date) -> tuple[date, dict[str, Any]] | None:
        """The newest progression run up to a day: its day and its state (as JSON)."""
        rows = self._rows("SELECT plan_date, state FROM progress_runs WHERE plan_date <= ? "
                          "AND person GLOB ? ORDER BY plan_date DESC, id DESC LIMIT 1",
                          (on_or_before.isoformat(), self._who))
        return (date.fromisoformat(rows[0][0]), json.loads(rows[0][1])) if rows else None

    def decisions(self, first: date, last: date) -> list[Progression]:
        """The progression decisions logged between two plan dates, oldest first."""
        return [Progression(*row) for row in self._rows(
            "SELECT plan_date, subject, rule, before, after, reason, line FROM decisions "
            "WHERE plan_date BETWEEN ? AND ? AND person GLOB ? ORDER BY id",
            (first.isoformat(), last.isoformat(), self._who))]

    def stop_rules_said(self) -> date | None:
        """The last day the stop rules were said through to the end in a session."""
        day = self._rows("SELECT MAX(s.plan_date) FROM steps st JOIN sessions s "
                         "ON s.id = st.session_id WHERE st.kind = 'stop_rules' "
                         "AND st.status = 'done' AND s.person GLOB ?", (self._who,))[0][0]
        return date.fromisoformat(day) if day else None

    def rest_today(self, plan_date: date) -> set[str]:
        """Exercises the person chose to leave for the rest of a day after "it hurt"."""
        return {ex for (ex,) in self._rows(
            "SELECT DISTINCT st.exercise_id FROM pain m JOIN steps st ON st.id = m.step_id "
            "JOIN sessions s ON s.id = st.session_id WHERE s.plan_date = ? AND m.rest_today = 1 "
            "AND s.person GLOB ?", (plan_date.isoformat(), self._who))}

    def latest_calibration(self) -> dict | None:
        """The newest mat calibration, as stored by :meth:`Store.add_calibration`."""
        rows = self._rows("SELECT data FROM calibrations WHERE person GLOB ? "
                          "ORDER BY id DESC LIMIT 1", (self._who,))
        return json.loads(rows[0][0]) if rows else None

    def incidents(self, *, since_utc: datetime | None = None) -> list[dict]:
        """Problems the store found and repaired (damaged file, salvage), newest first."""
        rows = self._rows("SELECT created_utc, kind, detail FROM incidents "
                          "WHERE created_utc >= ? ORDER BY id DESC",
                          (utc_text(since_utc) if since_utc else "",))
        return [{"created_utc": c, "kind": k, "detail": d} for c, k, d in rows]

    def demo_sessions(self, *, since: date | None = None) -> int:
        """How many demo sessions there are on or after ``since``."""
        count: int = self._rows("SELECT COUNT(*) FROM sessions WHERE slot = 'demo' "
                                "AND plan_date >= ? AND person GLOB ?",
                                ((since or date.min).isoformat(), self._who))[0][0]
        return count

    def export_table(self, table: str, *, since: date | None = None,
                     demo: bool = False) -> tuple[list[str], list[tuple]]:
        """Column names and rows of one export table (see ``kiosk.store.export.COLUMNS``);
        rows of demo sessions only with ``demo=True``."""
        day = (since or date.min).isoformat()
        if table == "sessions":
            cols = ["session_id", "person", "slot", "plan_date", "started_utc", "ended_utc",
                    "status", "minutes"]
            rows = [(s["id"], s["person"], s["slot"], s["plan_date"], s["started_utc"],
                     s["ended_utc"], s["status"], s["minutes"])
                    for s in reversed(self.sessions(since=since, limit=None, demo=demo))]
            return cols, rows
        params = ((day, int(demo)) if table in ("steps", *MEASUREMENTS) else (day,)) + (self._who,)
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

"""Carries the engine's ``Log`` effects into the store as they happen, never at the end.

The engine numbers steps by their place in the session; the store gives each a row id. This
adapter keeps that mapping, and opens the session row lazily at its first logged step.

Nothing completed is dropped when the log cannot take it (a full SD card, an I/O error, a log
that could not be opened at start): each record waits in a bounded queue with the time it was
made, and the queue is written oldest first as soon as the store takes writes again. A new
session's recorder takes over the previous one's queue (``carry``), so a session that ended
while the disk was full is still written later.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from kiosk.coach.events import Log
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
    Record,
    RestedToday,
    SessionFinished,
    SetDone,
    SteadinessMeasured,
    StepFinished,
    StepStarted,
)

log = logging.getLogger(__name__)

#: Records held in memory while the log cannot be written. A full session logs about 150
#: (landings, holds, sets, step starts and ends), so this is a fortnight of twice-daily
#: sessions; past it new records are counted as lost, never the older ones.
MAX_PENDING = 5000

_RECORDS = Record.__args__  # every record kind the store takes (one union, in records.py)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Session:
    """One session's row ids, as far as they have been written, and the log it is written to
    (in a household, its person's: records still queued when the next person steps on are
    written as the person who did them)."""

    store: Any
    slot: str
    plan_date: date
    session_id: int | None = None
    step_ids: dict[int, int] = field(default_factory=dict)
    unlogged: set[int] = field(default_factory=set)
    reopen: dict[int, int] = field(default_factory=dict)  # resumed: engine step -> its row
    live: bool = False  # its row is open (a resumed session's is reopened at its first write)


@dataclass(frozen=True)
class _Pending:
    session: _Session
    log: Log
    at: datetime  # when it was made: a late write keeps the true time


class Recorder:
    """One session's writer: ``apply(log)`` for each ``Log`` effect, in order.

    ``apply`` queues the record and writes the queue; when the store fails it raises that
    error with the record kept (``pending``), and ``flush()`` tries again later."""

    def __init__(self, store: Any, *, slot: str, plan_date: date,
                 utc_now: Callable[[], datetime] = _utcnow, carry: Recorder | None = None,
                 max_pending: int = MAX_PENDING, session_id: int | None = None,
                 reopen: dict[int, int] | None = None):
        """``session_id`` and ``reopen`` (engine step -> step row) carry on an interrupted
        session after a crash: its row and its interrupted step's row take the new records."""
        self.store = store
        self.utc_now = utc_now  # the shell's wall clock
        self.max_pending = max_pending
        self._current = _Session(store, slot, plan_date, session_id=session_id,
                                 reopen=dict(reopen or {}))
        self.pending: deque[_Pending] = carry.pending if carry is not None else deque()
        self.lost: int = carry.lost if carry is not None else 0

    @property
    def slot(self) -> str:
        """The slot of the session being recorded ("morning", "evening", "demo", ...)."""
        return self._current.slot

    @property
    def session_id(self) -> int | None:
        return self._current.session_id

    @property
    def step_ids(self) -> dict[int, int]:
        return self._current.step_ids

    def apply(self, e: Log) -> None:
        """Queue one record and write everything queued, oldest first."""
        if not isinstance(e.record, _RECORDS):
            raise TypeError(f"not a log record: {e.record!r}")
        if len(self.pending) >= self.max_pending:
            self.lost += 1
            log.error("%d records wait for the log; %s is lost", len(self.pending),
                      type(e.record).__name__)
        else:
            self.pending.append(_Pending(self._current, e, self.utc_now()))
        self.flush()

    def flush(self) -> int:
        """Write queued records oldest first; returns how many. A store error is raised with
        the record that failed (and all after it) still queued."""
        written = 0
        while self.pending:
            item = self.pending[0]
            try:
                self._write(item.session, item.log, item.at)
            except ValueError as exc:  # a record the log refuses would block the queue
                self.lost += 1
                log.error("the log refused %s: %s", type(item.log.record).__name__, exc)
            else:
                written += 1
            self.pending.popleft()
        return written

    def _session_row(self, s: _Session, at: datetime) -> int:
        if s.session_id is None:
            s.session_id = s.store.begin_session(slot=s.slot, started_utc=at,
                                                    plan_date=s.plan_date)
        elif not s.live:
            s.store.reopen_session(s.session_id)
        s.live = True
        return s.session_id

    def _write(self, s: _Session, e: Log, at: datetime) -> None:
        rec = e.record
        match rec:
            case CalibrationMade():
                s.store.add_calibration(rec, created_utc=at)
            case SteadinessMeasured():  # the weigh-in's has no step row: it is a calibration
                s.store.add_steadiness(s.step_ids.get(e.step), rec, at=at)
            case SessionFinished():
                s.store.finish_session(self._session_row(s, at), rec, ended_utc=at)
            case StepStarted(kind="calibrate"):
                s.unlogged.add(e.step)  # kept as a calibration row, not as an exercise step
            case _ if e.step in s.unlogged:
                pass
            case StepStarted() if e.step in s.reopen:  # carried on: its logged rows stay
                self._session_row(s, at)
                s.store.reopen_step(s.reopen[e.step])
                s.step_ids[e.step] = s.reopen.pop(e.step)
            case StepStarted():
                s.step_ids[e.step] = s.store.begin_step(self._session_row(s, at), rec, at=at)
            case OneRepMaxTested():
                s.store.add_onerm(rec, created_utc=at)
            case _ if e.step not in s.step_ids:  # its step was lost (queue full): say so
                self.lost += 1
                log.error("%s of step %d has no step row; it is lost", type(rec).__name__,
                          e.step)
            case Landed():
                s.store.add_landing(s.step_ids[e.step], rec, at=at)
            case Held():
                s.store.add_hold(s.step_ids[e.step], rec, at=at)
            case SetDone():
                s.store.add_set(s.step_ids[e.step], rec, at=at)
            case IntervalDone():
                s.store.add_interval(s.step_ids[e.step], rec, at=at)
            case PainAnswered():
                s.store.add_pain(s.step_ids[e.step], rec, at=at)
            case RestedToday():
                s.store.rest_for_today(s.step_ids[e.step])
            case BalanceHeld():
                s.store.add_balance(s.step_ids[e.step], rec, at=at)
            case ChairRep():
                s.store.add_chair_rep(s.step_ids[e.step], rec, at=at)
            case ChairTested():
                s.store.add_chair_test(s.step_ids[e.step], rec, at=at)
            case StepFinished():
                s.store.finish_step(s.step_ids[e.step], rec, at=at)

"""Carries the engine's ``Log`` effects into the store as they happen, never at the end.

The engine numbers steps by their place in the session; the store gives each a row id. This
adapter keeps that mapping, and opens the session row lazily at its first logged step.
"""

from __future__ import annotations

from collections.abc import Callable
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
    SessionFinished,
    SetDone,
    SteadinessMeasured,
    StepFinished,
    StepStarted,
)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Recorder:
    """One session's writer: ``apply(log)`` for each ``Log`` effect, in order."""

    def __init__(self, store: Any, *, slot: str, plan_date: date,
                 utc_now: Callable[[], datetime] = _utcnow):
        self.store = store
        self.slot = slot
        self.plan_date = plan_date
        self.utc_now = utc_now  # the shell's wall clock
        self.session_id: int | None = None
        self.step_ids: dict[int, int] = {}
        self.unlogged: set[int] = set()

    def _session(self) -> int:
        if self.session_id is None:
            self.session_id = self.store.begin_session(
                slot=self.slot, started_utc=self.utc_now(), plan_date=self.plan_date)
        return self.session_id

    def apply(self, e: Log) -> None:
        rec = e.record
        match rec:
            case CalibrationMade():
                self.store.add_calibration(rec, created_utc=self.utc_now())
            case SteadinessMeasured():  # the weigh-in's has no step row: it is a calibration
                self.store.add_steadiness(self.step_ids.get(e.step), rec)
            case SessionFinished():
                self.store.finish_session(self._session(), rec, ended_utc=self.utc_now())
            case StepStarted(kind="calibrate"):
                self.unlogged.add(e.step)  # kept as a calibration row, not as an exercise step
            case _ if e.step in self.unlogged:
                pass
            case StepStarted():
                self.step_ids[e.step] = self.store.begin_step(self._session(), rec)
            case OneRepMaxTested():
                self.store.add_onerm(rec, created_utc=self.utc_now())
            case Landed():
                self.store.add_landing(self.step_ids[e.step], rec)
            case Held():
                self.store.add_hold(self.step_ids[e.step], rec)
            case SetDone():
                self.store.add_set(self.step_ids[e.step], rec)
            case IntervalDone():
                self.store.add_interval(self.step_ids[e.step], rec)
            case PainAnswered():
                self.store.add_pain(self.step_ids[e.step], rec)
            case BalanceHeld():
                self.store.add_balance(self.step_ids[e.step], rec)
            case ChairRep():
                self.store.add_chair_rep(self.step_ids[e.step], rec)
            case ChairTested():
                self.store.add_chair_test(self.step_ids[e.step], rec)
            case StepFinished():
                self.store.finish_step(self.step_ids[e.step], rec)
            case _:
                raise TypeError(f"not a log record: {rec!r}")

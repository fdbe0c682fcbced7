"""Carries the engine's ``Log`` effects into the store as they happen, never at the end.

The engine numbers steps by their place in the session; the store gives each a row id. This
adapter keeps that mapping, and opens the session row lazily at its first logged step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from kiosk.coach.events import Log


class Recorder:
    """One session's writer: ``apply(log)`` for each ``Log`` effect, in order."""

    def __init__(self, store: Any, *, slot: str, plan_date: date,
                 utc_now: Callable[[], datetime] = lambda: datetime.now(UTC)):
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
        f = e.fields
        if e.kind == "calibration":
            self.store.add_calibration(created_utc=self.utc_now(), data=dict(f))
            return
        if e.kind == "session_finished":
            self.store.finish_session(self._session(), status=f["status"],
                                      ended_utc=self.utc_now())
            return
        if e.kind == "step_started" and f["kind"] == "calibrate":
            self.unlogged.add(e.step)  # kept as a calibration row, not as an exercise step
            return
        if e.step in self.unlogged:
            return
        if e.kind == "step_started":
            self.step_ids[e.step] = self.store.begin_step(
                self._session(), exercise_id=f["exercise_id"], kind=f["kind"],
                block=f["block"], target=f["target"])
            return
        step_id = self.step_ids[e.step]
        if e.kind == "landing":
            self.store.add_landing(step_id, foot=f["foot"], t_s=f["t_s"], peak_bw=f["peak_bw"],
                                   stomp=f["stomp"], saturated=f.get("saturated", False))
        elif e.kind == "hold":
            self.store.add_hold(step_id, side=f["side"], held_s=f["held_s"],
                                target_s=f["target_s"])
        elif e.kind == "set":
            self.store.add_set(step_id, set_no=f["set_no"], reps=f["reps"],
                               load_kg=f["load_kg"])
        elif e.kind == "interval":
            self.store.add_interval(step_id, seconds=f["seconds"], steps=f["steps"],
                                    cadence_spm=f["cadence_spm"], target_spm=f["target_spm"])
        elif e.kind == "onerm":
            self.store.add_onerm(exercise_id=f["exercise_id"], weight_kg=f["weight_kg"],
                                 reps=f["reps"], estimate_kg=f["estimate_kg"],
                                 target_kg=f["target_kg"], created_utc=self.utc_now())
        elif e.kind == "pain":
            self.store.add_pain(step_id, hurt=f["hurt"])
        elif e.kind == "step_finished":
            self.store.finish_step(step_id, status=f["status"], achieved=f["achieved"])
        else:
            raise ValueError(f"unknown log kind {e.kind!r}")

"""Two simulated weeks of real sessions for the report's tests: the real session engine coaches,
the real recorder writes through the real store into a real SQLite file, and a scripted person
on the mat does what each day's script says (a partial stomp evening, body-weight strength, a
stopped session, a crash and a repeated session, a skipped exercise, pain answers, a missed day).

``TODAY`` is a Tuesday with its morning done. ``EXPECTED`` says, in plain values, what was done,
so a test compares the report with the person's days rather than with the code's own sums.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from kiosk.coach.engine import Session
from kiosk.coach.events import Command, Log, Tick
from kiosk.coach.recorder import Recorder
from kiosk.mat import events as mat_events
from kiosk.mat.events import Landing
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from kiosk.store.records import (
    BalanceHeld,
    ChairTested,
    SessionFinished,
    SteadinessMeasured,
    StepFinished,
    StepStarted,
)

Footfall = mat_events.Footfall

FIRST = date(2026, 11, 9)  # a Monday
TODAY = date(2026, 11, 24)  # the Tuesday two weeks on
TICK_S = 0.2
TARGET_BW = 1.5
CONFIG = """[profile]
name = "Margaret"
fracture_history = "no"
impact_cleared = true
impact_cleared_by = "Dr A. Physio"
impact_cleared_on = "2026-10-01"
birth_year = 1950
sex = "female"

[storage]
data_dir = "{data_dir}"
"""


def stomps() -> StepSpec:
    return StepSpec("stomp", "heel_stomp", "Heel stomps", ("Hold the counter.",), block="stomps",
                    per_foot=4, target_bw=TARGET_BW)


def stretch() -> StepSpec:
    return StepSpec("stretch", "hip_front_stretch", "Front of hip stretch", ("Step back.",),
                    block="stretch", hold_s=20.0, sides=("right", "left"))


def extensor() -> StepSpec:
    return StepSpec("extensor", "wall_press", "Tall at the wall", ("Back to the wall.",),
                    block="extensor", hold_s=3.0, holds=2, rest_s=3.0)


def cardio(brisk: bool) -> StepSpec:
    return StepSpec("cardio", "brisk_march" if brisk else "march_in_place",
                    "Brisk marching" if brisk else "Marching on the spot", (),
                    block="cardio_high" if brisk else "cardio_low", duration_s=90.0,
                    target_spm=115.0 if brisk else 90.0, intensity="high" if brisk else "low")


def strength(exercise_id: str, title: str, load_kg: float | None) -> StepSpec:
    return StepSpec("strength", exercise_id, title, (), block="strength", sets=2, reps=3,
                    rest_s=5.0, load_kg=load_kg)


def morning(day: date) -> list[StepSpec]:
    """As ``program/plan.py`` orders it: cardio, stomps, the back exercise, a stretch."""
    return [cardio(day.weekday() in (1, 3, 5)), stomps(), extensor(), stretch()]


def evening(day: date) -> list[StepSpec]:
    """Stomps, strength on Mon/Wed/Fri (one loaded, two body-weight exercises), a stretch."""
    lifts = [strength("sit_to_stand", "Sit to stand", 4.0 + (day - FIRST).days // 7),
             strength("heel_raise", "Heel raises", None),
             strength("wall_push_up", "Wall push-ups", None)]
    return [stomps(), *(lifts if day.weekday() in (0, 2, 4) else []), stretch()]


@dataclass
class Person:
    """Does what the coach asks, as the day's script says."""

    right_peaks: tuple[float, ...] = (2.0,)  # cycled: the right foot's stomps, in body weights
    pain: bool | None = False  # the answer to "did that hurt?" (None: no answer)
    cadence_spm: float = 0.0  # 0: the step's own target
    skip: frozenset[str] = frozenset()
    stop_in: str = ""  # stop the session in this exercise's second set after some reps
    stop_after_reps: int = 2
    crash_in: str = ""  # the process dies during this exercise
    next_t: float = 0.0
    n: dict[str, int] = field(default_factory=lambda: {"left": 0, "right": 0, "step": 0})

    def act(self, s: Session, t: float) -> object | None:
        m = s.step
        if m is None or m.done or t < self.next_t:
            return None
        ex = m.spec.exercise_id
        if ex in self.skip:
            return Command(t, "skip")
        if ex == self.stop_in and getattr(m, "set_no", 0) >= 2 \
                and getattr(m, "rep", 0) >= self.stop_after_reps:
            return Command(t, "stop")
        if m.kind == "stomp" and m.phase is not None:
            foot = m.foot
            peaks = self.right_peaks if foot == "right" else (2.0,)
            peak = peaks[self.n[foot] % len(peaks)]
            self.n[foot] += 1
            self.next_t = t + 1.5
            return Landing(t, foot, peak, peak >= TARGET_BW)
        if m.kind == "stretch" and m.phase is not None and m.phase.name == "ASK":
            if self.pain is None or t - m.phase_start < 3.0:
                return None
            self.next_t = t + 1.0
            return Landing(t, "left" if self.pain else "right", 0.8, False)
        if m.kind == "cardio" and m.phase is not None:
            spm = self.cadence_spm or m.spec.target_spm
            self.n["step"] += 1
            self.next_t = max(self.next_t, t - 1.0) + 60.0 / spm  # on the beat, not the tick
            return Footfall(t, ("left", "right")[self.n["step"] % 2], spm)
        return None


def run_session(store: Store, day: date, slot: str, specs: list[StepSpec], person: Person,
                hour: int) -> str:
    """Coach one session to its end through engine, recorder and store; returns its status."""
    start = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    s = Session(specs)
    t = 0.0
    rec = Recorder(store, slot=slot, plan_date=day,
                   utc_now=lambda: start + timedelta(seconds=t))
    while not s.finished and t < 3600:
        t = round(t + TICK_S, 6)
        if person.crash_in and s.step is not None and s.step.spec.exercise_id == person.crash_in \
                and s.step.phase is not None:
            os._exit(3)  # a crash: nothing more is written, the session stays "running"
        ev = person.act(s, t)
        for e in s.handle(ev if ev is not None else Tick(t)):
            if isinstance(e, Log):
                rec.apply(e)
        if ev is not None:
            for e in s.handle(Tick(t)):
                if isinstance(e, Log):
                    rec.apply(e)
    return s.status


#: Days of the 30-second chair stand test (monthly in the kiosk; two here, to show a change).
CHAIR_TESTS = {date(2026, 11, 12): 9, date(2026, 11, 21): 11}


def mat_checks(store: Store, day: date) -> None:
    """A midday balance session as the mat logs it: the weigh-in's steadiness (the left share
    leaning left, the wobble falling), one-leg stances that lengthen (the right foot longer),
    and on ``CHAIR_TESTS`` days the chair stand test."""
    n = (day - FIRST).days
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    rec = Recorder(store, slot="extra", plan_date=day, utc_now=lambda: at)
    for step, records in enumerate((
            (StepStarted("calibration", "calibrate", ""),
             SteadinessMeasured("weigh_in", 63.0 - 0.2 * n, 3.0 - 0.1 * n, 2.0),
             StepFinished("done")),
            (StepStarted("one_leg_stand", "balance", "balance"),
             BalanceHeld("right", 10.0 + n, 25.0 + n, 3, 30.0),
             BalanceHeld("left", 6.0 + 0.5 * n, 15.0 + n, 3, 30.0), StepFinished("done")))):
        for record in records:
            rec.apply(Log(step, record))
    if day in CHAIR_TESTS:
        for record in (StepStarted("chair_stand_test", "chair_test", "checkin"),
                       ChairTested(CHAIR_TESTS[day], 30.0), StepFinished("done")):
            rec.apply(Log(2, record))
    rec.apply(Log(3, SessionFinished("done")))


def _crashing_morning(path: str, day: date) -> None:
    store = Store.open(Path(path), backup=False)
    run_session(store, day, "morning", morning(day), Person(crash_in="wall_press"), 9)


#: What each day's script does beyond a full morning (09:00) and evening (18:00).
SCRIPT = {
    date(2026, 11, 12): "partial stomp evening: the right foot reaches the target once in four",
    date(2026, 11, 13): "evening stopped one rep into the second set of sit to stand; stomps done",
    date(2026, 11, 14): "the back exercise skipped in the morning",
    date(2026, 11, 15): "no answer to 'did that hurt?' in the evening",
    date(2026, 11, 16): "the morning crashes after stomps and is run again; no evening",
    date(2026, 11, 18): "the morning stretch hurt",
    date(2026, 11, 19): "nothing at all",
    date(2026, 11, 20): "the morning stretch hurt again; marching slow (80 a minute)",
    TODAY: "morning done, evening still to come",
}


def build(path: Path) -> None:
    """Write the two weeks into the log at ``path``."""
    day = FIRST
    while day <= TODAY:
        if day == date(2026, 11, 19):
            day += timedelta(days=1)
            continue
        store = Store.open(path, backup=False)
        am = Person()
        if day == date(2026, 11, 14):
            am.skip = frozenset({"wall_press"})
        if day in (date(2026, 11, 18), date(2026, 11, 20)):
            am.pain = True
        if day == date(2026, 11, 20):
            am.cadence_spm = 80.0
        if day == date(2026, 11, 16):
            store.close()
            proc = multiprocessing.get_context("spawn").Process(
                target=_crashing_morning, args=(str(path), day))
            proc.start()
            proc.join(120)
            assert proc.exitcode == 3, proc.exitcode
            store = Store.open(path, backup=False)  # finds the crashed session: interrupted
        run_session(store, day, "morning", morning(day), am, 9 if day != date(2026, 11, 16)
                    else 10)
        if day not in (TODAY, date(2026, 11, 16)):
            pm = Person()
            if day == date(2026, 11, 12):
                pm.right_peaks = (2.0, 1.0, 1.0, 1.0)
            if day == date(2026, 11, 13):
                pm.stop_in, pm.stop_after_reps = "sit_to_stand", 1
            if day == date(2026, 11, 15):
                pm.pain = None
            run_session(store, day, "evening", evening(day), pm, 18)
            mat_checks(store, day)
        store.close()
        day += timedelta(days=1)


def config_file(folder: Path, data_dir: Path) -> Path:
    path = folder / "config.toml"
    path.write_text(CONFIG.format(data_dir=data_dir))
    return path

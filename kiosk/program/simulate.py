"""A simulated person living through the plan day by day, fed through the pure progression rules.

Each day: the plan at the current state, the dosed steps of both sessions, what the person did
(as the records the store's rows become), then ``progress`` for the next morning. The person is
plain arithmetic: a true one-rep max that grows a little each week, a stomp force that grows,
and a ``does_all(day, exercise_id)`` that decides whether a step is done in full. Used by the
progression tests (12 weeks, 26 weeks over every profile) and by ``osteo-kiosk bench``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from kiosk.program.model import StepSpec
from kiosk.program.plan import SLOTS, day_plan, session_steps
from kiosk.program.progression import (
    ActiveMinutes,
    Decision,
    History,
    HoldResult,
    Hurt,
    OneRmSet,
    ProgressState,
    SetResult,
    StompSet,
    caps_from,
    initial_state,
    progress,
)
from kiosk.program.safety import profile_from

#: How far back the history handed to ``progress`` reaches (its rules look back less).
WINDOW_DAYS = 42


@dataclass
class Life:
    """What happened: every day's state, steps and the decisions taken."""

    states: list[tuple[date, ProgressState]] = field(default_factory=list)
    steps: list[tuple[date, StepSpec]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    history: History = field(default_factory=History)


def _records(day: date, step: StepSpec, n_days: int, does_all: bool, weights: tuple[float, ...],
             stomp_bw: float) -> dict[str, list]:
    out: dict[str, list] = {"sets": [], "holds": [], "stomps": [], "minutes": [], "tests": []}
    sides = max(1, len(step.sides))
    if step.kind == "strength" and step.test:
        true_1rm = 8.0 * (1 + 0.01 * n_days / 7)  # a little stronger each week
        weight = max([w for w in weights if w <= 0.7 * true_1rm] or [min(weights)])
        reps = max(2, min(10, int(30 * (true_1rm / weight - 1))))
        out["tests"].append(OneRmSet(day, step.exercise_id, weight, reps))
    elif step.kind == "strength":
        for _ in range(step.sets * sides):
            out["sets"].append(SetResult(day, step.exercise_id,
                                       step.reps if does_all else step.reps - 2, step.reps,
                                       step.load_kg))
    elif step.kind in ("extensor", "balance"):
        for _ in range(step.holds * sides):
            out["holds"].append(HoldResult(day, step.exercise_id,
                                         step.hold_s if does_all else step.hold_s / 2,
                                         step.hold_s))
    elif step.kind == "stomp":
        attempts = 2 * step.per_foot
        hits = attempts if stomp_bw >= step.target_bw and does_all else attempts // 2
        out["stomps"].append(StompSet(day, hits, attempts, step.target_bw))
    elif step.kind == "cardio":
        out["minutes"].append(ActiveMinutes(day, step.duration_s / 60 if does_all
                                            else step.duration_s / 120))
    return out


def live(config, catalogue, start: date, days: int,
         does_all: Callable[[date, str], bool] = lambda d, e: True,
         hurts: tuple[Hurt, ...] = (), cleared_pain=None) -> Life:
    """Run ``days`` days from ``start``; the person's stomps grow from 1.6 BW by 0.02 a week."""
    profile, caps = profile_from(config), caps_from(config)
    state, life = initial_state(config), Life()
    records: dict[str, list] = {"sets": [], "holds": [], "stomps": [], "minutes": [],
                                "tests": []}
    weights = tuple(float(w) for w in config.program["weights_kg"])
    for n in range(days):
        day = start + timedelta(days=n)
        life.states.append((day, state))
        plan = day_plan(config, catalogue, day, state)
        for slot in SLOTS:
            for step in session_steps(plan, slot, config, catalogue, state=state):
                life.steps.append((day, step))
                stomp_bw = 1.6 + 0.02 * n / 7
                for key, rows in _records(day, step, n, does_all(day, step.exercise_id),
                                          weights, stomp_bw).items():
                    records[key] += rows
        for key in ("sets", "holds", "stomps", "minutes"):  # the rules look back six weeks
            while records[key] and records[key][0].day < day - timedelta(days=WINDOW_DAYS):
                records[key].pop(0)
        life.history = History(sets=tuple(records["sets"]), holds=tuple(records["holds"]),
                               stomps=tuple(records["stomps"]),
                               minutes=tuple(records["minutes"]),
                               tests=tuple(records["tests"]),
                               hurts=tuple(h for h in hurts if h.day <= day))
        state, decisions = progress(state, life.history, catalogue, profile, caps,
                                    day + timedelta(days=1), cleared_pain)
        life.decisions += decisions
    return life

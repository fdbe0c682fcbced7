"""Progression on the real log: the logged facts become ``History``, and a day's run is kept.

The log holds what was done (sets, holds, landings, minutes, tests, pain answers) and, once a
day, a *run*: the ``ProgressState`` the plan uses from that day on and the ``Decision``s that
led to it. A day's run reads only what was logged before that day (``plan_date < today``),
so it comes out the same whenever it happens that day, and a second run is refused by the
log (one run per day): deterministic and idempotent. ``plan`` and ``report`` compute the same
run in memory when the kiosk has not written today's yet; only the kiosk writes it.

Pure: the facts are arguments (``store.facts``), so this is tested with literal rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.program.catalogue import Catalogue
from kiosk.program.model import Profile
from kiosk.program.progression import (
    ActiveMinutes,
    Caps,
    Decision,
    History,
    HoldResult,
    Hurt,
    OneRmSet,
    ProgressState,
    SetResult,
    StompSet,
    progress,
)

if TYPE_CHECKING:  # the log's rows, read by the store; only their fields are used here
    from kiosk.store.facts import ProgressFacts

#: How far back the rules look: the longest is the two full sessions of a strength exercise
#: done twice a week; six weeks also covers a stomp target's last four sets (as ``simulate``).
WINDOW_DAYS = 42


@dataclass(frozen=True, slots=True)
class DayRun:
    """The state the plan uses on ``day`` and the decisions taken that morning (``logged``:
    the kiosk has written it; False: worked out in memory by a reader)."""

    day: date
    state: ProgressState
    decisions: tuple[Decision, ...] = ()
    logged: bool = False


def history_from(facts: ProgressFacts) -> History:
    """The rules' input from the log's rows. A one-leg stance logged by the mat (best and total
    of its attempts per side) counts as its attempts, each held for the mean time."""
    day = date.fromisoformat
    holds = [HoldResult(day(h.plan_date), h.exercise_id, h.held_s, h.target_s)
             for h in facts.holds]
    for b in facts.balance:
        mean_s = b.total_s / b.attempts if b.attempts else 0.0
        holds += [HoldResult(day(b.plan_date), b.exercise_id, mean_s, b.ceiling_s)] \
            * max(0, b.attempts)
    return History(
        sets=tuple(SetResult(day(s.plan_date), s.exercise_id, s.reps, s.target_reps, s.load_kg)
                   for s in facts.sets),
        holds=tuple(holds),
        stomps=tuple(StompSet(day(s.plan_date), s.hits, s.attempts, s.target_bw)
                     for s in facts.stomps),
        minutes=tuple(ActiveMinutes(day(m.plan_date), m.seconds / 60) for m in facts.minutes),
        tests=tuple(OneRmSet(day(t.plan_date), t.exercise_id, t.weight_kg, t.reps)
                    for t in facts.tests),
        hurts=tuple(Hurt(day(h.plan_date), h.exercise_id) for h in facts.hurts))


def run_day(last: DayRun | None, first: ProgressState, facts: ProgressFacts,
            catalogue: Catalogue, profile: Profile, caps: Caps, today: date,
            cleared_pain: Mapping[str, date] | None = None) -> DayRun:
    """Today's run: the last logged one when it is today's, else ``progress`` from it (or from
    ``first``, where a new person starts) over ``facts`` (rows logged before today)."""
    if last is not None and last.day == today:
        return last
    state = last.state if last is not None else first
    new, decisions = progress(state, history_from(facts), catalogue, profile, caps, today,
                              cleared_pain)
    return DayRun(today, new, decisions)


def window(today: date) -> tuple[date, date]:
    """The plan dates a run reads: ``WINDOW_DAYS`` back, up to the day before ``today``."""
    return today - timedelta(days=WINDOW_DAYS), today - timedelta(days=1)


def cleared_from(names: Iterable[str], on: date | None) -> dict[str, date]:
    """The profile's pain clearance (``pain_cleared`` on ``pain_cleared_on``) as the rules
    take it: each exercise named, cleared on that day."""
    return {ex: on for ex in names} if on is not None else {}


# --- the state as the log keeps it (JSON) ---------------------------------------------------

def state_to_dict(state: ProgressState) -> dict[str, Any]:
    """Plain JSON values; ``state_from_dict`` reads them back equal."""
    return {"loads_kg": dict(state.loads_kg),
            "tested_on": {k: v.isoformat() for k, v in state.tested_on.items()},
            "one_rm_kg": dict(state.one_rm_kg), "rungs": dict(state.rungs),
            "holds": dict(state.holds), "hold_s": dict(state.hold_s),
            "stomp_target_bw": state.stomp_target_bw, "weekly_min": state.weekly_min,
            "minutes_week": state.minutes_week.isoformat() if state.minutes_week else None,
            "retest_due": sorted(state.retest_due),
            "paused": {k: v.isoformat() for k, v in state.paused.items()}}


def state_from_dict(data: Mapping[str, Any]) -> ProgressState:
    """The inverse of ``state_to_dict``."""
    day = date.fromisoformat
    week = data.get("minutes_week")
    return ProgressState(
        loads_kg={k: float(v) for k, v in data.get("loads_kg", {}).items()},
        tested_on={k: day(v) for k, v in data.get("tested_on", {}).items()},
        one_rm_kg={k: float(v) for k, v in data.get("one_rm_kg", {}).items()},
        rungs={k: int(v) for k, v in data.get("rungs", {}).items()},
        holds={k: int(v) for k, v in data.get("holds", {}).items()},
        hold_s={k: int(v) for k, v in data.get("hold_s", {}).items()},
        stomp_target_bw=float(data.get("stomp_target_bw", 1.5)),
        weekly_min=int(data.get("weekly_min", 70)),
        minutes_week=day(week) if week else None,
        retest_due=frozenset(data.get("retest_due", ())),
        paused={k: day(v) for k, v in data.get("paused", {}).items()})

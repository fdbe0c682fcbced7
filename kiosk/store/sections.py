"""The report's judgements over typed log rows (``facts.py``): pure, so tested with literal rows.

A block counts as done in a session only when its dose was met, as the prescription of
``shared/seed/best-workouts-for-osteoporosis.txt`` sets it and the step logged it:

- stomps: at least ``per_foot`` stomps *at target* on each foot (the article's "4 stomps on each
  foot", counted only when the landing reached the target force, ``program.stomp_target_bw``);
- strength: every prescribed set with at least the prescribed reps (a set cut short is part);
- stretches, the back exercise, marching: the step ran to its end (holds held to their time,
  minutes marched); the step machines end "done" only there.

Something done below the dose is "part" (◐). A day counts each slot (morning, evening, extra)
once, so a session repeated after a crash counts once; a stopped or interrupted session counts
what it did. Sections whose rows another pass will log say plainly that nothing is recorded yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from kiosk.store import balance_report
from kiosk.store.balance_report import MatReport
from kiosk.store.facts import (
    Clearance,
    Interval,
    PainFlag,
    Progression,
    SessionRow,
    StepFact,
)

#: Why a step that was begun was not finished, in words a helper reads.
WHY = {"skipped": "skipped by the person (foot or button)",
       "stopped": "the session was stopped during it",
       "interrupted": "cut short (power cut or crash)",
       "in progress": "still going"}
#: "It hurt" this many times on one exercise in the report's weeks raises a flag (DESIGN.md:
#: "flag repeats to the helper").
REPEAT_PAIN = 2
NOT_RECORDED = "not recorded yet"


def name_of(exercise_id: str, names: Mapping[str, str]) -> str:
    """The name a person uses; the id only for an exercise the catalogue no longer has."""
    return names.get(exercise_id, exercise_id.replace("_", " "))


def step_dose(f: StepFact, per_foot_default: int = 4) -> str:
    """``met``, ``part`` (something done below the dose) or ``none`` for one step."""
    if f.kind == "stomp":
        per = f.per_foot or per_foot_default
        if f.stomps_left >= per and f.stomps_right >= per:
            return "met"
        return "part" if f.landings else "none"
    if f.kind == "strength" and f.sets_due:
        if f.full_sets >= f.sets_due:
            return "met"
        return "part" if f.sets else "none"
    if f.status == "done":
        return "met"
    return "part" if f.sets or f.holds or f.marched_s > 0 or f.landings else "none"


def block_days(facts: Iterable[StepFact],
               per_foot_default: int = 4) -> list[tuple[str, str, int, int]]:
    """``(plan_date, block, slots met, slots part)``: each slot of a day counts once (a session
    run again after a crash is the same slot); a block is met in a slot when every one of its
    steps in some session of that slot met its dose."""
    per_session: dict[tuple[str, str, str, int], list[str]] = defaultdict(list)
    for f in facts:
        per_session[f.plan_date, f.block, f.slot, f.session_id].append(
            step_dose(f, per_foot_default))
    met: dict[tuple[str, str], set[str]] = defaultdict(set)
    part: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (day, block, slot, _), doses in per_session.items():
        if all(d == "met" for d in doses):
            met[day, block].add(slot)
        elif any(d != "none" for d in doses):
            part[day, block].add(slot)
    keys = sorted(set(met) | set(part))
    return [(d, b, len(met[d, b]), len(part[d, b] - met[d, b])) for d, b in keys]


def skipped(facts: Iterable[StepFact], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Steps begun and not finished, with why, oldest first."""
    out = []
    for f in facts:
        why = WHY.get(f.status) or (WHY.get(f.session_status) if f.status == "running" else None)
        if why:
            out.append({"date": f.plan_date, "slot": f.slot, "exercise_id": f.exercise_id,
                        "name": name_of(f.exercise_id, names), "block": f.block,
                        "status": f.status if f.status != "running" else f.session_status,
                        "why": why})
    return out


def short_of_dose(facts: Iterable[StepFact], names: Mapping[str, str],
                  per_foot_default: int = 4) -> list[dict[str, Any]]:
    """Steps that ended "done" below their dose: stomps that did not reach the target on
    every stomp, sets cut short. The grid shows them ◐; this says what was missing."""
    out = []
    for f in facts:
        if f.status != "done" or step_dose(f, per_foot_default) == "met":
            continue
        if f.kind == "stomp":
            per = f.per_foot or per_foot_default
            what = f"stomps at target: left {f.stomps_left}/{per}, right {f.stomps_right}/{per}"
        else:
            what = f"full sets {f.full_sets}/{f.sets_due}"
        out.append({"date": f.plan_date, "slot": f.slot, "exercise_id": f.exercise_id,
                    "name": name_of(f.exercise_id, names), "block": f.block, "what": what})
    return out


def pain(facts: Iterable[StepFact], names: Mapping[str, str]) -> dict[str, Any]:
    """The "did that hurt?" answers: each "it hurt", how many were asked, how many went
    unanswered (a stretch that ran to its end with no tap), and repeats raised as flags."""
    hurt, asked, answered, unanswered = [], 0, 0, []
    per_exercise: dict[str, int] = defaultdict(int)
    for f in facts:
        if f.kind == "stretch" and f.status == "done":
            asked += 1
            if not f.pain_answers:
                unanswered.append({"date": f.plan_date, "exercise_id": f.exercise_id,
                                   "name": name_of(f.exercise_id, names)})
        answered += f.pain_answers
        for _ in range(f.hurt):
            hurt.append({"date": f.plan_date, "exercise_id": f.exercise_id,
                         "name": name_of(f.exercise_id, names), "block": f.block})
            per_exercise[f.exercise_id] += 1
    flags = [{"exercise_id": ex, "name": name_of(ex, names), "kind": "repeated",
              "detail": f"\"it hurt\" {n} times"}
             for ex, n in sorted(per_exercise.items(), key=lambda kv: (-kv[1], kv[0]))
             if n >= REPEAT_PAIN]
    return {"hurt": hurt, "answered": answered, "asked": asked, "unanswered": unanswered,
            "flags": flags}


def cadence(intervals: Iterable[Interval], weeks: Sequence[date]) -> list[dict[str, Any]]:
    """Per week and kind of day (brisk, gentle): minutes marched, mean cadence (weighted by
    time) against its target, and the share of minutes within 10 steps a minute of it (the
    coach's own "on pace" band, ``coach/steps.py`` ``CADENCE_BAND_SPM``)."""
    acc: dict[tuple[date, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for i in intervals:
        day = date.fromisoformat(i.plan_date)
        a = acc[day - timedelta(days=day.weekday()), i.block]
        a[0] += i.seconds
        a[1] += i.cadence_spm * i.seconds
        a[2] += i.target_spm * i.seconds
        a[3] += i.seconds if abs(i.cadence_spm - i.target_spm) <= 10 else 0.0
    out = []
    for block in ("cardio_high", "cardio_low"):
        rows = []
        for w in weeks:
            secs, spm, target, on = acc.get((w, block), (0.0, 0.0, 0.0, 0.0))
            rows.append({"start": w.isoformat(), "minutes": round(secs / 60, 1),
                         "mean_spm": round(spm / secs, 1) if secs else None,
                         "target_spm": round(target / secs, 1) if secs else None,
                         "on_pace_share": round(on / secs, 2) if secs else None})
        out.append({"block": block, "weeks": rows})
    return out


def missed_days(facts: Iterable[StepFact], first: date | None, window_first: date,
                today: date) -> list[str]:
    """Days before today, from the first logged day on, with nothing at all logged."""
    if first is None:
        return []
    logged = {f.plan_date for f in facts}
    day, out = max(first, window_first), []
    while day < today:
        if day.isoformat() not in logged:
            out.append(day.isoformat())
        day += timedelta(days=1)
    return out


def last_session(session: SessionRow | None) -> dict[str, Any] | None:
    """The newest session: when, which slot, how it ended, steps done of started."""
    if session is None:
        return None
    return {"date": session.plan_date, "slot": session.slot, "start": session.started_local,
            "status": session.status, "minutes": session.minutes,
            "steps_done": session.steps_done, "steps_total": session.steps_total}


def waiting(name: str, rows: Sequence[Any], waits_for: str, as_dict) -> dict[str, Any]:
    """A section fed by rows another pass will log: its rows, or "not recorded yet"."""
    if rows:
        return {"status": "recorded", "rows": [as_dict(r) for r in rows]}
    return {"status": "not_recorded", "rows": [], "note": f"{name}: {NOT_RECORDED}",
            "waits_for": waits_for}


def later_sections(*, progression: Sequence[Progression] = (),
                   pain_flags: Sequence[PainFlag] = (), clearance: Clearance | None = None,
                   impact_cleared: bool = False, mat: MatReport | None = None,
                   names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The program's sections (rendered when their rows exist) and the mat's balance and chair
    sections (``balance_report.sections``: what it measured in the report's weeks)."""
    names = names or {}

    def named(row: Any) -> dict[str, Any]:
        d = {k: getattr(row, k) for k in row.__slots__}
        if "exercise_id" in d:
            d["name"] = name_of(d["exercise_id"], names)
        return d

    if clearance is not None:
        clear = {"status": "recorded", "impact_cleared": impact_cleared, **named(clearance)}
    else:
        clear = {"status": "not_recorded", "impact_cleared": impact_cleared,
                 "note": f"who cleared impact work, and when: {NOT_RECORDED}",
                 "waits_for": "profile clearance keys (program pass)"}
    return {
        "progression": waiting("progression decisions", progression,
                               "progression records with reasons (program pass)", named),
        "paused": waiting("paused exercises", pain_flags,
                          "pain flags and paused exercises (program pass)", named),
        "clearance": clear,
        **balance_report.sections(mat),
    }

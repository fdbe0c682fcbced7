"""Progression on the real log: what a simulated person logs through the recorder into SQLite
is read back, the day's run is decided and logged once, and plan, kiosk and report use it."""

import html
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.coach.events import Log
from kiosk.coach.recorder import Recorder
from kiosk.config import defaults
from kiosk.program.catalogue import load_catalogue
from kiosk.program.ledger import state_from_dict, state_to_dict
from kiosk.program.model import StepSpec
from kiosk.program.plan import SLOTS, day_plan, session_steps
from kiosk.progress_log import day_run, run_today
from kiosk.store import report_html, reports
from kiosk.store.commands import collect_later, collect_report
from kiosk.store.db import Store
from kiosk.store.records import (
    Held,
    IntervalDone,
    Landed,
    OneRepMaxTested,
    PainAnswered,
    SessionFinished,
    SetDone,
    StepFinished,
    StepStarted,
)

MONDAY = date(2026, 9, 7)
WEIGHTS = [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0]


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def _cfg(**profile):
    return defaults().replace(
        profile={"fracture_history": "no", "impact_cleared": True, "body_mass_kg": 70.0,
                 "impact_cleared_by": "Dr Okafor, GP", "impact_cleared_on": "2026-09-01",
                 **profile},
        program={"weights_kg": WEIGHTS, "stomp_ceiling_bw": 2.0})


def _target(spec: StepSpec) -> dict:
    return {k: v for k, v in (("per_foot", spec.per_foot), ("target_bw", spec.target_bw),
                              ("hold_s", spec.hold_s), ("holds", spec.holds),
                              ("sets", spec.sets), ("reps", spec.reps), ("load_kg", spec.load_kg),
                              ("duration_s", spec.duration_s), ("test", spec.test)) if v}


def _did(spec: StepSpec, n_days: int, stomp_bw: float, hurt: bool) -> list:
    """What a person who does everything in full logs for one step (as ``simulate``)."""
    sides = max(1, len(spec.sides))
    if spec.kind == "strength" and spec.test:
        true_1rm = 8.0 * (1 + 0.01 * n_days / 7)
        weight = max([w for w in WEIGHTS if w <= 0.7 * true_1rm] or [min(WEIGHTS)])
        reps = max(2, min(10, int(30 * (true_1rm / weight - 1))))
        return [SetDone(1, reps, weight),
                OneRepMaxTested(spec.exercise_id, weight, reps, 0.0, 0.0)]
    if spec.kind == "strength":
        return [SetDone(n + 1, spec.reps, spec.load_kg) for n in range(spec.sets * sides)]
    if spec.kind in ("extensor", "balance"):
        return [Held(s or "both", spec.hold_s, spec.hold_s)
                for s in (spec.sides or ("",)) for _ in range(spec.holds)]
    if spec.kind == "stomp":
        hit = stomp_bw >= spec.target_bw
        return [Landed(f, 1.0, stomp_bw, hit) for f in ("left", "right")
                for _ in range(spec.per_foot)]
    if spec.kind == "cardio":
        return [IntervalDone(spec.duration_s, int(spec.duration_s * 1.8), 108.0,
                             spec.target_spm)]
    if spec.kind == "stretch":
        return [Held(s or "both", spec.hold_s, spec.hold_s) for s in (spec.sides or ("",))] \
            + [PainAnswered(hurt=hurt)]
    return []


def _live(store, cfg, cat, days, hurts=()):
    """``days`` days from MONDAY: each morning today's run (written once), then both sessions
    at its state through the recorder, one record at a time."""
    runs = []
    for n in range(days):
        day = MONDAY + timedelta(days=n)
        now = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        run = run_today(store, cfg, cat, day, lambda now=now: now)
        runs.append(run)
        plan = day_plan(cfg, cat, day, run.state)
        for slot in SLOTS:
            steps = session_steps(plan, slot, cfg, cat, store.latest_onerm_targets(),
                                  state=run.state)
            rec = Recorder(store, slot=slot, plan_date=day, utc_now=lambda now=now: now)
            for i, spec in enumerate(steps):
                rec.apply(Log(i, StepStarted(spec.exercise_id, spec.kind, spec.block,
                                             _target(spec), spec.title)))
                hurt = (day, spec.exercise_id) in hurts
                for r in _did(spec, n, 1.6 + 0.02 * n / 7, hurt):
                    rec.apply(Log(i, r))
                rec.apply(Log(i, StepFinished("done")))
            rec.apply(Log(len(steps), SessionFinished("done")))
    return runs


@pytest.fixture(scope="module")
def twelve_weeks(cat):
    store = Store.memory()
    cfg = _cfg()
    hurts = {(MONDAY + timedelta(20), "shin_stretch"), (MONDAY + timedelta(23), "shin_stretch")}
    runs = _live(store, cfg, cat, 84, hurts)
    yield store, cfg, runs
    store.close()


def test_twelve_weeks_on_the_log_fire_every_rule_once_a_day(twelve_weeks):
    store, _, runs = twelve_weeks
    rows = store._rows("SELECT rule, COUNT(*) FROM decisions GROUP BY rule")
    assert {rule for rule, _ in rows} == {"strength_load", "retest", "variant", "stomp_target",
                                          "holds", "hold_time", "minutes", "pain"}
    days = store._rows("SELECT COUNT(*), COUNT(DISTINCT plan_date) FROM progress_runs")[0]
    assert days == (84, 84)
    first, last = runs[0].state, runs[-1].state
    assert last.stomp_target_bw > first.stomp_target_bw and last.weekly_min > first.weekly_min
    assert last.loads_kg and last.rung("balance") > 1
    assert "shin_stretch" in last.paused


def test_a_run_is_idempotent_and_reads_only_the_days_before(twelve_weeks, cat):
    store, cfg, runs = twelve_weeks
    day = runs[-1].day
    again = run_today(store, cfg, cat, day, lambda: datetime.now(UTC))
    assert again.logged and again.state == runs[-1].state
    assert store._rows("SELECT COUNT(*) FROM progress_runs")[0][0] == 84
    tomorrow = day + timedelta(days=1)
    a, b = day_run(store, cfg, cat, tomorrow), day_run(store, cfg, cat, tomorrow)
    assert a == b and not a.logged  # worked out in memory, the same each time


def test_the_paused_exercise_leaves_the_plan_until_the_helper_clears_it(twelve_weeks, cat):
    store, cfg, runs = twelve_weeks
    late = runs[-1]
    assert "shin_stretch" not in day_plan(cfg, cat, late.day, late.state).exercise_ids()
    cleared = cfg.replace(profile={"pain_cleared": ["shin_stretch"],
                                   "pain_cleared_on": late.day.isoformat()})
    back = day_run(store, cleared, cat, late.day + timedelta(days=1))
    assert "shin_stretch" not in back.state.paused
    assert any(d.rule == "pain" and d.after == "on" for d in back.decisions)


def test_the_report_shows_decisions_the_pause_on_top_and_who_cleared_impact(twelve_weeks):
    store, cfg, runs = twelve_weeks
    today = runs[-1].day
    rx = reports.Prescription.from_config(cfg, True)
    names = {e.id: e.name for e in load_catalogue().values()}
    later = collect_later(store, cfg, rx, today, names=names)
    data = collect_report(store, rx, today, names=names, later=later)
    lines = [r["line"] for r in data["progression"]["rows"]]
    assert data["progression"]["status"] == "recorded"
    assert any(" kg on " in line and line.endswith("all sets done twice") for line in lines)
    assert any(line.startswith("stomps ") and " BW on " in line for line in lines)
    assert data["clearance"]["who"] == "Dr Okafor, GP"
    assert data["clearance"]["when"] == "2026-09-01"
    text = reports.render(data)
    top = text.splitlines()[:6]
    assert any(line.startswith("PAIN FLAGS:") for line in top)
    assert "Front of ankle stretch" in " ".join(top) and "paused since" in " ".join(top)
    assert "Progression decisions:" in text
    page = report_html.render_html(data)
    assert "<li>" + html.escape(lines[0]) + "</li>" in page
    assert page.index("paused since") < page.index("Progression decisions")  # on top


def test_the_state_survives_the_log_as_json(twelve_weeks):
    state = twelve_weeks[2][-1].state
    assert state_from_dict(state_to_dict(state)) == state

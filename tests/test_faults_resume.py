"""Resume after a crash or power cut (issue 13 point 3): the pure plan of what is left, then a
real kiosk process killed with SIGKILL mid-session and a new App on the same log carrying on."""

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk import config
from kiosk.app import App
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.coach import cues
from kiosk.coach.resume import Carried, rest_of, resume_plan
from kiosk.mat.link import MatLink
from kiosk.mat.sim import KeyboardMat
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from tests.test_app import HeardVoice, calibration_for

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2026, 11, 24)
STOMP = StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=2, target_bw=1.5)
LIFT = StepSpec("strength", "band_pull", "Band pull", (), block="strength", sets=3, reps=2,
                rest_s=5.0, load_kg=2.0)
STRETCH = StepSpec("stretch", "calf", "Calf stretch", (), block="stretch", hold_s=20.0)
STEPS = [STOMP, LIFT, STRETCH]


def logged(sid, *steps):
    return {"id": sid, "status": "interrupted", "steps": [
        {"id": i, "exercise_id": ex, "kind": kind, "status": status, "logged": dict(rows),
         "feet": feet, "marched_s": 0.0}
        for i, (ex, kind, status, rows, feet) in enumerate(steps, start=10)]}


def test_done_steps_are_left_out_and_the_interrupted_one_keeps_what_it_logged():
    so_far = logged(7, ("stomps", "stomp", "done", {"landings": 4}, {"left": (2, 2)}),
                    ("band_pull", "strength", "interrupted", {"strength_sets": 1}, {}))
    plan = resume_plan(STEPS, so_far)
    assert plan is not None and plan.session_id == 7 and (plan.done, plan.total) == (1, 3)
    assert [s.exercise_id for s in plan.steps] == ["band_pull", "calf"]
    assert plan.steps[0].sets == 2  # one of three sets was logged
    assert plan.carried == {0: Carried(11, {}, sets=1)}


def test_nothing_to_carry_on_when_the_session_ended_or_is_not_there():
    assert resume_plan(STEPS, None) is None
    assert resume_plan(STEPS, {**logged(7, ("stomp", "stomp", "done", {}, {})),
                               "status": "stopped"}) is None  # the person chose to stop


def test_the_rest_of_each_kind_of_step():
    assert rest_of(STOMP, Carried(1, {"left": (2, 1), "right": (2, 2)})) is None  # all tries
    assert rest_of(STOMP, Carried(1, {"left": (1, 1)})) == STOMP  # the machine counts on
    assert rest_of(LIFT, Carried(1, sets=3)) is None
    two_sides = StepSpec("stretch", "hip", "Hip", (), block="stretch", hold_s=20.0,
                         sides=("left", "right"))
    assert rest_of(two_sides, Carried(1, holds=1)).sides == ("right",)
    march = StepSpec("cardio", "march", "March", (), block="cardio_low", duration_s=600.0,
                     target_spm=100.0)
    assert rest_of(march, Carried(1, marched_s=420.0)).duration_s == 180.0
    assert rest_of(march, Carried(1, marched_s=590.0)).duration_s == 30.0
    assert rest_of(march, Carried(1, marched_s=600.0)) is None


CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from datetime import datetime
    from kiosk import config
    from kiosk.app import App
    from kiosk.clock import FakeClock, FixedWallClock
    from kiosk.mat.link import MatLink
    from kiosk.mat.sim import KeyboardMat
    from kiosk.store.db import Store
    from tests.test_app import HeardVoice, calibration_for
    from tests.test_faults_resume import STEPS, FPS

    cfg = config.defaults().replace(profile={{"impact_cleared": True,
                                              "fracture_history": "no"}})
    clock = FakeClock()
    mat = KeyboardMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration=None, save_to=None)
    store = Store.open({log!r}, backup=False)
    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=HeardVoice(), store=store,
              steps_for=lambda slot: STEPS, keyboard=mat,
              wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
    link.use(calibration_for(app))

    def frames(seconds):
        for _ in range(round(seconds * FPS)):
            clock.advance(1 / FPS)
            app.frame(paint=False)

    app.key("space")
    frames(2.0)
    for foot in ("left", "left", "right", "right"):
        app.key(foot)
        frames(1.5)
    while store.sessions(limit=1)[0]["sets"] < 1:
        frames(0.5)
    frames(7.0)  # into the second set's reps
    print("mid-session", app.session.view.step.kind, flush=True)
    time.sleep(600)
""")
FPS = 30


@pytest.mark.slow
def test_a_killed_session_carries_on_in_a_new_process_and_the_day_counts_once(tmp_path):
    path = tmp_path / "log.sqlite"
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(root=str(ROOT), log=str(path))],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=ROOT, env={**os.environ, "SDL_AUDIODRIVER": "dummy"})
    try:
        line = child.stdout.readline()
        assert line.strip() == "mid-session strength", child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)  # a power cut, as far as the log can tell
        child.wait(30)
    store = Store.open(path, backup=False)  # start-up closes what was left running
    try:
        before = store.session_so_far(DAY, "morning")
        assert before["status"] == "interrupted"
        assert [(s["exercise_id"], s["status"]) for s in before["steps"]] == [
            ("stomps", "done"), ("band_pull", "interrupted")]
        assert before["steps"][1]["logged"]["strength_sets"] == 1
        cfg = config.defaults().replace(profile={"impact_cleared": True,
                                                 "fracture_history": "no"})
        clock = FakeClock()
        mat = KeyboardMat(clock, rate_hz=250)
        link = MatLink.from_config(cfg, calibration=None, save_to=None)
        voice = HeardVoice()
        app = App(config=cfg, clock=clock, mat=mat, link=link, speech=voice, store=store,
                  steps_for=lambda slot: STEPS, keyboard=mat,
                  wall=FixedWallClock(datetime(2026, 11, 24, 10, 5)))
        link.use(calibration_for(app))
        app.key("space")  # stepping on carries on by itself
        for _ in range(FPS * 2):
            clock.advance(1 / FPS)
            app.frame(paint=False)
        assert app.mode == "session" and cues.carry_on(1, 3) in voice.said
        assert [t for t, _ in app.session.view.planned] == ["Band pull", "Calf stretch"]
        assert app.recorder.session_id == before["id"]
        # a bound, not a wait (about 130 s now): each line is heard in full before what follows,
        # and the stretch's pain question stays open PAIN_WAIT_S
        for _ in range(FPS * 600):
            clock.advance(1 / FPS)
            app.frame(paint=False)
            if app.mode != "session":
                break
        assert app.mode == "summary" and app.session.view.status == "done"
        sessions = store.sessions(since=DAY, limit=None)
        assert len(sessions) == 1 and sessions[0]["status"] == "done"
        assert (sessions[0]["stomps_left"], sessions[0]["stomps_right"]) == (2, 2)  # once
        steps = store.steps_of(before["id"])
        assert [(s["exercise_id"], s["status"]) for s in steps] == [
            ("stomps", "done"), ("band_pull", "done"), ("calf", "done")]
        sets = store._conn.execute("SELECT set_no FROM strength_sets WHERE step_id = ? "
                                   "ORDER BY id", (steps[1]["id"],)).fetchall()
        assert [n for (n,) in sets] == [1, 2, 3]  # the first set kept, the rest joined it
        counts = {(d, block): n for d, block, n in store.day_counts()}
        assert counts[(DAY.isoformat(), "strength")] == 1
        assert counts[(DAY.isoformat(), "stomps")] == 1
    finally:
        store.close()


def test_carried_stomps_go_on_with_the_foot_and_tries_that_are_left():
    from kiosk.coach.events import Tick
    from tests.test_coach_engine import Driver, land

    d = Driver(STOMP, carried={0: Carried(5, {"left": (2, 1), "right": (1, 1)})},
               opening=cues.carry_on(0, 1))
    d.send(Tick(0.0))
    d.heard()  # the welcome back, then the foot and the tries left, each in full
    assert d.says() == [cues.carry_on(0, 1), cues.stomp_foot("right", 1)]
    land(d, "right", 2.0)
    assert d.s.finished and d.s.view.done == (("Stomps", "stomp", "done"),)


def test_a_fault_that_outlasts_the_pause_limit_sets_the_session_aside_to_carry_on():
    """A mat fault never decides: after ``stop_after_pause_s`` the session is interrupted, not
    stopped, and the next start carries it on with the stomps it had."""
    from kiosk.coach.events import Log
    from kiosk.coach.recorder import Recorder
    from tests.test_coach_engine import Driver, land
    from tests.test_faults_mat import fault_at

    d = Driver(STOMP, LIFT, stop_after_pause_s=60.0)
    d.run(3)
    land(d, "left", 2.0)
    d.send(fault_at(d.t))
    d.run(61)
    assert d.s.finished and d.s.view.status == "interrupted"
    store = Store.memory()
    rec = Recorder(store, slot="morning", plan_date=DAY)
    for _, e in d.effects:
        if isinstance(e, Log):
            rec.apply(e)
    plan = resume_plan(STEPS, store.session_so_far(DAY, "morning"))
    assert plan is not None and plan.steps[0] == STOMP
    assert plan.carried[0].stomps == {"left": (1, 1)}
    store.close()

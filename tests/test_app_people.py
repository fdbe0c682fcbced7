"""Two people, one kiosk, stepped frame by frame: the mat recognises who stepped on by their
standing load, greets them and waits for their foot tap; a person it cannot tell is asked
with the feet; each session is that person's, in the log and on the mat."""

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import config
from kiosk.app import App
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.coach import cues
from kiosk.mat.force import Calibration
from kiosk.mat.link import MatLink
from kiosk.mat.sim import SimMat
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from kiosk.store.records import SessionFinished
from kiosk.ui.views import build
from kiosk.wiring import calibration_path
from tests.test_app import FPS, HeardVoice

STEPS = [StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=1, target_bw=1.5)]
BERT_BODY = 1.35  # Bert is 35 % heavier than Anna: far apart at the sensor's 2 % noise


def household(tmp_path: Path, bert: str = "") -> config.Config:
    text = (f'[storage]\ndata_dir = "{tmp_path}"\n'
            '[people.anna.profile]\nname = "Anna"\nimpact_cleared = true\n'
            '[people.bert.profile]\nname = "Bert"\nimpact_cleared = true\n' + bert)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return config.load(path)


def frames(app, clock, seconds):
    for _ in range(round(seconds * FPS)):
        clock.advance(1 / FPS)
        app.frame()


def until_heard(app, clock):
    """Frames until the chooser's lines have been said: a tap counts from then."""
    for _ in range(FPS * 30):
        if app.who is not None and clock.now() >= app.who_quiet_at + 0.1:
            return
        clock.advance(1 / FPS)
        app.frame()
    pytest.fail("the chooser's lines never ended")


def weigh_in(cfg, clock, key: str, body: float) -> Calibration:
    """A person's own weigh-in on the simulated mat (the calibrator the kiosk runs)."""
    mat = SimMat(clock, rate_hz=250)
    mat.body = body
    link = MatLink.from_config(cfg, calibration=None, save_to=calibration_path(cfg, key))
    link.set_calibrating(True)
    for _ in range(FPS * 2):
        clock.advance(1 / FPS)
        link.feed(mat.drain())
    mat.step_on()
    for _ in range(FPS * 6):
        clock.advance(1 / FPS)
        link.feed(mat.drain())
    assert link.calibration is not None
    link.save_calibration()
    return link.calibration


@pytest.fixture
def kiosk(tmp_path):
    cfg = household(tmp_path)
    clock = FakeClock()
    weigh_in(cfg, clock, "anna", 1.0)
    weigh_in(cfg, clock, "bert", BERT_BODY)
    mat = SimMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration="saved", save_to=calibration_path(cfg, "anna"))
    store = Store.memory()
    voice = HeardVoice()
    planned: list[str] = []

    def plan_for(person_cfg, person_store):
        planned.append(person_cfg.profile.name)
        return lambda slot: STEPS

    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=voice, store=store,
              steps_for=lambda slot: pytest.fail("a household plans per person"),
              wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)), plan_for=plan_for,
              calibration_of=lambda key: calibration_path(cfg, key))
    yield app, clock, mat, voice, store, planned
    store.close()


def test_the_mat_greets_the_heavier_person_by_name_and_waits_for_their_tap(kiosk):
    app, clock, mat, voice, store, planned = kiosk
    frames(app, clock, 1.0)
    mat.body = BERT_BODY
    mat.step_on()
    frames(app, clock, 3.0)
    assert app.mode == "who" and app.who is not None
    view = app.who.view()
    assert (view.headline, view.name, view.matched) == ("Hello, Bert!", "Bert", True)
    assert voice.said[-3:] == ["Hello, Bert!", *cues.WHO_HOW]  # every line said and shown
    screen = build(app.ui_state())
    assert screen.name == "who"
    shown = [it.text for it in screen.items if hasattr(it, "text")]
    assert "Bert" in shown and cues.WHO_HOW[1] in shown  # the caption: the last line said
    until_heard(app, clock)
    frames(app, clock, 5.0)
    assert app.mode == "who"  # no session without the person's own tap
    mat.tap("right")
    frames(app, clock, 4.0)
    assert app.mode == "session" and app.person == "bert" and planned == ["Bert"]
    assert voice.said[voice.said.index("Welcome, Bert."):]  # said before the session begins
    assert not app.link.needs_calibration()  # Bert's own weigh-in, on the mat
    assert app.link.calibration == Calibration.load(calibration_path(app.household, "bert"))
    frames(app, clock, 3.0)
    everyone = store.for_person(None).sessions()
    assert [s["person"] for s in everyone] == ["bert"]


def test_left_foot_goes_through_the_names_and_the_right_one_chooses(kiosk):
    app, clock, mat, voice, _store, _planned = kiosk
    mat.body = 1.0  # Anna
    mat.step_on()
    frames(app, clock, 3.0)
    assert app.who.view().name == "Anna" and app.who.matched
    until_heard(app, clock)
    mat.tap("left")  # not Anna: the next name
    frames(app, clock, 1.0)
    assert app.who.view().name == "Bert" and app.who.view().headline == cues.WHO_HEADLINE
    assert voice.said[-1] == "Is it Bert?"
    until_heard(app, clock)
    mat.tap("right")
    frames(app, clock, 4.0)
    assert app.person == "bert"
    # it was Anna's weight: Bert's reference learns nothing from it
    bert = Calibration.load(calibration_path(app.household, "bert"))
    assert app.link.calibration.bw_conductance == bert.bw_conductance


def test_a_confirmed_match_moves_that_persons_reference_a_bounded_step(kiosk):
    app, clock, mat, _voice, store, _planned = kiosk
    path = calibration_path(app.household, "anna")
    before = Calibration.load(path).bw_conductance
    mat.body = 1.03  # Anna, 3 % heavier than at her weigh-in
    mat.step_on()
    frames(app, clock, 3.0)
    assert app.who.view().name == "Anna" and app.who.matched
    until_heard(app, clock)
    mat.tap("right")
    frames(app, clock, 4.0)
    after = Calibration.load(path).bw_conductance
    assert before < after <= before * 1.01 + 1e-9  # towards her weight, one bounded step
    history = store.for_person("anna").latest_calibration()
    assert history["bw_conductance"] == pytest.approx(after)
    assert store.for_person("bert").latest_calibration() is None


def test_people_too_close_to_tell_apart_are_asked(tmp_path):
    cfg = household(tmp_path)
    clock = FakeClock()
    weigh_in(cfg, clock, "anna", 1.0)
    weigh_in(cfg, clock, "bert", 1.04)  # 4 % apart: inside the 12 % the noise needs
    mat = SimMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration="saved", save_to=calibration_path(cfg, "anna"))
    voice = HeardVoice()
    store = Store.memory()
    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=voice, store=store,
              steps_for=lambda slot: STEPS, plan_for=lambda c, s: (lambda slot: STEPS),
              calibration_of=lambda key: calibration_path(cfg, key),
              wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
    mat.step_on()
    frames(app, clock, 3.0)
    view = app.who.view()
    assert not view.matched and view.headline == cues.WHO_HEADLINE
    assert voice.said[-3] == f"Who is on the mat? Is it {view.name}?"
    store.close()


def test_someone_not_weighed_in_yet_chooses_and_weighs_in_first(tmp_path):
    cfg = household(tmp_path)
    clock = FakeClock()
    weigh_in(cfg, clock, "anna", 1.0)  # Bert has never weighed in
    mat = SimMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration="saved", save_to=calibration_path(cfg, "anna"))
    store = Store.memory()
    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=HeardVoice(), store=store,
              steps_for=lambda slot: STEPS, plan_for=lambda c, s: (lambda slot: STEPS),
              calibration_of=lambda key: calibration_path(cfg, key),
              wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
    mat.body = 1.4
    mat.step_on()
    frames(app, clock, 6.0)
    assert app.who is not None and not app.who.matched  # Anna's is no fit; Bert unknown
    until_heard(app, clock)
    while app.who.view().name != "Bert":
        mat.tap("left")
        frames(app, clock, 1.0)
        until_heard(app, clock)
    mat.tap("right")
    frames(app, clock, 4.0)
    assert app.person == "bert" and app.session is not None
    assert app.session.view.step.kind == "calibrate"  # his own weigh-in comes first
    assert app.link.save_to == calibration_path(cfg, "bert")
    store.close()


def test_stepping_off_while_asked_goes_home_and_forgets_who(kiosk):
    app, clock, mat, _voice, _store, _planned = kiosk
    mat.step_on()
    frames(app, clock, 3.0)
    assert app.mode == "who"
    mat.step_off()
    frames(app, clock, 5.0)
    assert app.mode == "home" and app.person == "" and app.config is app.household
    assert dataclasses.replace(app.household) == app.config


def test_each_persons_reminder_follows_their_own_schedule_and_sessions(tmp_path):
    cfg = household(tmp_path, '[people.bert.schedule]\nmorning = "10:00"\n')
    clock = FakeClock()
    mat = SimMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration=None, save_to=None)
    store = Store.memory()
    voice = HeardVoice()
    wall = FixedWallClock(datetime(2026, 11, 24, 9, 30))
    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=voice, store=store,
              steps_for=lambda slot: STEPS, wall=wall,
              calibration_of=lambda key: calibration_path(cfg, key))
    frames(app, clock, 1.0)
    assert app.ui_state().reminder == "Anna: time for your morning exercises."
    anna = store.for_person("anna")  # Anna does her morning session
    sid = anna.begin_session(slot="morning", started_utc=datetime(2026, 11, 24, 8, 0),
                             plan_date=wall.local().date())
    anna.finish_session(sid, SessionFinished("done"), ended_utc=datetime(2026, 11, 24, 8, 10))
    frames(app, clock, 61.0)
    assert app.ui_state().reminder == ""  # Bert's morning is at 10:00
    wall.at = datetime(2026, 11, 24, 10, 5)
    frames(app, clock, 61.0)
    assert app.ui_state().reminder == "Bert: time for your morning exercises."
    assert voice.said.count("Bert: time for your morning exercises.") == 1
    store.close()


def test_doctor_checks_each_persons_weigh_in_and_says_who_the_mat_cannot_tell_apart(tmp_path):
    from kiosk.mat.doctor import calibration_checks
    from kiosk.mat.force import Layout

    cfg = household(tmp_path, '[people.cleo.profile]\nname = "Cleo"\n')
    clock = FakeClock()
    weigh_in(cfg, clock, "anna", 1.0)
    weigh_in(cfg, clock, "bert", 1.05)  # 5 % apart: too close
    lines = {c.name: c for c in calibration_checks(cfg, Layout.from_config(cfg.mat))}
    assert lines["mat calibration (Anna)"].ok and lines["mat calibration (Bert)"].ok
    assert lines["mat calibration (Cleo)"].ok is None  # weighs in at her first session
    assert "Anna and Bert" in lines["who stepped on"].detail
    assert lines["who stepped on"].ok is None  # a warning: the kiosk asks them

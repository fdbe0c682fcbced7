"""A household taking turns on one mat, stepped frame by frame on the simulated mat with the real
link, calibrator, engine and SQLite log: a paused session is resumed only by its own person,
stepping on is no "that's me", a standing that fits no one is not taken as anyone's weight,
and each person keeps their own drift state, slot and taps."""

from datetime import datetime

import pytest

from kiosk.app import App
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.coach import cues
from kiosk.coach.events import Tick
from kiosk.coach.whoask import Phase, WhoAsk
from kiosk.mat.events import Fault, Feet, Landing, Presence
from kiosk.mat.force import Calibration
from kiosk.mat.link import MatLink
from kiosk.mat.sim import SimMat
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from kiosk.ui.views import build
from kiosk.wiring import calibration_path
from tests.test_app import HeardVoice
from tests.test_app_people import BERT_BODY, STEPS, frames, household, until_heard, weigh_in

STOMPS_2 = [StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=2, target_bw=1.5)]


class FaultyMat:
    """The simulated mat, whose sampler reports a bus that stops answering when told: the
    ``Fault`` the real ADC reader queues (kiosk.mat.adc) among the samples."""

    def __init__(self, mat: SimMat):
        self.mat = mat
        self.pending: list = []

    def drain(self) -> list:
        out = [*self.pending, *self.mat.drain()]
        self.pending = []
        return out

    def fail(self, t: float) -> None:
        self.pending.append(Fault(t, None, "spi", True, "the mat's converter does not answer"))


def make(tmp_path, *, weighed=("anna", "bert"), hour=9, steps=STEPS, mat_source=None):
    cfg = household(tmp_path)
    clock = FakeClock()
    bodies = {"anna": 1.0, "bert": BERT_BODY}
    for key in weighed:
        weigh_in(cfg, clock, key, bodies[key])
    mat = SimMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration="saved", save_to=calibration_path(cfg, "anna"))
    store = Store.memory()
    voice = HeardVoice()
    app = App(config=cfg, clock=clock, mat=mat_source(mat) if mat_source else mat, link=link,
              speech=voice, store=store, steps_for=lambda slot: steps,
              plan_for=lambda c, s: (lambda slot: steps),
              calibration_of=lambda key: calibration_path(cfg, key),
              wall=FixedWallClock(datetime(2026, 11, 24, hour, 30)))
    return app, clock, mat, voice, store


def choose(app, clock, mat, name: str) -> None:
    """On the who question: left taps to ``name``, then the right foot."""
    until_heard(app, clock)
    for _ in range(4):
        if app.who.view().name == name:
            break
        mat.tap("left")
        frames(app, clock, 1.0)
        until_heard(app, clock)
    assert app.who.view().name == name
    mat.tap("right")
    frames(app, clock, 4.0)


def start_as(app, clock, mat, body: float, name: str) -> None:
    mat.body = body
    mat.step_on()
    frames(app, clock, 3.0)
    assert app.mode == "who"
    choose(app, clock, mat, name)
    assert app.mode == "session" and app.config.profile.name == name


def test_someone_else_stepping_onto_a_paused_session_sets_it_aside_and_asks_who(tmp_path):
    app, clock, mat, voice, store = make(tmp_path, steps=STOMPS_2)
    start_as(app, clock, mat, 1.0, "Anna")
    anna_session = app.recorder.session_id
    mat.stomp("left", 2.0)  # one stomp of hers is logged
    frames(app, clock, 3.0)
    mat.step_off()
    frames(app, clock, 5.0)
    assert app.session.view.phase.value == "paused"
    said = len(voice.said)
    mat.body = BERT_BODY  # Bert steps on
    mat.step_on()
    frames(app, clock, 4.0)
    assert cues.RESUMED not in voice.said[said:]  # not "Welcome back" as Anna
    assert app.mode == "who" and app.person == ""
    assert voice.said[said:][-4:] == [cues.set_aside("Anna"), "Hello, Bert!", *cues.WHO_HOW]
    assert app.who.view().name == "Bert" and app.who.view().caption == cues.set_aside("Anna")
    anna = store.for_person("anna").sessions()
    assert [(s["id"], s["status"]) for s in anna] == [(anna_session, "interrupted")]
    choose(app, clock, mat, "Bert")  # Bert's own session, from its start
    assert app.person == "bert" and app.recorder.session_id != anna_session
    assert app.link.calibration == Calibration.load(calibration_path(app.household, "bert"))
    app.command("stop")
    frames(app, clock, 1.0)
    mat.step_off()
    frames(app, clock, 5.0)
    assert app.mode == "home"
    start_as(app, clock, mat, 1.0, "Anna")  # Anna's next start carries hers on
    assert app.recorder.session_id == anna_session
    assert any(line.startswith("Welcome back. We stopped early") for line in voice.said)
    store.close()


def test_the_person_who_paused_is_welcomed_back_to_their_own_session(tmp_path):
    app, clock, mat, voice, store = make(tmp_path)
    start_as(app, clock, mat, 1.0, "Anna")
    session = app.recorder.session_id
    mat.step_off()
    frames(app, clock, 5.0)
    assert app.session.view.phase.value == "paused"
    mat.step_on()
    frames(app, clock, 1.0)
    assert app.session.view.phase.value == "paused"  # her standing is measured first
    frames(app, clock, 2.0)
    assert app.mode == "session" and app.session.view.phase.value == "running"
    frames(app, clock, 5.0)  # said once the pause's own line has had its time
    assert cues.RESUMED in voice.said and app.recorder.session_id == session
    store.close()


def test_two_people_on_a_paused_session_are_no_one_and_are_asked_to_stand_alone(tmp_path):
    app, clock, mat, voice, store = make(tmp_path)
    start_as(app, clock, mat, 1.0, "Anna")
    mat.step_off()
    frames(app, clock, 5.0)
    mat.body = 1.0 + BERT_BODY  # both of them
    mat.step_on()
    frames(app, clock, 4.0)
    assert app.mode == "who" and not app.who.matched
    assert voice.said[-5:-3] == [cues.set_aside("Anna"), cues.WHO_ALONE]
    store.close()


def test_a_standing_that_fits_no_one_asks_to_stand_alone_and_a_far_weigh_in_is_not_kept(
        tmp_path):
    app, clock, mat, voice, store = make(tmp_path)
    path = calibration_path(app.household, "anna")
    before = Calibration.load(path)
    mat.body = 1.0 + BERT_BODY  # Anna with Bert's foot on the mat too
    mat.step_on()
    frames(app, clock, 3.0)
    assert voice.said[-4] == cues.WHO_ALONE and not app.who.matched
    choose(app, clock, mat, "Anna")
    assert app.session.view.step.kind == "calibrate"  # it fitted no one: weigh in again
    mat.step_off()
    frames(app, clock, 4.0)
    mat.step_on()  # ... still with his foot on the mat: 2.35 times her weight
    shown = set()
    for _ in range(25 * 30):  # the weigh-in, then its lines in their turn
        frames(app, clock, 1 / 30)
        shown.add(app.session.view.caption)
    assert app.session.view.step.kind == "stomp"
    assert cues.WHO_FAR in voice.said and cues.WHO_FAR in shown  # said and shown
    assert Calibration.load(path) == before  # her reference is not the two of them
    assert app.link.calibration.bw_conductance == pytest.approx(before.bw_conductance)
    made = store.for_person("anna").latest_calibration()
    assert made is not None and made["bw_conductance"] > 2 * before.bw_conductance
    store.close()


def test_a_drift_found_at_home_still_asks_for_a_weigh_in_once_the_person_is_chosen(tmp_path):
    app, clock, mat, _voice, store = make(tmp_path)
    frames(app, clock, 1.0)
    app.link.drifted = True  # as the link sets it on the detector's drift fault at home
    start_as(app, clock, mat, 1.0, "Anna")
    assert app.session.view.step.kind == "calibrate"
    store.close()


def test_after_someone_leaves_before_weighing_in_the_next_persons_taps_are_heard(tmp_path):
    app, clock, mat, _voice, store = make(tmp_path, weighed=("anna",))
    mat.body = 1.4
    mat.step_on()
    frames(app, clock, 6.0)
    choose(app, clock, mat, "Bert")
    assert app.person == "bert" and app.session.view.step.kind == "calibrate"
    mat.step_off()  # Bert leaves before weighing in
    frames(app, clock, 2.0)
    app.command("stop")
    frames(app, clock, 20.0)
    assert app.mode == "home" and app.link.calibration is None
    start_as(app, clock, mat, 1.0, "Anna")  # her taps are heard
    assert app.person == "anna"
    store.close()


def test_each_person_gets_their_own_slot_and_home_marks_a_slot_done_only_when_all_did_it(
        tmp_path):
    app, clock, mat, _voice, store = make(tmp_path, hour=7)
    start_as(app, clock, mat, 1.0, "Anna")
    for i in range(10):
        if app.mode != "session":
            break
        mat.stomp("left" if i % 2 == 0 else "right", 2.0)
        frames(app, clock, 2.0)
    assert [(s["person"], s["slot"], s["status"]) for s in store.for_person(None).sessions()] \
        == [("anna", "morning", "done")]
    mat.step_off()
    frames(app, clock, 2.0)
    assert app.mode == "home"
    assert dict((slot, done) for slot, _, done in app.today())["morning"] is False
    start_as(app, clock, mat, BERT_BODY, "Bert")
    assert app.recorder.slot == "morning"  # Bert has not done his morning session
    store.close()


def test_someone_stepping_off_and_on_while_asked_is_measured_and_greeted_afresh(tmp_path):
    app, clock, mat, voice, store = make(tmp_path)
    mat.step_on()  # Anna
    frames(app, clock, 3.0)
    assert app.who.view().name == "Anna" and app.who.matched
    until_heard(app, clock)
    mat.step_off()
    frames(app, clock, 1.0)
    mat.body = BERT_BODY  # Bert steps on: left foot, then right, within the 3 s
    mat.step_on()
    frames(app, clock, 4.0)
    assert app.mode == "who" and app.person == ""  # his right foot's landing chose no one
    assert app.who.view().name == "Bert" and app.who.matched
    assert voice.said[-3:] == ["Hello, Bert!", *cues.WHO_HOW]
    choose(app, clock, mat, "Bert")
    assert app.person == "bert"
    store.close()


def test_a_tap_counts_only_from_a_steady_stance_on_both_feet():
    ask = WhoAsk([("anna", "Anna"), ("bert", "Bert")], 0.0, matched=True, feet=(False, False))
    ask.opening()
    ask.handle(Tick(5.0), quiet=True)  # every line heard
    ask.handle(Feet(6.0, True, False))  # stepping on: left foot first...
    assert ask.handle(Landing(6.3, "right", 1.0, False)) == []  # ...then the right lands
    ask.handle(Feet(6.3, True, True))
    assert ask.phase is Phase.ASKING
    ask.handle(Feet(6.5, True, False))  # lifted before the stance was steady: no tap
    ask.handle(Landing(6.7, "right", 1.0, False))
    ask.handle(Feet(6.7, True, True))
    assert ask.phase is Phase.ASKING
    ask.handle(Feet(7.5, True, False))  # lifted from half a second and more on both feet
    said = ask.handle(Landing(7.8, "right", 1.0, False))
    assert ask.phase is Phase.CHOSEN and ask.chosen == "anna"
    assert [s.text for s in said] == ["Welcome, Anna."]


def test_stepping_off_and_on_again_ends_the_question_to_ask_afresh():
    ask = WhoAsk([("anna", "Anna")], 0.0, matched=True)
    ask.handle(Presence(1.0, False))
    ask.handle(Tick(2.0))
    assert ask.phase is Phase.ASKING  # off for less than OFF_S
    ask.handle(Presence(2.5, True))
    assert ask.phase is Phase.AGAIN


def test_a_mat_fault_during_the_question_stops_it_like_at_home(tmp_path):
    source: list[FaultyMat] = []

    def faulty(mat):
        source.append(FaultyMat(mat))
        return source[0]

    app, clock, mat, voice, store = make(tmp_path, mat_source=faulty)
    mat.step_on()
    frames(app, clock, 3.0)
    assert app.mode == "who"
    source[0].fail(clock.now())
    frames(app, clock, 0.5)
    assert app.mode == "home" and app.person == ""
    assert voice.said[-1] == cues.MAT_TROUBLE
    assert build(app.ui_state()).name == "problem"
    until = clock.now() + 5.0
    while clock.now() < until:
        frames(app, clock, 0.5)
        assert app.mode == "home"  # no question, no session on a broken mat
    store.close()


def test_the_pause_button_at_home_with_nobody_on_the_mat_asks_no_one(tmp_path):
    app, clock, _mat, voice, store = make(tmp_path)
    frames(app, clock, 1.0)
    said = len(voice.said)
    app.command("pause")
    frames(app, clock, 2.0)
    assert app.mode == "home" and app.who is None and voice.said[said:] == []
    store.close()


def test_the_who_screen_shows_no_place_in_the_list_that_is_never_said(tmp_path):
    app, clock, mat, _voice, store = make(tmp_path)
    mat.body = 1.0 + BERT_BODY
    mat.step_on()
    frames(app, clock, 3.0)
    assert not app.who.matched
    shown = " ".join(getattr(it, "text", "") for it in build(app.ui_state()).items)
    assert " of 2" not in shown
    store.close()


def test_a_single_persons_link_keeps_no_standing_load():
    from kiosk.config import defaults
    clock = FakeClock()
    mat = SimMat(clock, rate_hz=250)
    link = MatLink.from_config(defaults(), calibration=None, save_to=None)
    link.set_calibrating(True)
    for k in range(30 * 10):
        if k == 60:
            mat.step_on()
        clock.advance(1 / 30)
        link.feed(mat.drain())
    assert link.calibration is not None and not link.can_measure
    assert link.standing_load() is None  # no rolling sum at 250 Hz for nobody
    link.measure_load = True
    for _ in range(45):
        clock.advance(1 / 30)
        link.feed(mat.drain())
    assert link.can_measure and link.standing_load() is not None

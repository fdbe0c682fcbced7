"""The shell, stepped frame by frame on a fake clock: keyboard mat in, store and voice out."""

from datetime import datetime

import pytest

from kiosk import config
from kiosk.app import App
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.coach import cues
from kiosk.coach.steps import speaking_s
from kiosk.mat.link import MatLink
from kiosk.mat.sim import KeyboardMat
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from kiosk.wiring import open_buttons

FPS = 30


class HeardVoice:
    """Stands in for the speech worker at the edge: keeps what it was asked to say."""

    def __init__(self):
        self.said: list[str] = []
        self.tones: list[str] = []
        self.beats = 0

    def say(self, text):
        self.said.append(text)

    def tone(self, name):
        self.tones.append(name)

    def hush(self):
        self.said.append("<hush>")

    def seconds(self, text):
        return speaking_s(text)

    def prepare(self, texts):
        pass

    def health(self):
        return None, ""


class ShortedLeft:
    """A mat source whose left channel is shorted to 3.3 V (reads 1023)."""

    def __init__(self, mat):
        self.mat = mat

    def drain(self):
        return [(t, (1023, *counts[1:])) for t, counts in self.mat.drain()]


STEPS = [StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=2, target_bw=1.5),
         StepSpec("stretch", "calf", "Calf stretch", (), block="stretch", hold_s=20.0)]


@pytest.fixture
def kiosk(tmp_path):
    cfg = config.defaults().replace(profile={"impact_cleared": True})
    clock = FakeClock()
    mat = KeyboardMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration=None, save_to=tmp_path / "calibration.json")
    store = Store.memory()
    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=HeardVoice(), store=store,
              steps_for=lambda slot: STEPS, keyboard=mat,
              wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
    yield app, clock, tmp_path
    store.close()


def frames(app, clock, seconds):
    for _ in range(round(seconds * FPS)):
        clock.advance(1 / FPS)
        app.frame()


def test_step_on_calibrate_stomp_hold_and_everything_is_logged(kiosk):
    app, clock, tmp_path = kiosk
    frames(app, clock, 1.0)
    assert app.mode == "home"
    app.key("space")  # step on: the session starts after a second of standing
    frames(app, clock, 2.0)
    assert app.mode == "session" and app.session.view.step.kind == "calibrate"
    app.key("space")  # the coach asks to step off: the empty mat is measured first
    frames(app, clock, 3.0)
    assert app.session.view.step.phase == "stand"
    app.key("space")
    frames(app, clock, 5.0)
    assert (tmp_path / "calibration.json").exists()
    assert app.session.view.step.kind == "stomp"
    for foot in ("left", "left", "right", "right"):
        app.key(foot)
        frames(app, clock, 1.5)
    assert app.session.view.step.kind == "stretch"
    frames(app, clock, 100)  # lines in turn, time to walk to the wall, the hold, the question
    assert app.mode == "summary"
    session = app.store.sessions(limit=1)[0]
    assert session["status"] == "done" and (session["stomps_left"], session["stomps_right"]) \
        == (2, 2)
    assert session["holds"] == 1
    assert cues.CAL_DONE in app.speech.said and cues.RELEASE in app.speech.said
    assert app.week and app.week[-1].sessions == 1 and app.streak == 1


def test_keys_pause_skip_and_stop(kiosk):
    app, clock, _ = kiosk
    app.link.use(calibration_for(app))
    app.start_session(clock.now())
    frames(app, clock, 1.0)
    app.key("p")
    frames(app, clock, 0.1)
    assert app.session.view.phase.value == "paused"
    app.key("p")
    frames(app, clock, 0.1)
    assert app.session.view.phase.value == "running"
    app.key("s")
    frames(app, clock, 0.1)
    assert app.session.view.step.kind == "stretch"
    app.key("escape")
    frames(app, clock, 0.1)
    assert app.mode == "summary" and app.session.view.status == "stopped"


def calibration_for(app):
    from kiosk.mat.calibrate import Calibrator
    from kiosk.mat.sim import TraceBuilder

    cal = Calibrator(app.link.layout, app.link.divider_ohms, "2026-11-24T09:00:00+00:00")
    made = cal.feed_batch(TraceBuilder(rate_hz=250).opening().samples())
    assert made is not None
    return made


def test_unsafe_plan_shows_a_problem_instead_of_crashing(kiosk):
    app, clock, _ = kiosk
    from kiosk.errors import KioskError

    def refuse(slot):
        raise KioskError("program.include: 'toe_touch' is refused: it bends the spine forward")

    app.steps_for = refuse
    app.start_session(clock.now())
    assert app.mode == "home" and app.problem[0]
    assert app.ui_state().mode == "problem"


def test_gpio_buttons_send_commands(kiosk, mock_factory):
    app, _, _ = kiosk
    cfg = app.config.replace(buttons={"pause_pin": "GPIO17", "skip_pin": "GPIO27",
                                      "stop_pin": ""})
    buttons = open_buttons(cfg, app)
    try:
        assert len(buttons) == 2
        mock_factory.pin(27).drive_low()  # a button to ground: pressed
        mock_factory.pin(17).drive_low()
        assert list(app.commands) == ["skip", "pause"]
    finally:
        for b in buttons:
            b.close()


def test_due_session_is_shown_and_spoken_once_on_the_home_screen(kiosk):
    app, clock, _ = kiosk  # 09:30, the morning session (09:00) not done yet
    frames(app, clock, 3.0)
    reminders = [s for s in app.speech.said if "morning" in s]
    assert len(reminders) == 1
    assert app.ui_state().reminder == reminders[0]
    assert app.last_view is None or app.last_view.awake


def test_no_reminder_spoken_in_quiet_hours(kiosk):
    app, clock, _ = kiosk
    app.wall = FixedWallClock(datetime(2026, 11, 24, 21, 30))  # evening due, but quiet from 21:00
    frames(app, clock, 3.0)
    assert not [s for s in app.speech.said if "evening" in s]
    assert "evening" in app.ui_state().reminder


def test_an_unplugged_mat_on_the_home_screen_shows_and_says_so_without_phantom_stomps(kiosk):
    app, clock, _ = kiosk
    app.link.use(calibration_for(app))
    frames(app, clock, 1.0)
    app.mat.unplug()
    frames(app, clock, 1.0)
    state = app.ui_state()
    assert state.mode == "problem" and "mat" in state.problem[0].lower()
    assert app.speech.said.count(cues.MAT_TROUBLE) == 1
    app.key("space")  # standing on a mat that reads nothing, or a key: no session starts
    app.key("p")
    frames(app, clock, 3.0)
    assert app.mode == "home" and app.session is None
    app.mat.replug()
    frames(app, clock, 1.0)
    assert app.ui_state().mode == "home" and not app.mat_faults
    assert app.speech.said.count(cues.MAT_TROUBLE) == 1


def test_unplugged_during_stomps_pauses_and_counts_nothing(kiosk):
    app, clock, _ = kiosk
    app.link.use(calibration_for(app))
    app.key("space")
    frames(app, clock, 2.0)
    assert app.mode == "session" and app.session.view.step.kind == "stomp"
    app.mat.unplug()
    frames(app, clock, 2.0)
    assert app.session.view.phase.value == "paused" and app.session.view.problem
    landings = [s for s in app.store.sessions() if s["stomps_left"] or s["stomps_right"]]
    assert landings == []
    app.mat.replug()
    frames(app, clock, 2.0)
    assert app.session.view.phase.value == "running"


def test_the_screen_goes_dark_when_idle_and_wakes_for_a_foot_or_a_key(kiosk):
    app, clock, _ = kiosk
    app.wall = FixedWallClock(datetime(2026, 11, 24, 13, 0))  # nothing due: the morning is done?
    app.reminder_text = ""
    app.config = app.config.replace(display={"sleep_after_min": 1},
                                    schedule={"reminders": False})
    frames(app, clock, 59)
    assert app.ui_state().mode == "home"
    frames(app, clock, 2)
    assert app.ui_state().mode == "asleep"
    app.key("s")  # wakes only: no command is sent
    assert app.ui_state().mode == "home" and not app.commands
    frames(app, clock, 61)
    assert app.asleep
    app.key("space")  # the keyboard mat: someone steps on
    frames(app, clock, 0.5)
    assert not app.asleep and app.ui_state().mode == "home"


def test_a_shorted_sensor_shows_even_before_the_first_weigh_in(kiosk):
    app, clock, _ = kiosk
    assert app.link.needs_calibration()
    mat = app.mat
    app.mat = ShortedLeft(mat)  # the left FSR's leads touch: its channel reads full scale
    frames(app, clock, 1.0)
    state = app.ui_state()
    assert state.mode == "problem" and "left" in state.problem[0].lower()
    app.mat = mat
    frames(app, clock, 1.0)
    assert app.ui_state().mode == "home"


def test_no_new_session_without_a_new_step_on_after_the_summary(kiosk):
    app, clock, _ = kiosk
    app.link.use(calibration_for(app))
    app.key("space")  # step on: a session starts
    frames(app, clock, 2.0)
    assert app.mode == "session"
    app.key("stop")  # "stop for today", still standing on the mat
    frames(app, clock, 20.0)  # the summary has had its time: home again
    assert app.mode == "home"
    frames(app, clock, 10.0)  # still on the mat: nothing starts by itself
    assert app.mode == "home" and len(app.store.sessions(limit=None)) == 1
    app.key("space")  # off the mat
    frames(app, clock, 1.0)
    app.key("space")  # and on again: that is a new start
    frames(app, clock, 2.0)
    assert app.mode == "session"


def test_the_schedule_decides_which_session_starts(kiosk):
    app, _, _ = kiosk
    app.wall = FixedWallClock(datetime(2026, 11, 24, 14, 0))  # afternoon, morning not done
    assert app.slot_for(app.wall.local()) == "morning"
    assert app.ui_state().next_slot == "morning"

"""The paced loop and the wiring, stepped by hand: a screen that records, clocks that obey."""

from datetime import datetime

import pytest

from kiosk import config
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.loop import FrameLoop
from kiosk.mat.link import MatLink
from kiosk.mat.sim import KeyboardMat
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from kiosk.store.records import SessionFinished
from kiosk.wiring import wire
from tests.test_app import HeardVoice

STEPS = [StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=2, target_bw=1.5)]


class RecordingScreen:
    """The ``Screen`` seam in memory: keys to hand out, views painted, frames presented."""

    surface = None

    def __init__(self, keys=()):
        self.keys = [list(k) for k in keys]
        self.closed_after: int | None = None
        self.painted: list[str] = []
        self.presented: list[bool] = []

    def paint(self, view):
        self.painted.append(view.name)

    def poll(self):
        if self.closed_after is not None and len(self.presented) >= self.closed_after:
            return [], True
        return (self.keys.pop(0) if self.keys else []), False

    def present(self, awake):
        self.presented.append(awake)


class Ticks:
    """A monotonic clock for the pacing: each ``think`` costs ``cost_s``; sleeps are kept."""

    def __init__(self, cost_s: float = 0.0):
        self.t = 100.0
        self.cost_s = cost_s
        self.slept: list[float] = []

    def now(self):
        return self.t

    def sleep(self, s):
        self.slept.append(s)
        self.t += s


@pytest.fixture
def wired(tmp_path):
    cfg = config.defaults().replace(profile={"impact_cleared": True})
    clock = FakeClock()
    mat = KeyboardMat(clock, rate_hz=250)
    store = Store.memory()
    screen = RecordingScreen()
    kiosk = wire(cfg, clock=clock, mat=mat, speech=HeardVoice(), store=store, screen=screen,
                 link=MatLink.from_config(cfg, calibration=None, save_to=None),
                 steps_for=lambda slot: STEPS, keyboard=mat,
                 wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
    yield kiosk, clock, screen
    store.close()


def test_one_loop_pass_reads_keys_thinks_paints_and_presents(wired):
    kiosk, clock, screen = wired
    screen.keys = [["space"]]  # step on the keyboard mat
    assert kiosk.loop.loop_once()
    assert screen.painted == ["home"] and screen.presented == [True]
    for _ in range(45):  # a second and a half of frames: standing starts a session
        clock.advance(1 / 30)
        kiosk.loop.loop_once()
    assert kiosk.app.mode == "session" and kiosk.loop.frames == 46
    assert screen.painted[-1] != "home"


def test_run_sleeps_what_is_left_of_each_frame_and_stops_at_the_frame_count(wired):
    kiosk, _, _ = wired
    ticks = Ticks()

    def think():
        ticks.t += 0.01  # a frame's work takes 10 ms of the 33 ms
        return True

    loop = FrameLoop(kiosk.app, RecordingScreen(), fps=30, think=think, monotonic=ticks.now,
                     sleep=ticks.sleep)
    assert loop.run(frames=5) is True
    assert loop.frames == 5 and len(ticks.slept) == 4  # no sleep after the last frame
    assert ticks.slept == pytest.approx([1 / 30 - 0.01] * 4)


def test_a_slow_frame_never_sleeps_and_a_closed_window_stops_the_loop(wired):
    kiosk, _, _ = wired
    ticks = Ticks()
    screen = RecordingScreen()
    screen.closed_after = 3

    def think():
        ticks.t += 0.05  # slower than a frame: catch up, do not sleep
        return True

    loop = FrameLoop(kiosk.app, screen, fps=30, think=think, monotonic=ticks.now,
                     sleep=ticks.sleep)
    assert loop.run() is True and loop.frames == 3
    assert ticks.slept == [0.0, 0.0, 0.0]


def test_a_time_budget_ends_a_loop_that_never_finishes(wired):
    kiosk, _, _ = wired
    ticks = Ticks()
    loop = FrameLoop(kiosk.app, RecordingScreen(), fps=8, think=lambda: True,
                     monotonic=ticks.now, sleep=ticks.sleep)
    assert loop.run(max_s=1.0) is False and loop.frames == 8


def test_the_home_screen_reads_the_day_from_the_wall_clock(wired):
    kiosk, clock, _ = wired
    app = kiosk.app
    assert [done for _, _, done in app.today()] == [False, False]
    sid = app.store.begin_session(slot="morning", started_utc=app.wall.utc(),
                                  plan_date=app.wall.local().date())
    app.store.finish_session(sid, SessionFinished("done"), ended_utc=app.wall.utc())
    assert [done for _, _, done in app.today()] == [False, False]  # read once a minute
    clock.advance(61)
    assert [done for _, _, done in app.today()] == [True, False]
    app.wall.advance(24 * 3600)  # the next morning: a new day, nothing done yet
    assert [done for _, _, done in app.today()] == [False, False]

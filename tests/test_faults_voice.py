"""A voice that hangs or fails (issue 13, point 7): rendering and doctor's voice check have time
limits, the status never says the voice is ready when it cannot render, the screen says so, and
the speech worker keeps beating for the watchdog while coaching goes on with captions and tones.

The voices here are real pyttsx3 drivers of our own (``tests/voice_drivers``), found the way
pyttsx3 finds every driver: as ``pyttsx3.drivers.<name>``."""

import time
from datetime import datetime
from pathlib import Path

import pytest
import pyttsx3.drivers

from kiosk import config, problems
from kiosk.app import App
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.coach.speech import Renderer, Speech, doctor_checks
from kiosk.mat.link import MatLink
from kiosk.mat.sim import KeyboardMat
from kiosk.store.db import Store

DRIVERS = str(Path(__file__).parent / "voice_drivers")


@pytest.fixture
def drivers():
    if DRIVERS not in pyttsx3.drivers.__path__:
        pyttsx3.drivers.__path__.append(DRIVERS)
    import pyttsx3.drivers.hangs as hangs

    hangs.RELEASE.clear()
    yield
    hangs.RELEASE.set()  # let the stuck run loops end
    time.sleep(0.1)
    pyttsx3._activeEngines.clear()  # the next test gets a fresh engine


def speech_with(tmp_path, driver: str, limit_s: float = 0.5) -> Speech:
    speech = Speech(tmp_path, renderer_factory=lambda: Renderer("", 140, driver=driver))
    speech.render_limit_s = limit_s
    return speech


def test_a_hung_voice_is_reported_and_the_worker_keeps_beating(tmp_path, drivers):
    speech = speech_with(tmp_path, "hangs").start(["Hello there."])
    t0 = time.monotonic()
    assert speech.wait_ready(5) and time.monotonic() - t0 < 3
    assert not speech.status.voice_ok
    assert "took more than 0.5 s" in speech.status.detail and "ready" not in speech.status.detail
    beats = speech.beats
    speech.say("A line that was never rendered.")
    speech.tone("good")
    time.sleep(0.5)
    assert speech.beats > beats + 1  # the watchdog still sees the worker alive
    t1 = time.monotonic()
    speech.close()
    assert time.monotonic() - t1 < 3


def test_a_voice_that_renders_nothing_never_reads_ready(tmp_path, drivers):
    speech = speech_with(tmp_path, "mute").start(["Hello there."])
    assert speech.wait_ready(5)
    speech.close()
    assert not speech.status.voice_ok and "rendered nothing" in speech.status.detail


def test_doctor_reports_a_hung_voice_instead_of_freezing(drivers):
    cfg = config.defaults()
    t0 = time.monotonic()
    [check] = doctor_checks(cfg, driver="hangs", limit_s=0.5)
    assert time.monotonic() - t0 < 3
    assert check.ok is False and "hangs" in check.detail


def test_doctor_reports_a_failing_voice(drivers):
    [check] = doctor_checks(config.defaults(), driver="mute", limit_s=2.0)
    assert check.ok is False and "rendered nothing" in check.detail


def test_a_voice_that_fails_mid_session_is_shown_and_coaching_goes_on(tmp_path, drivers):
    speech = speech_with(tmp_path, "mute").start()  # nothing to prove at start: it looks fine
    assert speech.wait_ready(5) and speech.status.voice_ok
    cfg = config.defaults()
    clock = FakeClock()
    mat = KeyboardMat(clock, rate_hz=250)
    store = Store.memory()
    app = App(config=cfg, clock=clock, mat=mat, speech=speech, store=store,
              link=MatLink.from_config(cfg, calibration=None, save_to=tmp_path / "cal.json"),
              steps_for=lambda slot: [], keyboard=mat,
              wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
    try:
        app.frame()
        assert app.notice == ""
        speech.say("Time for your morning exercises.")
        deadline = time.monotonic() + 5
        while speech.status.voice_ok and time.monotonic() < deadline:
            time.sleep(0.05)
        clock.advance(0.1)
        app.frame()
        assert app.notice == problems.VOICE_LOST
        assert app.mode == "home"  # nothing stopped
    finally:
        speech.close()
        store.close()

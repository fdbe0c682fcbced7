"""A simulated day (issue 13, point 8): idle hours, the morning and evening reminders, four
sessions on the keyboard mat, a real log file, a real speech worker and the real painter on a
dummy SDL screen, in accelerated time. Resident memory grows at most 5 MB after the first
session (caches warm), no thread or file descriptor is left behind, and frame times stay flat.
"""

import os
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from kiosk import config
from kiosk.app import App
from kiosk.clock import FakeClock
from kiosk.coach.speech import Speech
from kiosk.mat.link import MatLink
from kiosk.mat.sim import KeyboardMat
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from kiosk.ui.display import Canvas
from kiosk.ui.screen import PygameScreen

FPS = 30
#: Idle hours are accelerated: each idle frame moves the monotonic clock (and so the mat's
#: 250 Hz samples) by one second and the wall clock by a minute.
IDLE_FRAME_S, IDLE_WALL_S = 1.0, 60.0
STEPS = [StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=4, target_bw=1.5),
         StepSpec("stretch", "calf", "Calf stretch", (), block="stretch", hold_s=20.0)]
DAY = datetime(2026, 11, 24, 7, 0)
SESSIONS_AT_H = (9.5, 11.0, 17.5, 19.0)


def rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


class Day:
    """The kiosk on a fake clock whose local time is the day's start plus the clock."""

    def __init__(self, tmp_path, surface, painter):
        from tests.test_app import calibration_for

        cfg = config.defaults().replace(profile={"impact_cleared": True},
                                        display={"sleep_after_min": 1})
        self.wall_s = 0.0  # how far the wall clock ran ahead of the monotonic one
        self.clock = FakeClock()
        self.mat = KeyboardMat(self.clock, rate_hz=250)
        self.store = Store.open(tmp_path / "log.sqlite")
        self.speech = Speech(tmp_path / "voice", enabled=False).start()
        self.app = App(config=cfg, clock=self.clock, mat=self.mat, speech=self.speech,
                       store=self.store, steps_for=lambda slot: STEPS, keyboard=self.mat,
                       link=MatLink.from_config(cfg, calibration=None,
                                                save_to=tmp_path / "cal.json"),
                       screen=PygameScreen(Canvas(surface), painter, show=False),
                       wall=self)
        self.app.link.use(calibration_for(self.app))
        self.frame_s: list[float] = []
        self.reminders: set[str] = set()

    def local(self) -> datetime:
        """The wall clock (the App's ``wall``): the monotonic one, plus any jump ahead."""
        return DAY + timedelta(seconds=self.clock.now() + self.wall_s)

    def utc(self) -> datetime:
        return self.local().replace(tzinfo=UTC)

    def frames(self, seconds: float, dt: float = 1 / FPS, timed: bool = False) -> None:
        for _ in range(round(seconds / dt)):
            self.clock.advance(dt)
            t0 = time.perf_counter()
            self.app.frame()
            if timed:
                self.frame_s.append(time.perf_counter() - t0)

    def idle_until(self, hour: float) -> None:
        while self.app.wall.local() < DAY.replace(hour=0) + timedelta(hours=hour):
            self.wall_s += IDLE_WALL_S - IDLE_FRAME_S
            self.frames(IDLE_FRAME_S, dt=IDLE_FRAME_S)
            if self.app.reminder_text:
                self.reminders.add(self.app.reminder_text)

    def session(self) -> list[float]:
        self.frame_s = []
        if self.app.asleep:
            self.app.key("space")  # a dark screen: the first key only wakes it
        self.app.key("space")  # step on
        self.frames(2.0, timed=True)
        assert self.app.mode == "session"
        for foot in ["left"] * 4 + ["right"] * 4:
            self.app.key(foot)
            self.frames(1.5, timed=True)
        self.frames(100, timed=True)  # lines in turn, the walk to the wall, hold, question
        assert self.app.mode in ("summary", "home")
        self.app.key("space")  # step off
        self.frames(15, timed=True)
        assert self.app.mode == "home"
        return self.frame_s

    def close(self) -> None:
        self.speech.close()
        self.store.close()


@pytest.mark.slow
def test_a_day_of_idle_reminders_and_four_sessions_leaks_nothing(tmp_path):
    import pygame

    from kiosk.ui.paint import Painter

    pygame.display.init()
    surface = pygame.display.set_mode((800, 480))
    day = Day(tmp_path, surface, Painter())
    try:
        day.idle_until(SESSIONS_AT_H[0])
        first = day.session()  # warms the painter's caches, the log, the mixer
        base = (rss_kb(), fds(), threads(), threading.active_count())
        times = [first]
        for hour in SESSIONS_AT_H[1:]:
            day.idle_until(hour)
            times.append(day.session())
        day.idle_until(21.5)  # quiet hours, nothing due: the screen goes dark
        end = (rss_kb(), fds(), threads(), threading.active_count())
        assert any("morning" in r for r in day.reminders)  # shown while the slot was due
        assert any("evening" in r for r in day.reminders)
        sessions = day.store.sessions(limit=None)
        assert len(sessions) == 4 and all(s["status"] == "done" for s in sessions)
        assert end[0] - base[0] <= 5 * 1024, f"resident memory grew {end[0] - base[0]} kB"
        assert end[1:] == base[1:], f"fds/threads before {base[1:]}, after {end[1:]}"
        medians = [statistics.median(t) for t in times]
        assert medians[-1] <= 1.5 * medians[1] + 0.002, f"frame medians {medians}"
        assert day.app.asleep  # the screen went dark in the evening idle hours
    finally:
        day.close()
        pygame.display.quit()

"""Paint only what changes: an unchanged screen is not presented again, a changing one is, and
a screen repainted in regions is pixel for pixel the screen a full paint gives."""

from __future__ import annotations

from datetime import datetime

import pygame
import pytest

from kiosk import config
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.demo import Actor, demo_steps
from kiosk.mat.link import MatLink
from kiosk.mat.sim import KeyboardMat, SimMat
from kiosk.store.db import Store
from kiosk.ui import display
from kiosk.ui.paint import Painter
from kiosk.ui.repaint import Repainter, changed_regions, merge
from kiosk.ui.samples import sample_states
from kiosk.ui.screen import PygameScreen
from kiosk.ui.views import ScreenView, build
from kiosk.wiring import wire
from tests.test_app import HeardVoice

CFG = config.defaults().replace(profile={"impact_cleared": True})


@pytest.fixture
def window():
    pygame.display.init()
    yield display.Canvas(pygame.display.set_mode((800, 480)))
    pygame.display.quit()


def _kiosk(canvas, mat_cls=KeyboardMat, steps=None):
    clock = FakeClock()
    link = MatLink.from_config(CFG, calibration=None, save_to=None)
    mat = mat_cls(clock, rate_hz=CFG.mat.rate_hz, layout=link.layout)
    screen = PygameScreen(canvas)
    wall = FixedWallClock(datetime(2026, 11, 24, 9, 30, 5))
    kiosk = wire(CFG, clock=clock, mat=mat, speech=HeardVoice(), store=Store.memory(),
                 screen=screen, link=link, wall=wall,
                 steps_for=lambda slot: steps or demo_steps(CFG),
                 keyboard=mat if isinstance(mat, KeyboardMat) else None)
    return kiosk, clock, wall, mat, screen


def test_an_unchanging_home_screen_is_presented_once_and_again_when_the_minute_turns(window):
    kiosk, clock, wall, _, screen = _kiosk(window)
    for _ in range(90):  # three seconds of frames, nobody on the mat
        kiosk.loop.loop_once()
        clock.advance(1 / 30)
    assert kiosk.loop.frames == 90 and screen.presents == 1
    wall.advance(60)  # the clock on the home screen shows the next minute
    for _ in range(30):
        kiosk.loop.loop_once()
        clock.advance(1 / 30)
    assert screen.presents == 2
    w, h = window.surface.get_size()
    assert screen.presented_px < 2 * w * h  # the minute's change: the date line only


def _stomps_and_stretch():
    """The demo's stomps and stretch: a short session with an animated hold."""
    return [s for s in demo_steps(CFG) if s.kind in ("stomp", "stretch")]


def test_a_stretch_hold_is_presented_every_frame_in_regions_only(window):
    kiosk, clock, _, mat, screen = _kiosk(window, SimMat, _stomps_and_stretch())
    app = kiosk.app
    actor = Actor(mat)
    app.start_session(clock.now(), slot="demo")
    counts = []
    for _ in range(30 * 120):
        clock.advance(1 / 30)
        before, px = screen.presents, screen.presented_px
        kiosk.loop.loop_once()
        actor.act(clock.now(), app)
        step = app.session.view.step if app.session else None
        if step is not None and step.kind == "stretch" and step.phase == "hold":
            counts.append((screen.presents - before, screen.presented_px - px))
        if len(counts) >= 60:
            break
    assert len(counts) == 60, "the demo never reached a stretch hold"
    assert all(n == 1 for n, _ in counts)  # the ring grows: every frame shows
    w, h = window.surface.get_size()
    assert max(px for _, px in counts) < 0.25 * w * h  # the ring and its number, not all


def _frames(size, n_max=30 * 200):
    """Every distinct view a demo session shows, in order, at ``size``."""
    pygame.display.init()
    kiosk, clock, _, mat, _ = _kiosk(display.Canvas(pygame.Surface(size)), SimMat,
                                     _stomps_and_stretch())
    app, actor, views = kiosk.app, Actor(mat), []
    app.start_session(clock.now(), slot="demo")
    for _ in range(n_max):
        clock.advance(1 / 30)
        app.frame()
        actor.act(clock.now(), app)
        if not views or app.last_view != views[-1]:
            views.append(app.last_view)
        if app.mode != "session":
            break
    return views


@pytest.mark.parametrize("size", [(800, 480), pytest.param((1920, 1080), marks=pytest.mark.slow)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_frame_of_a_session_repainted_in_regions_equals_a_full_paint(size):
    views = _frames(size)
    names = {v.name for v in views}
    assert {"stomp", "stretch", "summary"} <= names
    painter = Painter()
    shown, full = pygame.Surface(size), pygame.Surface(size)
    repainter = Repainter(painter)
    partial = 0
    for k, view in enumerate(views):
        partial += repainter.paint(shown, view) is not None
        if size[0] > 800 and k % 10 and k != len(views) - 1:
            continue  # at 1080p compare one frame in ten (the regions are drawn every frame)
        painter.paint(full, view)
        assert pygame.image.tobytes(shown, "RGB") == pygame.image.tobytes(full, "RGB"), \
            f"frame {k} ({view.name}) differs from a full paint"
    assert partial > len(views) // 2  # most changes were drawn in regions


def test_every_pair_of_screens_repainted_equals_a_full_paint():
    pygame.display.init()
    views = [build(s) for s in sample_states().values()]
    painter, size = Painter(), (800, 480)
    for a in views:
        for b in views:
            shown, full = pygame.Surface(size), pygame.Surface(size)
            r = Repainter(painter)
            r.paint(shown, a)
            r.paint(shown, b)
            painter.paint(full, b)
            assert pygame.image.tobytes(shown, "RGB") == pygame.image.tobytes(full, "RGB")


def test_items_that_swap_places_in_the_drawing_order_need_a_full_paint():
    pygame.display.init()
    home = build(sample_states()["home"])
    swapped = ScreenView("home", home.items[::-1])
    assert changed_regions(home, swapped, Painter().extent, (800, 480)) is None
    assert changed_regions(home, home, Painter().extent, (800, 480)) == []


def test_overlapping_regions_merge_into_one():
    rects = [pygame.Rect(0, 0, 10, 10), pygame.Rect(5, 5, 10, 10), pygame.Rect(50, 50, 5, 5)]
    assert sorted(map(tuple, merge(rects))) == [(0, 0, 15, 15), (50, 50, 5, 5)]


@pytest.mark.parametrize("rotate", [0, 180])
def test_a_region_presented_on_a_turned_screen_lands_where_a_full_present_puts_it(rotate):
    pygame.display.init()
    try:
        screen = pygame.display.set_mode((800, 480))
        canvas = display.Canvas(screen, rotate)
        canvas.surface.fill((0, 0, 0))
        canvas.present()
        canvas.surface.fill((255, 255, 255), pygame.Rect(10, 20, 30, 40))
        canvas.present([pygame.Rect(10, 20, 30, 40)])
        at = {0: (15, 25), 180: (800 - 15, 480 - 25)}[rotate]
        assert screen.get_at(at)[:3] == (255, 255, 255)
        assert screen.get_at((400, 240))[:3] == (0, 0, 0)
    finally:
        pygame.display.quit()


def test_a_dark_screen_polls_ten_times_a_second_and_wakes_to_full_rate(window):
    from kiosk.loop import ASLEEP_FRAME_S, RESTING_FRAME_S

    kiosk, clock, wall, _, screen = _kiosk(window)
    wall.advance(18 * 3600)  # 03:30: nothing due, so nothing keeps the screen lit
    slept: list[float] = []
    kiosk.loop.sleep = slept.append
    kiosk.loop.monotonic = clock.now
    kiosk.loop.loop_once()
    clock.advance(60.0 * CFG.display.sleep_after_min)
    kiosk.loop.loop_once()
    assert kiosk.app.asleep
    kiosk.loop.run(frames=kiosk.loop.frames + 3)
    assert slept == pytest.approx([ASLEEP_FRAME_S] * 2)
    presented = screen.presents
    kiosk.loop.run(frames=kiosk.loop.frames + 3)  # still dark: the black frame is not shown again
    assert screen.presents == presented
    kiosk.app.key("space")  # a key (or a foot) wakes it
    slept.clear()
    kiosk.loop.run(frames=kiosk.loop.frames + 3)
    assert not kiosk.app.asleep  # lit, but nobody on the mat: the home screen rests at 10 Hz
    assert slept == pytest.approx([RESTING_FRAME_S] * 2)
    kiosk.app.key("space")  # someone steps on: every frame counts again
    kiosk.loop.sleep = lambda s: (slept.append(s), clock.advance(s))  # time runs meanwhile
    kiosk.loop.run(frames=kiosk.loop.frames + 10)
    slept.clear()
    kiosk.loop.run(frames=kiosk.loop.frames + 3)
    assert kiosk.app.link.someone_on()
    assert slept and all(s == pytest.approx(1 / CFG.display.fps) for s in slept)


def test_many_paints_without_a_present_show_the_whole_frame_once(window):
    from dataclasses import replace
    from datetime import timedelta

    screen = PygameScreen(window)
    home = sample_states()["home"]
    screen.paint(build(home))
    screen.present(True)
    for k in range(1, 100):  # the minute changes each time: one region each, never shown
        screen.paint(build(replace(home, now=home.now + timedelta(minutes=k))))
    assert screen._whole and not screen._regions
    screen.present(True)
    w, h = window.surface.get_size()
    assert screen.presents == 2 and screen.presented_px == 2 * w * h

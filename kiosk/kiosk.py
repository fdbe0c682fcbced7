"""``osteo-kiosk run``: open the screen, the mat, the voice and the log, then run frames."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk import problems
from kiosk.clock import MonotonicClock, SystemWallClock
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.notify import Watchdog

if TYPE_CHECKING:
    from kiosk.coach.speech import Speech

log = logging.getLogger(__name__)


def show_problem(problem: tuple[str, str], *, windowed: bool, frames: int = 0) -> None:
    """Keep a problem on screen (and systemd's watchdog fed) until the helper fixes it."""
    from kiosk.ui import display

    if display.no_display() and not frames:
        return
    import pygame

    from kiosk.ui.paint import Painter
    from kiosk.ui.views import UiState, build

    surface = display.open_display(fullscreen=not windowed)
    painter = Painter()
    wall = SystemWallClock()
    watchdog = _watchdog(None, None)
    if watchdog:
        watchdog.ready()
    n = 0
    try:
        while not frames or n < frames:
            if display.poll_keys()[1]:
                break
            painter.paint(surface, build(UiState("problem", wall.local(), problem=problem)))
            pygame.display.flip()
            if watchdog:
                watchdog.frame()
            n += 1
            time.sleep(0.5)
    finally:
        pygame.quit()


def run_kiosk(cfg: Config, *, source: str, windowed: bool, frames: int = 0) -> int:
    from kiosk.ui import display
    from kiosk.wiring import NO_SCREEN

    if display.no_display() and not frames:
        raise KioskError(NO_SCREEN)
    from kiosk.app import Hooks
    from kiosk.mat.adc import Sampler
    from kiosk.mat.force import Layout
    from kiosk.mat.link import MatLink
    from kiosk.mat.sim import KeyboardMat
    from kiosk.ui.screen import PygameScreen
    from kiosk.wiring import open_buttons, open_log, open_mat, open_voice, steps_provider, wire

    clock, wall = MonotonicClock(), SystemWallClock()
    mat = open_mat(cfg, source, clock, Layout.from_config(cfg.mat))
    store = open_log(cfg)  # a log that cannot be opened is said on screen; coaching goes on
    link = MatLink.from_config(cfg, calibration="saved", save_to=cfg.data_dir / "calibration.json")
    speech = open_voice(cfg)
    import pygame

    screen = PygameScreen(display.Canvas(display.open_display(
        fullscreen=cfg.display.fullscreen and not windowed,
        size=(cfg.display.width, cfg.display.height)), cfg.display.rotate))
    hooks = Hooks()
    kiosk = wire(cfg, clock=clock, wall=wall, mat=mat, link=link, speech=speech, store=store,
                 screen=screen, steps_for=steps_provider(cfg, store, wall),
                 keyboard=mat if isinstance(mat, KeyboardMat) else None,
                 hooks=hooks)
    app, loop = kiosk.app, kiosk.loop
    # the real mat's progress is its sampler's sample count; a simulated mat has no thread of
    # its own, so the frames shown stand in for it
    # (a read that raises is progress too: a failing bus is a fault on screen, not a restart)
    progress = (lambda: mat.count + mat.errors) if isinstance(mat, Sampler) \
        else (lambda: loop.frames)
    watchdog = _watchdog(progress, speech)
    hooks.on_beat = watchdog.frame if watchdog else None
    speech.wait_ready(3.0)
    notes = [*store.notices, link.problem]
    if not (speech.status.voice_ok and speech.status.audio_ok):
        notes.append("Voice unavailable: words on screen only")
        log.warning("voice: %s", speech.status.detail)
        if cfg.voice.enabled:
            app.show_problem(problems.VOICE, clock.now(), 10.0)
    app.notice = "; ".join(n for n in notes if n)
    buttons = open_buttons(cfg, app)
    if watchdog:
        watchdog.ready()
    try:
        loop.run(frames=frames)
    finally:
        for b in buttons:
            b.close()
        speech.close()
        mat.close()
        store.close()
        pygame.quit()
    return 0


def _watchdog(sampler_progress: Callable[[], int] | None,
              speech: Speech | None) -> Watchdog | None:
    """systemd's watchdog, fed only while the frame loop, sampler and voice all make progress."""
    parts: dict[str, Callable[[], object]] = {}
    if sampler_progress is not None:
        parts["sampler"] = sampler_progress
    if speech is not None:
        parts["speech"] = lambda: speech.beats
    return Watchdog.for_kiosk(None, **parts)

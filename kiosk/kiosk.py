"""``osteo-kiosk run``: open the screen first, then the mat, the voice and the log, then run frames.

The screen comes first so that every later failure to start (no mat, SPI switched off, no sound)
shows there with what to do, instead of a black screen in a restart loop. A part that stops the
kiosk is tried again every ``RETRY_S`` while its problem shows, with systemd told the kiosk is up
and its watchdog fed; when it clears, start-up goes on.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kiosk import notify, problems
from kiosk.clock import Clock, MonotonicClock, SystemWallClock, WallClock
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.notify import START_REST_S, Watchdog

if TYPE_CHECKING:
    import pygame

    from kiosk.app import App
    from kiosk.loop import FrameLoop
    from kiosk.seams import MatSource
    from kiosk.ui.views import ScreenView

log = logging.getLogger(__name__)

RETRY_S = 30.0  # a part that stops the start is tried again this often (SPI, the mat)
FRAME_S = 0.5  # the problem screen is repainted, and the watchdog polled, this often
SOUND_PROBLEM_S = 10.0  # no sound is not fatal: said on screen this long, then captions only

T = TypeVar("T")
Attempt = tuple[T | None, problems.Problem | None, str]  # the part, or what stops it and why


class ProblemScreen:
    """A problem on the kiosk's own display, kept up while systemd's watchdog is fed."""

    def __init__(self, surface: pygame.Surface, watchdog: Watchdog, *, rotate: int = 0,
                 clock: Clock | None = None, wall: WallClock | None = None,
                 sleep: Callable[[float], None] = time.sleep, frames: int = 0,
                 retry_s: float = RETRY_S):
        from kiosk.ui.display import Canvas
        from kiosk.ui.paint import Painter

        self.canvas = Canvas(surface, rotate)
        self.watchdog = watchdog
        self.clock = clock or MonotonicClock()
        self.wall = wall or SystemWallClock()
        self.sleep = sleep
        self.frames = frames  # 0: for as long as it takes; else give up after this many
        self.retry_s = retry_s
        self.shown = 0
        self.view: ScreenView | None = None
        self._painter = Painter()
        self._said: problems.Problem | None = None

    def show(self, problem: problems.Problem) -> bool:
        """One frame of ``problem``; False when the window was closed or the frames ran out."""
        from kiosk.ui import display
        from kiosk.ui.views import UiState, build

        if problem != self._said:  # systemd counts a kiosk showing a problem as started
            (notify.ready if self._said is None else notify.status)(f"waiting: {problem[0]}")
            self._said = problem
        if display.poll_keys()[1]:
            return False
        self.view = build(UiState("problem", self.wall.local(), problem=problem))
        self._painter.paint(self.canvas.surface, self.view)
        self.canvas.present()
        self.watchdog.frame()
        self.shown += 1
        if self.frames and self.shown >= self.frames:
            return False
        self.sleep(FRAME_S)
        return True

    def wait_for(self, attempt: Callable[[], Attempt[T]]) -> T | None:
        """The part ``attempt`` opens, trying again every ``retry_s`` while its problem shows;
        None when the window was closed or the frames ran out first."""
        part, problem, why = attempt()
        said = ""
        while problem is not None:
            if why != said:  # once per distinct failure, into the journal
                print(f"osteo-kiosk: {why}", file=sys.stderr)
                said = why
            next_try = self.clock.now() + self.retry_s
            while self.clock.now() < next_try:
                if not self.show(problem):
                    return None
            part, problem, why = attempt()
        return part


def show_problem(problem: problems.Problem, *, windowed: bool, frames: int = 0,
                 surface: pygame.Surface | None = None, cfg: Config | None = None) -> None:
    """Keep a problem on screen (and systemd's watchdog fed) until the helper fixes it; on
    ``surface`` when the kiosk's display is already open, else on a display of its own, waited
    for like the kiosk's (``cfg``: a bad config file leaves the defaults)."""
    from kiosk import config as config_mod
    from kiosk.ui import display

    if surface is None and display.no_display() and not frames:
        return
    import pygame

    own = surface is None  # a display opened here is closed here; the kiosk's stays open
    try:
        screen = ProblemScreen(surface or open_screen(cfg or config_mod.defaults(), windowed),
                               Watchdog.for_kiosk(None), frames=frames)
        screen.wait_for(lambda: (None, problem, ""))
    finally:
        if own:
            pygame.quit()


SCREEN_RETRY_S = 1.0


def open_screen(cfg: Config, windowed: bool, *,
                opener: Callable[..., pygame.Surface] | None = None,
                sleep: Callable[[float], None] = time.sleep,
                now: Callable[[], float] = time.monotonic,
                tell: Callable[[str], object] = notify.notify) -> pygame.Surface:
    """The kiosk's display, waited for up to ``display.wait_s`` while its driver comes up (at
    boot a display driver can bind after the service starts: measured 26 s on Debian 13 arm64,
    docs/pi.md). Each try stretches systemd's start timeout to the rest of the wait plus
    ``START_REST_S``. When even that fails there is nowhere to say so but the journal, and the
    service's back-off applies."""
    import pygame

    from kiosk.ui import display

    opener = opener or display.open_display
    deadline = now() + cfg.display.wait_s
    while True:
        try:
            return opener(fullscreen=cfg.display.fullscreen and not windowed,
                          size=(cfg.display.width, cfg.display.height))
        except pygame.error as exc:
            left = deadline - now()
            if left <= 0:
                log.error("cannot open the screen: %s", exc)
                raise KioskError(f"cannot open the screen ({exc}); osteo-kiosk doctor says "
                                 "why") from None
            log.warning("the screen is not ready yet (%s); trying again", exc)
            tell(f"EXTEND_TIMEOUT_USEC={int((left + START_REST_S) * 1e6)}")
            pygame.display.quit()
            sleep(min(SCREEN_RETRY_S, left))


def spi_devices(dev: Path) -> list[Path]:
    """The kernel's SPI devices (``/dev/spidev*``): none when SPI is switched off."""
    return sorted(dev.glob("spidev*"))


def mat_attempt(cfg: Config, source: str, clock: Clock,
                dev: Path) -> Callable[[], Attempt[MatSource]]:
    """Opening the mat as one attempt: the started mat, or the problem that stops it."""
    from kiosk.mat.force import Layout
    from kiosk.wiring import open_mat

    def attempt() -> Attempt[MatSource]:
        try:
            mat = open_mat(cfg, source, clock, Layout.from_config(cfg.mat))
        except KioskError as exc:
            return None, problems.mat_problem(opened=False, spi_hardware=False,
                                              spidev_found=bool(spi_devices(dev))), str(exc)
        reader = getattr(mat, "reader", None)  # a simulated mat has none
        if reader is None:
            return mat, None, ""
        problem = problems.mat_problem(opened=True, spi_hardware=reader.spi_hardware,
                                       spidev_found=bool(spi_devices(dev)))
        if problem is None:
            return mat, None, ""
        mat.close()
        return None, problem, (f"the mat's MCP3008 would be read by software SPI "
                               f"({reader.spi_fallback or reader.spi_interface}): switch SPI on")

    return attempt


@dataclass
class Started:
    """A kiosk that is up: its App, the paced loop, and what closes its parts."""

    app: App
    loop: FrameLoop
    watchdog: Watchdog
    close: Callable[[], None]


def start_kiosk(cfg: Config, *, source: str, windowed: bool, frames: int = 0,
                clock: Clock | None = None, sleep: Callable[[float], None] = time.sleep,
                dev: Path = Path("/dev")) -> Started | None:
    """Open the screen, then every part, each failure shown on that screen; None when the
    window was closed (or ``frames`` ran out) while a problem showed."""
    from kiosk.ui import display
    from kiosk.wiring import NO_SCREEN

    if display.no_display() and not frames:
        raise KioskError(NO_SCREEN)
    import pygame

    from kiosk.app import Hooks
    from kiosk.mat.adc import Sampler
    from kiosk.mat.sim import KeyboardMat
    from kiosk.ui.screen import PygameScreen
    from kiosk.wiring import (
        calibration_path,
        household_link,
        open_buttons,
        open_log,
        open_voice,
        plan_for,
        steps_provider,
        wire,
    )

    clock, wall = clock or MonotonicClock(), SystemWallClock()
    surface = open_screen(cfg, windowed)
    watchdog = Watchdog.for_kiosk(clock)
    waiting = ProblemScreen(surface, watchdog, rotate=cfg.display.rotate, clock=clock, wall=wall,
                            sleep=sleep, frames=frames)
    mat = waiting.wait_for(mat_attempt(cfg, source, clock, dev))
    if mat is None:
        pygame.quit()
        return None
    store = open_log(cfg)  # a log that cannot be opened is said on screen; coaching goes on
    link = household_link(cfg)
    speech = open_voice(cfg)
    screen = PygameScreen(display.Canvas(surface, cfg.display.rotate))
    hooks = Hooks(on_beat=watchdog.frame)
    kiosk = wire(cfg, clock=clock, wall=wall, mat=mat, link=link, speech=speech, store=store,
                 screen=screen, steps_for=steps_provider(cfg, store, wall),
                 keyboard=mat if isinstance(mat, KeyboardMat) else None,
                 hooks=hooks, plan_for=plan_for(wall),
                 calibration_of=lambda key: calibration_path(cfg, key))
    app, loop = kiosk.app, kiosk.loop
    # the real mat's progress is its sampler's sample count; a simulated mat has no thread of
    # its own, so the frames shown stand in for it
    # (a read that raises is progress too: a failing bus is a fault on screen, not a restart)
    watchdog.register("sampler", (lambda: mat.count + mat.errors) if isinstance(mat, Sampler)
                      else (lambda: loop.frames))
    watchdog.register("speech", lambda: speech.beats)
    speech.wait_ready(3.0)
    notes = [*store.notices, link.problem]
    if not (speech.status.voice_ok and speech.status.audio_ok):
        notes.append(problems.VOICE_UNAVAILABLE)
        log.warning("voice: %s", speech.status.detail)
        if cfg.voice.enabled:
            app.show_problem(problems.VOICE if speech.status.audio_ok else problems.NO_SOUND,
                             clock.now(), SOUND_PROBLEM_S)
    app.notice = "; ".join(n for n in notes if n)
    try:
        buttons = open_buttons(cfg, app)
    except Exception as exc:  # optional: the screen and the mat still coach without them
        log.error("buttons: %s: %s", type(exc).__name__, exc)
        buttons = []

    def close() -> None:
        for b in buttons:
            b.close()
        speech.close()
        mat.close()
        store.close()
        pygame.quit()

    notify.ready("coaching")
    return Started(app, loop, watchdog, close)


def run_kiosk(cfg: Config, *, source: str, windowed: bool, frames: int = 0) -> int:
    """Start, then run frames until the window closes (or ``frames`` were shown)."""
    started = start_kiosk(cfg, source=source, windowed=windowed, frames=frames)
    if started is None:
        return 1
    try:
        started.loop.run(frames=frames)
    finally:
        started.close()
    return 0

"""``osteo-kiosk run``: open the screen, the mat, the voice and the log, then run frames."""

from __future__ import annotations

import logging
import time
from datetime import date, datetime

from kiosk import problems
from kiosk.clock import MonotonicClock
from kiosk.errors import KioskError

log = logging.getLogger(__name__)

NO_SCREEN = ("No screen to draw on (no desktop session and no /dev/dri display). On the Pi run "
             "it on the console or as the service; elsewhere try `osteo-kiosk demo`.")




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
    watchdog = _watchdog(None, None)
    if watchdog:
        watchdog.ready()
    n = 0
    try:
        while not frames or n < frames:
            if display.poll_keys()[1]:
                break
            painter.paint(surface, build(UiState("problem", datetime.now(), problem=problem)))
            pygame.display.flip()
            if watchdog:
                watchdog.frame()
            n += 1
            time.sleep(0.5)
    finally:
        pygame.quit()


def open_mat(cfg, source: str, clock, layout):
    """The mat the config or ``--mat`` asks for; a clear sentence when there is none."""
    from kiosk.app_commands import NO_MAT

    if source == "keyboard":
        from kiosk.mat.sim import KeyboardMat

        return KeyboardMat(clock, rate_hz=cfg.mat.rate_hz, layout=layout)
    if source == "sim":
        from kiosk.mat.sim import SimMat

        return SimMat(clock, rate_hz=cfg.mat.rate_hz, layout=layout)
    from kiosk.mat import adc

    try:
        return adc.open_mat(cfg.mat, clock=clock).start()
    except KioskError as exc:
        if source == "auto":
            raise KioskError(NO_MAT) from None
        raise exc


def steps_provider(cfg, store):
    """Today's session for a slot, from the weekly plan, dosed with the latest 1RM targets."""
    from kiosk.program.catalogue import load_catalogue
    from kiosk.program.plan import session_steps, week_plan

    catalogue = load_catalogue()

    def steps_for(slot: str):
        day = week_plan(cfg, catalogue, date.today())[0]
        return session_steps(day, slot if slot in ("morning", "evening") else "morning", cfg,
                             catalogue, store.latest_onerm_targets())

    return steps_for


def open_log(cfg):
    """The log, or, when it cannot be opened (read-only or full card, wrong owner), a stand-in
    that keeps trying: the kiosk coaches anyway and says where the log could not be written."""
    from kiosk.store.db import DeferredStore, Store, store_path

    path = store_path(cfg)

    def open_it():
        return Store.open(path, log_group=cfg.storage.log_group)

    try:
        return open_it()
    except KioskError as exc:  # in the journal and on screen, never a crash loop
        log.error("%s", exc)
        store = DeferredStore(open_it, path, str(exc))
        store.notices.append(problems.log_unopened(path))
        return store


def open_buttons(cfg, app) -> list:
    """Optional GPIO push buttons for pause, skip and stop (pins from ``[buttons]``)."""
    pins = {"pause": cfg.buttons.pause_pin, "skip": cfg.buttons.skip_pin,
            "stop": cfg.buttons.stop_pin}
    if not any(pins.values()):
        return []
    from kiosk.mat.adc import open_buttons as gpio_buttons

    return gpio_buttons(pins, lambda action: app.key("p" if action == "pause" else action))


def run_kiosk(cfg, *, source: str, windowed: bool, frames: int = 0) -> int:
    from kiosk.ui import display

    if display.no_display() and not frames:
        raise KioskError(NO_SCREEN)
    from kiosk.app import App, Hooks
    from kiosk.coach import cues
    from kiosk.coach.speech import Speech
    from kiosk.mat.force import Layout
    from kiosk.mat.link import MatLink
    from kiosk.ui.paint import Painter

    clock = MonotonicClock()
    layout = Layout.from_config(cfg.mat)
    mat = open_mat(cfg, source, clock, layout)
    store = open_log(cfg)
    link = MatLink.from_config(cfg, calibration="saved", save_to=cfg.data_dir / "calibration.json")
    speech = Speech(cfg.data_dir / "voice", voice=cfg.voice.voice, rate_wpm=cfg.voice.rate_wpm,
                    volume=cfg.voice.volume, enabled=cfg.voice.enabled,
                    audio_device=cfg.voice.audio_device).start(cues.fixed_cues())
    import pygame

    canvas = display.Canvas(display.open_display(
        fullscreen=cfg.display.fullscreen and not windowed,
        size=(cfg.display.width, cfg.display.height)), cfg.display.rotate)
    frames_drawn = [0]
    watchdog = _watchdog(lambda: getattr(mat, "count", frames_drawn[0]), speech)
    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=speech, store=store,
              steps_for=steps_provider(cfg, store), surface=canvas.surface, painter=Painter(),
              keyboard=mat if source == "keyboard" else None,
              hooks=Hooks(on_beat=watchdog.frame if watchdog else None))
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
    frame_s = 1.0 / cfg.display.fps
    n = 0
    try:
        while True:
            tick = time.monotonic()
            keys, closed = display.poll_keys()
            if closed:
                break
            for k in keys:
                app.key(k)
            app.step()
            display.allow_sleep(not (app.last_view and app.last_view.awake))
            canvas.present()
            n += 1
            frames_drawn[0] = n
            if frames and n >= frames:
                break
            time.sleep(max(0.0, frame_s - (time.monotonic() - tick)))
    finally:
        for b in buttons:
            b.close()
        speech.close()
        if hasattr(mat, "stop"):
            mat.stop()
        store.close()
        pygame.quit()
    return 0


def _watchdog(sampler_progress, speech):
    """systemd's watchdog, fed only while the frame loop, sampler and voice all make progress.

    The real mat's progress is its sampler's sample count; a simulated mat has no thread of its
    own, so the frame count stands in for it.
    """
    from kiosk.notify import Watchdog

    parts = {}
    if sampler_progress is not None:
        parts["sampler"] = sampler_progress
    if speech is not None:
        parts["speech"] = lambda: speech.beats
    return Watchdog.for_kiosk(**parts)

"""The one place that opens the kiosk's real parts and wires them into an ``App``.

``run`` (``kiosk.kiosk``) and ``demo`` (``kiosk.demo``) differ only in where the mat and the
clock come from, what the screen is, and what a frame thinks; the log, the voice, the App and
the paced loop are opened here for both, and closed here in reverse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.app import App, Hooks
from kiosk.clock import SystemWallClock
from kiosk.coach import cues
from kiosk.config import Config
from kiosk.errors import KioskError
from kiosk.loop import FrameLoop
from kiosk.mat.force import Layout
from kiosk.mat.link import MatLink
from kiosk.program.advice import STOP_RULES_TITLE
from kiosk.program.model import StepSpec
from kiosk.seams import Clock, Keyboard, LogStore, MatSource, Screen, Voice, WallClock
from kiosk.store.db import DeferredStore, Store, StoreError

if TYPE_CHECKING:
    from kiosk.coach.speech import Speech

log = logging.getLogger(__name__)

NO_MAT = ("No mat found: this machine has no SPI bus for the MCP3008. To try the kiosk without "
          "hardware, run: osteo-kiosk run --windowed --mat keyboard")
NO_SCREEN = ("No screen to draw on (no desktop session and no /dev/dri display). On the Pi run "
             "it on the console or as the service; elsewhere try `osteo-kiosk demo`.")


def open_store(cfg: Config) -> Store:
    """The exercise log in the data directory (readable by ``storage.log_group`` if set)."""
    from kiosk.store.db import store_path

    return Store.open(store_path(cfg), log_group=cfg.storage.log_group)


def open_log(cfg: Config) -> Store | DeferredStore:
    """The log, or, when it cannot be opened (read-only or full card, wrong owner), a stand-in
    that keeps trying: the kiosk coaches anyway and says where the log could not be written."""
    from kiosk import problems
    from kiosk.store.db import store_path

    path = store_path(cfg)

    def open_it() -> Store:
        return Store.open(path, log_group=cfg.storage.log_group)

    try:
        return open_it()
    except KioskError as exc:  # in the journal and on screen, never a crash loop
        log.error("%s", exc)
        store = DeferredStore(open_it, path, str(exc))
        store.notices.append(problems.log_unopened(path))
        return store


def calibration_path(cfg: Config, person: str) -> Path:
    """A person's weigh-in file (``Config.calibration_file``)."""
    return cfg.calibration_file(person)


def household_link(cfg: Config) -> MatLink:
    """The mat's link for ``run``: the one person's saved weigh-in; in a household the first
    saved one of anyone (the empty mat's reading and foot taps; whose it is changes when
    someone says who they are)."""
    paths = [calibration_path(cfg, p.key) for p in cfg.people]
    saved = next((p for p in paths if p.exists()), paths[0])
    return MatLink.from_config(cfg, calibration="saved", save_to=saved)


def plan_for(wall: WallClock) -> Callable[[Config, LogStore], Callable[[str], Sequence[StepSpec]]]:
    """A household's planner: each person's session from their own config and log."""
    return lambda cfg, store: steps_provider(cfg, store, wall)  # type: ignore[arg-type]


def open_voice(cfg: Config, *, audio_device: bool = True,
               max_age_s: float | None = None) -> Speech:
    """The speech worker, started, its fixed cues rendered ahead of need. ``max_age_s``: how
    soon feedback goes stale (sooner on the demo's sped-up clock); ``audio_device=False``: the
    default output, not ``voice.audio_device``."""
    from kiosk.coach import cues
    from kiosk.coach.speech import Speech

    speech = Speech(cfg.data_dir / "voice", voice=cfg.voice.voice, rate_wpm=cfg.voice.rate_wpm,
                    gap_s=cfg.voice.gap_s, volume=cfg.voice.volume, enabled=cfg.voice.enabled,
                    audio_device=cfg.voice.audio_device if audio_device else "")
    if max_age_s is not None:
        speech.max_age_s = max_age_s
    return speech.start(cues.fixed_cues())


def open_mat(cfg: Config, source: str, clock: Clock, layout: Layout) -> MatSource:
    """The mat the config or ``--mat`` asks for; a clear sentence when there is none."""
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


def steps_provider(cfg: Config, store: Store | DeferredStore,
                   wall: WallClock) -> Callable[[str], Sequence[StepSpec]]:
    """Today's session for a slot, from the weekly plan at today's progression state (the
    day's run is written at its first session), less what "it hurt" left for today."""
    from kiosk.program.advice import stop_rules_due
    from kiosk.program.catalogue import load_catalogue
    from kiosk.program.checkins import chair_test_due, chair_test_step
    from kiosk.program.plan import session_steps, week_plan
    from kiosk.progress_log import run_today

    catalogue = load_catalogue()

    def steps_for(slot: str) -> Sequence[StepSpec]:
        today: date = wall.local().date()
        state = run_today(store, cfg, catalogue, today, wall.utc).state
        day = week_plan(cfg, catalogue, today, state=state)[0]
        steps = session_steps(day, slot if slot in ("morning", "evening") else "morning", cfg,
                              catalogue, store.latest_onerm_targets(), state=state)
        resting = _rest_today(store, today)
        steps = [s for s in steps if s.exercise_id not in resting]
        asked = stop_rules_asked(cfg.stop_rules_request_file(store.person or None))
        if steps and stop_rules_due(_stop_rules_said(store), today, asked):
            steps = [STOP_RULES_STEP, *steps]
        test = chair_test_step(catalogue)  # the monthly check-in closes an evening session
        if slot == "evening" and test and chair_test_due(today, *store.chair_test_dates()):
            steps = [*steps, test]
        return steps

    return steps_for


#: When to stop, said before the first session and weekly (``advice.stop_rules_due``).
STOP_RULES_STEP = StepSpec("stop_rules", "stop_rules", STOP_RULES_TITLE, cues.stop_rules()[1:],
                           block="checkin")


def _stop_rules_said(store: Store | DeferredStore) -> date | None:
    try:
        return store.stop_rules_said()
    except StoreError:  # the log cannot be read now: say them
        return None


def stop_rules_asked(path: Path) -> date | None:
    """The day the helper asked for the stop rules (``plan --say-stop-rules``), if they did; a
    request that cannot be read is left out, with a line in the journal."""
    try:
        return date.fromisoformat(path.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("%s: not a request for the stop rules (%s); left out", path, exc)
        return None


def _rest_today(store: Store | DeferredStore, today: date) -> set[str]:
    try:
        return store.rest_today(today)
    except StoreError:  # the log cannot be read now: nothing left out for today
        return set()


def open_buttons(cfg: Config, app: App) -> list[Any]:
    """Optional GPIO push buttons for pause, skip and stop (pins from ``[buttons]``)."""
    pins = {"pause": cfg.buttons.pause_pin, "skip": cfg.buttons.skip_pin,
            "stop": cfg.buttons.stop_pin}
    if not any(pins.values()):
        return []
    from kiosk.mat.adc import open_buttons as gpio_buttons

    return gpio_buttons(pins, lambda action: app.key("p" if action == "pause" else action))


@dataclass(frozen=True)
class Wired:
    """A kiosk put together: the App and the paced loop that runs its frames."""

    app: App
    loop: FrameLoop


def wire(cfg: Config, *, clock: Clock, mat: MatSource, link: MatLink, speech: Voice,
         store: LogStore, screen: Screen, steps_for: Callable[[str], Sequence[StepSpec]],
         wall: WallClock | None = None, keyboard: Keyboard | None = None,
         hooks: Hooks | None = None, think: Callable[[], bool] | None = None,
         plan_for: Callable[[Config, LogStore], Callable[[str], Sequence[StepSpec]]] | None = None,
         calibration_of: Callable[[str], Path | None] | None = None) -> Wired:
    """The App on these parts and a loop at ``display.fps``; ``think`` is a frame's work
    (default: one ``App.frame()``); in a household, ``plan_for`` plans for the person who said
    who they are and ``calibration_of`` names each person's weigh-in file."""
    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=speech, store=store,
              steps_for=steps_for, screen=screen, wall=wall or SystemWallClock(),
              keyboard=keyboard, hooks=hooks, plan_for=plan_for, calibration_of=calibration_of)
    return Wired(app, FrameLoop(app, screen, fps=cfg.display.fps, think=think))

"""``osteo-kiosk demo``: a short, real coached session with a simulated person on a simulated mat.

Everything but the person and the mat is the kiosk's own: the calibrator and detector read
the simulated mat's ADC counts, the session engine coaches, the voice speaks, the screens are
painted, and the session lands in the SQLite log. A clock that runs ``speed`` times faster than
real time makes it quicker than life; it advances in small fixed steps, so timings (a hold's
measured length) are as fine-grained as in the kiosk and the run is repeatable.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.clock import FakeClock
from kiosk.errors import KioskError
from kiosk.program.catalogue import Catalogue
from kiosk.program.model import StepSpec

if TYPE_CHECKING:
    from kiosk.app import App
    from kiosk.coach.steps import StepView
    from kiosk.config import Config
    from kiosk.mat.sim import SimMat
    from kiosk.store.db import Store

log = logging.getLogger(__name__)

SIM_STEP_S = 1 / 30  # the simulated person's and the engine's time step, whatever the speed
#: The demo's household: the simulated person who does the session, and a second person, 35 %
#: heavier, who weighed in on an earlier day and steps on after the first one's summary.
FIRST, SECOND = ("anna", "Anna"), ("bert", "Bert")
SECOND_BODY = 1.35


@dataclass
class Actor:
    """The simulated person: watches the screen state and does what the coach asks."""

    mat: SimMat
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    next_action_t: float = 0.0
    on_mat: bool = False
    soft_done: bool = False
    answered: bool = False
    chair_done: set[str] = field(default_factory=set)  # the chair moves already made
    second_at: float | None = None  # when the second person steps on (after the first's summary)
    tapped: bool = False

    def act(self, t: float, app: App) -> None:
        if app.mode == "who":
            if not self.tapped and t >= app.who_quiet_at + 0.5:  # heard, then "that's me"
                self.mat.tap("right")
                self.tapped = True
            return
        if app.mode != "session" or app.session is None:
            if self.on_mat and app.mode == "summary":
                self.mat.step_off()
                self.on_mat = False
            elif self.second_at is not None and app.mode == "home" and t >= self.second_at \
                    and not self.on_mat:
                self.mat.body = SECOND_BODY  # someone else steps on
                self.mat.step_on()
                self.on_mat = True
                self.second_at = None
            return
        view = app.session.view
        step = view.step
        if step is None or t < self.next_action_t:
            return
        if step.kind == "calibrate":
            if step.phase == "step_off" and self.on_mat:
                self.mat.step_off()
                self.on_mat = False
            elif step.phase == "stand" and not self.on_mat:
                self.mat.step_on()
                self.on_mat = True
            return
        if not self.on_mat:
            self.mat.step_on()
            self.on_mat = True
            self.next_action_t = t + 1.0
            return
        if step.kind in ("balance", "chair_test") or step.exercise_id == "sit_to_stand":
            self._mat_sees(t, step)
        elif step.kind == "stomp" and step.phase in ("left", "right"):
            peak = 1.2 if not self.soft_done else self.rng.uniform(2.0, 2.6)
            self.soft_done = True  # the first stomp is soft: the coach says "Harder!"
            self.mat.stomp(step.active_foot, peak)
            self.next_action_t = t + 1.6
        elif step.kind == "stretch" and step.phase == "ask" and not self.answered:
            self.next_action_t = t + 3.0  # thinks about it, then taps the right foot: no pain
            self.answered = True
        elif step.kind == "stretch" and step.phase == "ask":
            self.mat.stomp("right", 0.8)
            self.next_action_t = t + 5.0


    def _mat_sees(self, t: float, step: StepView) -> None:
        """One-leg stances (each a few seconds, then a touch-down) and chair stands."""
        key = f"{step.kind}-{step.phase}-{step.side}-{step.set_no}"
        if self.mat.seated and step.kind == "balance":
            self.mat.stand_up()
        if step.kind == "balance" and step.phase == "ready" and step.side:
            hold_s = self.rng.uniform(3.0, 6.0)
            self.mat.one_leg(step.side, hold_s)
            self.next_action_t = t + hold_s + 3.0
        elif step.phase in ("prep", "sit") and key not in self.chair_done:
            self.mat.sit()
            self.chair_done.add(key)
        elif step.phase in ("reps", "count") and key not in self.chair_done:
            self.mat.chair_stands(step.reps if step.phase == "reps" else 13, 0.9, 1.1)
            self.chair_done.add(key)


def demo_steps(config: Config, catalogue: Catalogue | None = None) -> list[StepSpec]:
    """Four stomps a foot, a one-leg stance, chair stands and their monthly test, and one
    stretch hold, dosed from the config and the catalogue."""
    p = config.program
    lines: tuple[str, ...] = ("Face a wall, hands on it.", "Step one foot back, heel down.")
    stretch_title, stretch_id = "Calf stretch", "calf_stretch"
    if catalogue is not None:
        stretches = [e for e in catalogue.values() if e.kind == "stretch"]
        if stretches:
            ex = stretches[0]
            stretch_title, stretch_id, lines = ex.name, ex.id, ex.instructions
    return [
        StepSpec("stomp", "stomps", "Stomps", ("Stand tall, one hand on the counter.",),
                 block="stomps", per_foot=4, target_bw=p.stomp_target_bw),
        # what the mat sees beyond stomps: a one-leg stance per side, mat-counted chair stands
        # and the monthly chair stand test (short doses: this is a demo)
        StepSpec("balance", "one_leg_stand", "Standing on one leg", block="balance",
                 hold_s=10.0, holds=1, rest_s=3.0, sides=("right", "left")),
        StepSpec("strength", "sit_to_stand", "Sit to stand", block="strength", sets=1, reps=3,
                 rest_s=30.0),
        StepSpec("chair_test", "chair_stand_test", "Chair stand check", block="checkin",
                 hold_s=30.0),
        StepSpec("stretch", stretch_id, stretch_title, tuple(lines), block="stretch",
                 hold_s=float(p.hold_s)),
    ]


def second_steps(config: Config) -> list[StepSpec]:
    """The second person's short session: two stomps a foot."""
    return [StepSpec("stomp", "stomps", "Stomps", ("Stand tall, one hand on the counter.",),
                     block="stomps", per_foot=2, target_bw=config.program.stomp_target_bw)]


def demo_household(config: Config) -> Config:
    """The demo's configuration: the kiosk's own sections from ``config``, and a household of
    two simulated people cleared for its stomps (the person's own profile is left as it is)."""
    from kiosk.config import validated

    values = config.as_dict()
    values.pop("profile")
    values.pop("people", None)
    cleared = {"impact_cleared": True, "fracture_history": "no", "birth_year": 1950}
    values["people"] = {key: {"profile": {"name": name, **cleared}} for key, name in
                        (FIRST, SECOND)}
    return validated(values, "<demo>")


def earlier_weigh_in(config: Config, body: float, path: Path) -> None:
    """A weigh-in of a simulated person ``body`` times the first one's weight, made by the
    kiosk's own calibrator on the simulated mat's counts, as if on an earlier day."""
    from kiosk.mat.calibrate import Calibrator
    from kiosk.mat.force import Layout
    from kiosk.mat.sim import SimMat

    clock = FakeClock()
    layout = Layout.from_config(config.mat)
    mat = SimMat(clock, rate_hz=config.mat.rate_hz, layout=layout)
    mat.body = body
    yesterday = datetime.now(UTC) - timedelta(days=1)
    cal = Calibrator(layout, config.mat.divider_ohms, yesterday.isoformat(timespec="seconds"))
    made = None
    for k in range(int(12 / SIM_STEP_S)):
        if k == int(2 / SIM_STEP_S):
            mat.step_on()
        clock.advance(SIM_STEP_S)
        made = cal.feed_batch(mat.drain()) or made
        if made is not None:
            made.save(path)
            return
    raise KioskError("the demo's second person could not be weighed in")


def demo_log_path(config: Config) -> Path:
    """The demo's own log, beside the person's and never it: a simulated person's stomps must
    not count in their report, and the demo changes nothing in their profile."""
    return Path(config.data_dir) / "demo" / "demo.sqlite"


def run_demo(config: Config, *, speed: float = 4.0, screenshots: Path | None = None,
             size: tuple[int, int] = (1280, 720), max_seconds: float = 600.0,
             say: Callable[[str], object] = print) -> dict:
    """Run the demo; returns what the log holds about the session it ran."""
    from kiosk.ui import display

    if not 0 < speed <= 100:  # NaN too
        raise KioskError(f"--speed {speed:g} is out of range (allowed: more than 0, up to 100)")
    if display.no_display():
        display.use_offscreen()
        say("No display found: drawing off-screen with SDL's dummy driver.")
    import pygame

    from kiosk.app import Hooks
    from kiosk.mat.link import MatLink
    from kiosk.mat.sim import SimMat
    from kiosk.program.catalogue import load_catalogue
    from kiosk.store.db import Store
    from kiosk.ui.screen import PygameScreen
    from kiosk.wiring import open_voice, wire

    store = Store.open(demo_log_path(config), log_group=config.storage.log_group, backup=False)
    config = demo_household(config)
    folder = demo_log_path(config).parent

    def weighed(key: str) -> Path:  # the demo's own weigh-ins, beside its log
        return folder / f"calibration-{key}.json"

    for key, _ in (FIRST, SECOND):  # each run weighs its people in afresh
        weighed(key).unlink(missing_ok=True)
    earlier_weigh_in(config, SECOND_BODY, weighed(SECOND[0]))
    clock = FakeClock()
    link = MatLink.from_config(config, calibration=None, save_to=None)
    mat = SimMat(clock, rate_hz=config.mat.rate_hz, layout=link.layout)
    speech = open_voice(config, audio_device=False, max_age_s=3.0)
    screen = PygameScreen(display.Canvas(display.open_display(
        fullscreen=False, size=size, caption="Osteo Kiosk demo")), show=False)
    shots: list[Path] = []
    last = {"name": ""}

    def on_frame(name: str, surf: pygame.Surface) -> None:
        """A PNG whenever the screen or the step's phase changes: each screen shown, as shown."""
        step = app.session.view.step if app.session is not None and name != "summary" else None
        key = f"{name}-{step.phase}" if step is not None and step.phase != name else name
        if screenshots is not None and key != last["name"]:
            screenshots.mkdir(parents=True, exist_ok=True)
            path = screenshots / f"{len(shots) + 1:02d}-{key}.png"
            pygame.image.save(surf, str(path))
            shots.append(path)
        last["name"] = key

    # paint once a real frame, think every SIM_STEP_S of simulated time
    substeps = max(1, math.ceil(speed / config.display.fps / SIM_STEP_S))
    dt = speed / config.display.fps / substeps

    sessions: list[int] = []

    def think() -> bool:
        """One real frame of the sped-up demo; False once the second person's session reaches
        its summary (the first one's summary is followed by the second person stepping on)."""
        for k in range(substeps):
            clock.advance(dt)
            app.frame(paint=k == substeps - 1)
            if app.mode == "summary" and app.recorder and app.recorder.session_id \
                    and app.recorder.session_id not in sessions:
                sessions.append(app.recorder.session_id)
                if len(sessions) == 2:
                    app.paint()
                    return False
                actor.second_at = clock.now() + 3.0  # after the summary, the next person
            actor.act(clock.now(), app)
        return True

    steps = demo_steps(config, load_catalogue())
    wired = wire(config, clock=clock, mat=mat, link=link, speech=speech, store=store,
                 screen=screen, steps_for=lambda slot: steps, hooks=Hooks(on_frame=on_frame),
                 think=think,
                 plan_for=lambda cfg, _log: (lambda slot: steps if cfg.profile.name == FIRST[1]
                                             else second_steps(cfg)),
                 calibration_of=weighed)
    app = wired.app
    app.slot_for = lambda now: "demo"  # the demo's sessions stay out of every report
    actor = Actor(mat)
    try:
        app.be(FIRST[0], clock.now())  # the first simulated person starts the demo
        app.start_session(clock.now(), slot="demo")
        if not wired.loop.run(max_s=max_seconds) or app.mode != "summary":
            raise KioskError(f"the demo did not finish within {max_seconds:g} s")
        # the summary stays while the last words are said and shown, as in the kiosk
        while app.mode == "summary" and app.session and not app.session.captions_done(
                clock.now()):
            clock.advance(dt)
            app.frame(paint=False)
        if app.mode == "summary" and shots and screenshots is not None:
            app.paint()  # the summary as it ends, its last words caught up
            pygame.image.save(screen.surface, str(shots[-1]))
        deadline = time.monotonic() + 4.0
        while not speech.idle() and time.monotonic() < deadline:
            time.sleep(0.05)  # let the last words be heard
    finally:
        speech.close()
        pygame.display.quit()
    result = session_detail(store, sessions[0]) if sessions else {}
    if len(sessions) > 1:  # the second person, recognised by the mat, and their session
        result["second"] = session_detail(store, sessions[1])
    result["people"] = store.people()
    store.close()
    if screenshots is not None:  # and every screen the kiosk has, at the reference sizes
        from kiosk.ui.shots import write_shots

        shots += write_shots(screenshots / "all-screens")
    result["screenshots"] = [str(p) for p in shots]
    result["speed"] = speed
    result["voice"] = speech.status.detail
    return result


def session_detail(store: Store, session_id: int) -> dict:
    """What the log holds about one session, read back from the log itself."""
    session = next(s for s in store.for_person(None).sessions(limit=None)
                   if s["id"] == session_id)
    return {**session, "log_path": str(store.path), "steps": store.steps_of(session_id)}

"""One representative state per screen, made by driving the real engine with scripted events.

Used by the screenshot tests, the layout tests and the screen benchmark, so all three look at
the very screens a session shows.
"""

from __future__ import annotations

from datetime import datetime

from kiosk.coach.engine import Session
from kiosk.coach.events import CalProgress, Command, Tick
from kiosk.mat.events import Landing, Step
from kiosk.program.model import StepSpec
from kiosk.ui.views import DaySummary, UiState

NOW = datetime(2026, 11, 24, 9, 5)
WEEK = tuple(DaySummary(d, n) for d, n in zip(("Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue"),
                                                (2, 2, 1, 2, 0, 2, 1), strict=True))


def _run(spec: StepSpec, until: float, events=()) -> Session:
    s = Session([spec])
    t = 0.0
    pending = sorted(events, key=lambda e: e.t)
    while t <= until:
        while pending and pending[0].t <= t:
            s.handle(pending.pop(0))
        s.handle(Tick(t))
        t += 0.1
    return s


def sample_states() -> dict[str, UiState]:
    stomp = StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=4, target_bw=1.5)
    stretch = StepSpec("stretch", "hip_flexor_stretch", "Hip flexor stretch", (),
                       block="stretch", hold_s=25.0, sides=("left", "right"))
    strength = StepSpec("strength", "sit_to_stand", "Sit to stand", (), block="strength", sets=2,
                        reps=8, rest_s=90.0, load_kg=4.0)
    cardio = StepSpec("cardio", "march", "Brisk march", (), block="cardio_high",
                      duration_s=600.0, target_spm=115.0, intensity="high")
    extensor = StepSpec("extensor", "wall_extension", "Back lift", (), block="extensor",
                        hold_s=5.0, holds=5, rest_s=5.0)
    calib = StepSpec("calibrate", "calibration", "Weighing in")

    landings = [Landing(0.5 + i, "left", p, p >= 1.5) for i, p in enumerate((1.2, 2.1, 2.4))]
    steps = [Step(1 + i * 0.55, "left" if i % 2 else "right", 108.0) for i in range(60)]
    states = {
        "home": UiState("home", NOW, name="Margaret",
                        today=(("morning", "09:00", False), ("evening", "17:30", False)),
                        reminder="Time for your morning stomps and stretches."),
        "calibrate": UiState("session", NOW, session=_run(calib, 2.0, [
            CalProgress(1.0, "standing", 0.4)]).view),
        "stomp": UiState("session", NOW, session=_run(stomp, 4.0, landings).view),
        "stretch": UiState("session", NOW, session=_run(stretch, 12.0).view),
        "strength": UiState("session", NOW, session=_run(strength, 15.0).view),
        "cardio": UiState("session", NOW, session=_run(cardio, 30.0, steps).view),
        "extensor": UiState("session", NOW, session=_run(extensor, 6.0).view),
        "paused": UiState("session", NOW, session=_run(stomp, 2.0, [Command(1.0, "pause")]).view),
        "summary": UiState("summary", NOW, session=_run(extensor, 80.0).view, week=WEEK,
                           streak_days=5),
        "problem_mat": UiState("problem", NOW, problem=(
            "The mat is not answering", "Check that the mat's cable is plugged in firmly.")),
        "problem_voice": UiState("problem", NOW, problem=(
            "The voice is not working", "Words still show here. A helper can run "
                                        "`osteo-kiosk doctor`.")),
        "problem_config": UiState("problem", NOW, problem=(
            "The settings file has a mistake", "A helper can run `osteo-kiosk config check`.")),
    }
    return states

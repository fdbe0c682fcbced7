"""One representative state per screen, made by driving the real engine with scripted events.

Used by the screenshot tests, the layout tests and the screen benchmark, so all three look at
the very screens a session shows. Each session sample is one step of a realistic six-step
session, reached by skipping the steps before it, so headers read "3 of 6" as they would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from kiosk import problems
from kiosk.coach.engine import Session, SessionView
from kiosk.coach.events import CalProgress, Command, Tick
from kiosk.coach.whoask import WhoAsk, WhoView
from kiosk.mat.events import Footfall, Landing
from kiosk.program.model import StepSpec
from kiosk.ui.views import DaySummary, UiState

NOW = datetime(2026, 11, 24, 9, 5)
EVENING = datetime(2026, 11, 24, 19, 40)
WEEK = tuple(DaySummary(d, n) for d, n in zip(("Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue"),
                                                (2, 2, 1, 2, 0, 2, 1), strict=True))

CALIBRATE = StepSpec("calibrate", "calibration", "Weighing in")
STOMP = StepSpec("stomp", "heel_stomp", "Heel stomps", ("Stand tall on the mat.",
                                                        "Hold the counter with one hand."),
                 block="stomps", per_foot=4, target_bw=1.5)
STRETCH = StepSpec("stretch", "hip_front_stretch", "Front of hip stretch", (), block="stretch",
                   hold_s=25.0, sides=("left", "right"))
STRENGTH = StepSpec("strength", "sit_to_stand", "Sit to stand", (), block="strength", sets=2,
                    reps=8, rest_s=90.0, load_kg=4.0)
STRENGTH_TEST = StepSpec("strength", "wrist_curl", "Wrist curl", (), block="strength", test=True,
                         sets=1, reps=10, weights_kg=(1.0, 2.0, 3.0, 4.0, 5.0))
CARDIO = StepSpec("cardio", "brisk_march", "Brisk marching", (), block="cardio_high",
                  duration_s=600.0, target_spm=115.0, intensity="high")
EXTENSOR = StepSpec("extensor", "wall_press", "Tall at the wall", (), block="extensor",
                    hold_s=5.0, holds=5, rest_s=5.0)
SESSION = (CALIBRATE, STOMP, CARDIO, STRENGTH, EXTENSOR, STRETCH)

#: A short session that runs to its end on its own (the stomps are skipped): the summary.
SHORT = (replace(STOMP, instructions=()),
         replace(EXTENSOR, hold_s=1.0, holds=1, rest_s=0.0),
         replace(STRENGTH, sets=1, reps=1, rest_s=0.0),
         replace(CARDIO, duration_s=5.0, intensity="low"),
         replace(STRETCH, hold_s=1.0, sides=()))


def _run(specs: Sequence[StepSpec], until: float, events=(), at: StepSpec | None = None
         ) -> SessionView:
    """Run a session to ``until`` seconds after the step ``at`` began (skipping those before).

    The skips happen at once, before time starts for the step shown, so its captions are its
    own (a skip hushes what was waiting to be said)."""
    s = Session(list(specs))
    skips = list(specs).index(at) if at is not None else 0
    for _ in range(skips):
        s.handle(Command(0.0, "skip"))
    t0 = 0.1 if skips else 0.0
    pending = sorted((replace(e, t=e.t + t0) for e in events), key=lambda e: e.t)
    t = 0.0
    while t <= until + t0 + 1e-9:
        while pending and pending[0].t <= t + 1e-9:
            s.handle(pending.pop(0))
        s.handle(Tick(t))
        t = round(t + 0.1, 6)
    return s.view


def _session(at: StepSpec, until: float, events=()) -> UiState:
    return UiState("session", NOW, session=_run(SESSION, until, events, at))


def _who(people: list[tuple[str, str]], matched: bool) -> WhoView:
    """Who is on the mat, as its opening lines leave it (the last line in the caption)."""
    ask = WhoAsk(people, 0.0, matched=matched)
    ask.opening()
    return ask.view()


def sample_states() -> dict[str, UiState]:
    go = 9.0  # the stomps' two instruction lines are read first
    stomps = [Landing(go + i, "left", p, p >= 1.5) for i, p in enumerate((1.2, 2.1, 2.4))]
    right = [Landing(go + 6 + i, "right", p, p >= 1.5)
             for i, p in enumerate((1.7, 1.6, 1.1))]  # four tries a foot: the set goes on
    steps = [Footfall(1 + i * 0.52, "left" if i % 2 else "right", 98.0) for i in range(100)]
    fast = [Footfall(1 + i * 0.5, "left" if i % 2 else "right", 116.0) for i in range(120)]
    today = (("morning", "09:00", False), ("evening", "17:30", False))
    return {
        "home": UiState("home", NOW, name="Margaret", today=today, next_slot="morning",
                        reminder="Time for your morning stomps and stretches."),
        "home_evening": UiState("home", EVENING, name="Margaret",
                                today=(("morning", "09:00", True), ("evening", "17:30", True)),
                                notice="No voice: the words show on screen."),
        "calibrate": _session(CALIBRATE, 4.0, [CalProgress(1.0, "standing", 0.4)]),
        "calibrate_off": _session(CALIBRATE, 0.5),
        "stomp_instruct": _session(STOMP, 2.5),
        "stomp": _session(STOMP, go + 3.0, stomps),
        "stomp_right": _session(STOMP, go + 12.5, [*stomps, Landing(go + 3.5, "left", 1.9, True),
                                                   *right]),
        "cardio": _session(CARDIO, 30.0, steps),
        "cardio_surprise": _session(CARDIO, 46.0, fast),
        "strength": _session(STRENGTH, 26.0),  # the lines, 10 s to sit with the weights
        "strength_rest": _session(STRENGTH, 62.0),
        "strength_test_pick": UiState("session", NOW, session=_run((STRENGTH_TEST,), 12.0)),
        "strength_test_reps": UiState("session", NOW, session=_run((STRENGTH_TEST,), 44.0)),
        "extensor": _session(EXTENSOR, 14.0),  # "get ready" said, 10 s to get into place
        "stretch": _session(STRETCH, 20.0),
        "stretch_ask": _session(STRETCH, 86.0),  # the question being said
        "paused": _session(STOMP, 7.0, [Command(1.0, "pause")]),
        "summary": UiState("summary", NOW, session=_run(SHORT, 150.0, [Command(0.5, "skip")]),
                           week=WEEK, streak_days=5),
        "summary_demo": UiState("summary", NOW, session=_run(SHORT, 150.0, [Command(0.5, "skip")]),
                                week=WEEK, demo=True),
        "who_match": UiState("who", NOW, who=_who([("bert", "Bert"), ("anna", "Anna")], True)),
        "who_ask": UiState("who", NOW, who=_who([("margaret", "Margaret"), ("anna", "Anna"),
                                                 ("bert", "Bert")], False)),
        "problem_mat": UiState("problem", NOW, problem=(
            "The mat is not answering", "Check that the mat's cable is plugged in firmly.")),
        "problem_voice": UiState("problem", NOW, problem=problems.VOICE),
        "problem_config": UiState("problem", NOW, problem=problems.CONFIG),
        "problem_no_mat": UiState("problem", NOW, problem=problems.NO_MAT),
        "problem_no_spi": UiState("problem", NOW, problem=problems.NO_SPI),
        "problem_no_sound": UiState("problem", NOW, problem=problems.NO_SOUND),
    }

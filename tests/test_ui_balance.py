"""The balance, chair-stand and mat-counted sit-to-stand screens, from the real engine, laid
out and readable at every screen size (the same checks as every other screen)."""

import os
from dataclasses import replace

import pygame
import pytest

from kiosk.coach import cues
from kiosk.coach.balance_steps import Bal
from kiosk.coach.engine import Session
from kiosk.coach.events import Tick
from kiosk.coach.steps import AWAY_READY_S, dwell_s
from kiosk.mat.movements import ChairSat, ChairStood, StanceBegan, Steadiness
from kiosk.ui.samples import NOW
from kiosk.ui.shots import LAYOUT_SIZES
from kiosk.ui.views import Text, UiState, build
from tests import test_ui_layout as layout
from tests.test_coach_balance import BAL, CHAIR_COUNTDOWN_S, STS, TEST

HEEL = replace(BAL, exercise_id="heel_to_toe", title="Heel to toe", hold_s=10.0, holds=2)
GO_S = CHAIR_COUNTDOWN_S + 3.0  # the chair test's "go": the mat counts from here
#: The sit-to-stand's first set: "no weights" heard, the time to sit, the set's line heard.
SET_S = dwell_s(cues.pick_up(None)) + AWAY_READY_S + dwell_s(cues.set_of(1, 1, STS.reps)) + 0.5


def state(spec, until, events=(), feet=(True, True)) -> UiState:
    """The screen at ``until``: a time, or the first moment a condition on the session holds
    (so a change in how long the lines take does not move the screen shown)."""
    s = Session([spec], feet=feet)
    pending = sorted(events, key=lambda e: e.t)
    t = 0.0
    while (not until(s)) if callable(until) else t < until:
        assert t < 300, "never happened"
        t = round(t + 0.1, 6)
        while pending and pending[0].t <= t:
            s.handle(pending.pop(0))
        s.handle(Tick(t))
    return UiState("session", NOW, session=s.view)


STATES = {
    "balance_steady": state(BAL, 1.0),
    "balance_ready": state(BAL, 3.0, [Steadiness(1.0, 52.0, 1.2, 4.0)]),
    "balance_stance": state(BAL, 14.0, [Steadiness(1.0, 52.0, 1.2, 4.0),
                                        StanceBegan(2.0, "right", 1.5)]),
    "balance_timed": state(BAL, 12.0, feet=(False, False)),
    # the ladder's rungs on both feet: a hold on the clock, the mat measuring its steadiness
    "balance_heel_ready": state(HEEL, 2.0),
    "balance_hold": state(HEEL, 12.0, [Steadiness(10.0, 49.0, 2.0, 4.0)]),
    "balance_rest": state(HEEL, lambda s: s.step is not None and s.step.phase is Bal.REST),
    "chair_offer": state(TEST, 2.0),
    "chair_countdown": state(TEST, CHAIR_COUNTDOWN_S + 1.5),
    "chair_count": state(TEST, GO_S + 9.0, [ChairStood(GO_S + 1.0 + 2 * k, k + 1, 0.8)
                                            for k in range(4)]),
    "sit_to_stand_mat": state(STS, SET_S + 3.0, [ChairStood(SET_S + 1.0, 1, 0.9),
                                                 ChairSat(SET_S + 2.5, 1, 1.1, 2.9)]),
}
VIEWS = {name: build(s) for name, s in STATES.items()}


@pytest.fixture(scope="module")
def painter():
    pygame.display.init()
    return layout.Painter()


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", VIEWS)
def test_the_new_screens_lay_out(painter, screen, size, monkeypatch):
    monkeypatch.setitem(layout.VIEWS, screen, VIEWS[screen])
    layout.test_screen_lays_out(painter, screen, size)
    monkeypatch.setitem(layout.STATES, screen, STATES[screen])
    layout.test_every_text_reaches_7_to_1_on_what_is_behind_it(screen)
    layout.test_the_spoken_words_show_as_the_caption(screen)
    if size == (800, 480) and os.environ.get("OSTEO_KIOSK_SHOTS"):  # to look at them
        surface = pygame.Surface(size)
        painter.paint(surface, VIEWS[screen])
        pygame.image.save(surface, os.path.join(os.environ["OSTEO_KIOSK_SHOTS"],
                                                f"{screen}.png"))


def texts(name):
    return [i.text for i in VIEWS[name].items if isinstance(i, Text)]


def test_what_each_screen_says():
    assert VIEWS["balance_stance"].name == "balance"
    assert "12" in texts("balance_stance") and "On your right foot" in texts("balance_stance")
    assert "Stand still" in texts("balance_steady")
    assert "no mat here" in texts("balance_timed")
    assert "Right heel in front" in texts("balance_heel_ready")
    assert VIEWS["balance_hold"].name == "balance" and "Hold 1 of 2" in texts("balance_hold")
    assert "Rest" in texts("balance_rest")
    assert "4" in texts("chair_count") and any("s left" in t for t in texts("chair_count"))
    assert "counted by the mat" in texts("sit_to_stand_mat")
    assert "1 of 3" in texts("sit_to_stand_mat")

"""Headlines that name what to do now, and a summary that counts every planned exercise.

The states come from the real session engine driven by scripted events (as the screens see
them in a session)."""

from __future__ import annotations

import dataclasses

from kiosk.coach import cues
from kiosk.coach.engine import Session
from kiosk.coach.events import Command, Tick
from kiosk.ui import samples
from kiosk.ui.views import DEMO_CHART, SURPRISE_ACTIONS, Icon, Text, UiState, build


def _texts(state: UiState) -> list[str]:
    return [i.text for i in build(state).items if isinstance(i, Text)]


def _at(specs, until: float, events=()) -> UiState:
    s = Session(list(specs))
    pending = sorted(events, key=lambda e: e.t)
    t = 0.0
    while t <= until + 1e-9:
        while pending and pending[0].t <= t:
            s.handle(pending.pop(0))
        s.handle(Tick(t))
        t = round(t + 0.1, 6)
    mode = "summary" if s.finished else "session"
    return UiState(mode, samples.NOW, session=s.view)


def test_a_surprise_names_its_action_not_surprise():
    state = samples.sample_states()["cardio_surprise"]
    prompt = state.session.step.prompt
    assert prompt in cues.SURPRISES
    texts = _texts(state)
    assert SURPRISE_ACTIONS[prompt] in texts and "Surprise!" not in texts
    assert set(SURPRISE_ACTIONS) == set(cues.SURPRISES) | set(cues.DIRECTION_SURPRISES)


def test_before_the_first_hold_the_headline_says_get_ready_not_relax():
    stretch = dataclasses.replace(samples.STRETCH, instructions=())
    ready = _texts(_at([stretch], 1.0))
    assert "Get ready, right side" in ready or "Get ready, left side" in ready
    assert not [t for t in ready if "relax" in t.lower()]
    holding = _texts(_at([stretch], 16.0))  # the side said, then 10 s to get into place
    assert any(t.startswith("Hold, ") for t in holding)


def test_weighing_in_says_step_off_while_asking_to_step_off():
    state = samples.sample_states()["calibrate_off"]
    assert state.session.caption == cues.CAL_STEP_OFF
    assert "Step off" in _texts(state) and "Stand still" not in _texts(state)


def test_the_pain_question_is_the_headline():
    state = samples.sample_states()["stretch_ask"]
    assert "Did that hurt?" in _texts(state)[:3]


def test_a_stopped_session_counts_every_planned_exercise():
    """Stopped during the third of six steps (after the weigh-in and the stomps were
    skipped): the summary counts all five exercises of the plan, none done."""
    state = _at(samples.SESSION, 3.0, [Command(0.5, "skip"), Command(1.0, "skip"),
                                      Command(2.0, "stop")])
    assert state.session.phase.name == "FINISHED"
    view = build(state)
    assert "You did 0 of 5 exercises" in _texts(state)
    signs = [i.name for i in view.items if isinstance(i, Icon)
             and i.name in ("done", "skipped", "todo")]
    assert len(signs) == 5 and "done" not in signs and signs.count("todo") >= 3


def test_the_summary_counts_what_was_done():
    state = samples.sample_states()["summary"]
    finished = [d for d in state.session.done if d[2] == "done"]
    assert f"You did {len(finished)} of 5 exercises" in _texts(state)


def test_the_demo_chart_says_it_is_a_demo():
    states = samples.sample_states()
    assert DEMO_CHART in _texts(states["summary_demo"])
    assert DEMO_CHART not in _texts(states["summary"])

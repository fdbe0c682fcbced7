"""Every screen readable from two metres: sizes, contrast, fit and overlap, at four screen sizes.

The sample states come from driving the real session engine (``kiosk.ui.samples``), so these
are the screens a person will see.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pygame
import pytest

from kiosk.coach.engine import Phase
from kiosk.ui import theme
from kiosk.ui.paint import TEXT_CACHE_PX, Painter
from kiosk.ui.pictograms import BY_EXERCISE, BY_KIND, FIGURES
from kiosk.ui.samples import sample_states
from kiosk.ui.shots import LAYOUT_SIZES
from kiosk.ui.views import Bar, Icon, Ring, Text, background_of, build

STATES = sample_states()
VIEWS = {name: build(state) for name, state in STATES.items()}


@pytest.fixture(scope="module")
def painter():
    pygame.display.init()
    return Painter()


def test_theme_text_colours_reach_7_to_1_on_screen_and_panel():
    for name, colour in theme.TEXT_COLORS.items():
        for bg in (theme.BG, theme.PANEL):
            assert theme.contrast(colour, bg) >= 7.0, (name, bg)


@pytest.mark.parametrize("screen", VIEWS)
def test_every_text_reaches_7_to_1_on_what_is_behind_it(screen):
    view = VIEWS[screen]
    for item in view.items:
        if isinstance(item, Text):
            bg = background_of(view, item)
            assert theme.contrast(theme.TEXT_COLORS[item.color], bg) >= 7.0, (item.text, bg)


def test_type_sizes_never_below_body_minimum():
    assert theme.MIN_BODY >= 0.06
    assert all(size >= theme.MIN_BODY for size in theme.SIZES.values())


def test_contrast_is_wcag():
    assert theme.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert theme.contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", VIEWS)
def test_screen_lays_out(painter, screen, size):
    """No text overflows, shrinks below 6 %, leaves the screen, or overlaps text or a sign."""
    surface = pygame.Surface(size)
    placed = painter.paint(surface, VIEWS[screen])
    bounds = surface.get_rect()
    texts = [p for p in placed if isinstance(p.item, Text) and p.item.text]
    for p in placed:
        assert bounds.contains(p.rect), (p.item, p.rect)
    for p in texts:
        assert not p.overflow, p.item.text
        assert p.px >= int(theme.MIN_BODY * size[1]), (p.item.text, p.px)
    solid = [p for p in placed if isinstance(p.item, Icon | Bar)]
    for i, a in enumerate(texts):
        for b in texts[i + 1:] + solid:
            assert not a.rect.colliderect(b.rect), (a.item, b.item)
    for ring in (p for p in placed if isinstance(p.item, Ring)):
        for t in texts:  # text inside a ring must sit inside its hole
            if ring.rect.colliderect(t.rect):
                hole = ring.rect.inflate(-ring.rect.w // 3, -ring.rect.h // 3)
                assert hole.contains(t.rect), t.item.text


@pytest.mark.parametrize("screen", [n for n, s in STATES.items() if s.session
                                    and s.session.phase is not Phase.PAUSED])
def test_the_spoken_words_show_as_the_caption(screen):
    caption = STATES[screen].session.caption
    assert caption
    assert caption in [i.text for i in VIEWS[screen].items if isinstance(i, Text)]


def test_a_missed_stomp_has_a_cross_not_just_a_colour():
    view, step = VIEWS["stomp_right"], STATES["stomp_right"].session.step
    mine = [hit for foot, _, hit in step.landings if foot == step.active_foot]
    icons = [i.name for i in view.items if isinstance(i, Icon) and i.name in ("tick", "cross")]
    assert icons == ["tick" if hit else "cross" for hit in mine]
    bars = [i for i in view.items if isinstance(i, Bar) and i.color != theme.TARGET]
    assert [b.hollow for b in bars] == [not hit for hit in mine]


def test_home_says_done_in_words_and_shapes():
    texts = [i.text for i in VIEWS["home_evening"].items if isinstance(i, Text)]
    assert texts.count("done") == 2
    assert [i.name for i in VIEWS["home_evening"].items if isinstance(i, Icon)].count("done") == 2


def test_display_kept_awake_in_a_session_and_may_sleep_when_idle():
    assert VIEWS["home"].awake  # a reminder is due: keep it on so it is seen
    assert not VIEWS["home_evening"].awake
    for name in ("stomp", "stretch", "cardio", "paused", "summary"):
        assert VIEWS[name].awake


def test_every_exercise_has_a_drawable_pictogram():
    for name in {*BY_EXERCISE.values(), *BY_KIND.values()}:
        assert name in FIGURES
    for name, pic in FIGURES.items():
        for _, role, data in pic.strokes:
            assert role in ("body", "prop", "accent"), name
            pts = [data[0]] if isinstance(data[1], float) else data
            assert all(0.0 <= c <= 1.0 for pt in pts for c in pt), name


def test_text_cache_stays_within_its_budget(painter):
    surface = pygame.Surface((1920, 1080))
    view = VIEWS["stretch"]
    for n in range(200):  # a long countdown: every number a new text
        painter.paint(surface, view.__class__(view.name, (Text(str(n), 0.5, 0.5, "huge"),)))
    assert painter.lines.px <= TEXT_CACHE_PX


def test_views_are_built_without_pygame():
    code = ("import sys; from kiosk.ui.samples import sample_states; "
            "from kiosk.ui.views import build; "
            "[build(s) for s in sample_states().values()]; "
            "assert 'pygame' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def _longest(state, **changes):
    return dataclasses.replace(state, **changes)


def _stress_views():
    """Real-world long words: a double-barrelled name, the longest titles, a long problem."""
    s = STATES
    long_steps = tuple((f"Reverse wrist curls {k}", "strength", "done" if k % 3 else "skipped")
                       for k in range(9))
    summary = s["summary"].session
    return {
        "long_name": _longest(s["home"], name="Margaret-Anne Fitzgerald",
                              notice="The log was repaired; a helper can look at it."),
        "long_title": _longest(s["stretch"], session=dataclasses.replace(
            s["stretch"].session, step=dataclasses.replace(
                s["stretch"].session.step, title="Reverse wrist curls", side="right"))),
        "many_exercises": _longest(s["summary"], streak_days=123, session=dataclasses.replace(
            summary, done=long_steps)),
        "long_problem": _longest(s["problem_config"], problem=(
            "The settings file has a mistake on line 12",
            "A helper can run osteo-kiosk config check to see what is wrong and fix it.")),
    }


@pytest.mark.parametrize("size", [(800, 480), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_long_real_world_words_still_fit(painter, size):
    surface = pygame.Surface(size)
    for name, state in _stress_views().items():
        placed = painter.paint(surface, build(state))
        texts = [p for p in placed if isinstance(p.item, Text) and p.item.text]
        assert not [p.item.text for p in texts if p.overflow], name
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                assert not a.rect.colliderect(b.rect), (name, a.item.text, b.item.text)


def test_paused_screen_shows_the_three_mat_gestures_with_a_sign_each():
    view = VIEWS["paused"]
    texts = [i.text for i in view.items if isinstance(i, Text)]
    signs = [i.name for i in view.items if isinstance(i, Icon) and i.name.startswith("feet_")]
    assert texts[1:4] == ["Both feet on the mat: carry on",
                          "Right foot only, 2 seconds: skip this one",
                          "Left foot only, 2 seconds: stop for today"]
    assert signs == ["feet_both", "feet_right", "feet_left"]


def test_the_screens_show_what_the_engine_and_step_decided_never_their_own_copy():
    paused = STATES["paused"]
    longer = dataclasses.replace(paused, session=dataclasses.replace(paused.session,
                                                                     gesture_hold_s=3.0))
    texts = [i.text for i in build(longer).items if isinstance(i, Text)]
    assert "Right foot only, 3 seconds: skip this one" in texts
    cardio = STATES["cardio"]
    step = cardio.session.step
    for pace, word in (("quicker", "Quicker"), ("slower", "Slower"), ("on", "On pace")):
        judged = dataclasses.replace(step, pace=pace, zone_spm=(50.0, 60.0))
        view = build(dataclasses.replace(cardio, session=dataclasses.replace(
            cardio.session, step=judged, caption="")))
        assert word in [i.text for i in view.items if isinstance(i, Text)]
        (zone,) = [i.zone for i in view.items if isinstance(i, Bar) and i.zone]
        top = max(step.target_spm * 1.5, step.cadence_spm, 1.0)
        assert zone == (50.0 / top, 60.0 / top)


def test_the_voice_problem_says_what_happens_and_what_to_do():
    what, todo = STATES["problem_voice"].problem
    assert what == "The voice is not working"
    assert "show" in todo and "osteo-kiosk doctor" in todo
    texts = [i.text for i in VIEWS["problem_voice"].items if isinstance(i, Text)]
    assert what in texts and todo in texts

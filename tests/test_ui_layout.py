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
from kiosk.ui import theme, views
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
    assert texts[1:4] == ["Both feet: carry on", "Right foot, 2 seconds: skip",
                          "Left foot, 2 seconds: stop"]
    assert signs == ["feet_both", "feet_right", "feet_left"]


def test_the_screens_show_what_the_engine_and_step_decided_never_their_own_copy():
    paused = STATES["paused"]
    longer = dataclasses.replace(paused, session=dataclasses.replace(paused.session,
                                                                     gesture_hold_s=3.0))
    texts = [i.text for i in build(longer).items if isinstance(i, Text)]
    assert "Right foot, 3 seconds: skip" in texts
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


def _cap_px(painter, px: int) -> int:
    """Height of a capital H as drawn at ``px``: the ink, not the font's nominal size."""
    return painter.font(px).render("H", True, (255, 255, 255)).get_bounding_rect().h


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_text_has_capitals_of_7_percent_of_the_screen(painter, size):
    """The caption, every instruction and every label, readable at 2 m: capitals at least 7 %
    of the height (34 px at 800x480), measured on the rendered letters."""
    surface = pygame.Surface(size)
    need = theme.MIN_CAP * size[1] - 1e-6  # 42 px of 600 is 7 %
    for screen, view in [*VIEWS.items(), *((n, build(s)) for n, s in _stress_views().items())]:
        for p in painter.paint(surface, view):
            if isinstance(p.item, Text) and p.item.text:
                assert _cap_px(painter, p.px) >= need, (screen, p.item.text, p.px)


def test_the_caption_holds_every_cue_and_instruction_line_at_800x480(painter):
    """Two lines of full-size capitals hold every fixed cue and every instruction line of the
    catalogue (each is shown alone as the caption while it is spoken)."""
    from kiosk.coach import cues
    from kiosk.program.catalogue import load_catalogue

    caption = next(i for i in VIEWS["stretch"].items if isinstance(i, Text)
                   and i.text == STATES["stretch"].session.caption)
    lines = [line for ex in load_catalogue().values() for line in ex.instructions]
    for text in [*cues.fixed_cues(), *lines]:
        px, lines, overflow = painter.fit(dataclasses.replace(caption, text=text), 800, 480)
        assert not overflow and len(lines) <= 2, text
        assert _cap_px(painter, px) >= theme.MIN_CAP * 480, text


def _rgb(surface, x: int, y: int) -> tuple[int, int, int]:
    return tuple(surface.get_at((x, y)))[:3]


def _edge_contrasts(surface, rect) -> list[float]:
    """Contrast across each edge of ``rect`` that is inside the screen: the pixel just inside
    against the one just outside, sampled along the edge."""
    out, bounds = [], surface.get_rect()
    for k in range(1, 8):
        x, y = rect.x + rect.w * k // 8, rect.y + rect.h * k // 8
        for inner, outer in (((x, rect.top + 1), (x, rect.top - 2)),
                             ((x, rect.bottom - 2), (x, rect.bottom + 1)),
                             ((rect.left + 1, y), (rect.left - 2, y)),
                             ((rect.right - 2, y), (rect.right + 1, y))):
            if bounds.collidepoint(outer) and bounds.collidepoint(inner):
                out.append(theme.contrast(_rgb(surface, *inner), _rgb(surface, *outer)))
    return out


@pytest.mark.parametrize("screen", VIEWS)
def test_marks_reach_3_to_1_against_what_they_sit_on(painter, screen):
    """Panels, bar tracks, target lines and rings stand out from what is around them by 3:1
    (WCAG 1.4.11), measured on the painted pixels at 800x480."""
    surface = pygame.Surface((800, 480))
    view = VIEWS[screen]
    for k, item in enumerate(view.items):  # each mark on the panels under it, nothing else
        if isinstance(item, views.Box) or (isinstance(item, Bar) and item.track):
            under = [i for i in view.items[:k] if isinstance(i, views.Box)]
            if isinstance(item, Bar):  # the target band is a mark of its own, with a halo
                item = dataclasses.replace(item, zone=None)
            rect = painter.paint(surface, views.ScreenView(screen, (*under, item)))[-1].rect
            worst = min(_edge_contrasts(surface, rect), default=21.0)
            assert worst >= theme.MIN_MARK_CONTRAST, (screen, item, worst)
    placed = painter.paint(surface, view)
    for p in placed:  # a target line across bars: sampled where it crosses each
        if isinstance(p.item, Bar) and p.item.color == theme.TARGET and not p.item.track:
            for x in range(p.rect.left + 2, p.rect.right - 2, 7):
                line = _rgb(surface, x, p.rect.centery)
                for y in (p.rect.top - 1, p.rect.bottom):
                    assert theme.contrast(line, _rgb(surface, x, y)) >= 3.0, (screen, x, y)


def test_mark_colours_reach_3_to_1():
    assert theme.contrast(theme.TRACK, theme.BG) >= 3.0
    assert theme.contrast(theme.GOOD, theme.TRACK) >= 3.0
    assert theme.contrast(theme.ACCENT, theme.TRACK) >= 3.0
    assert theme.contrast(theme.EDGE, theme.BG) >= 3.0 and theme.contrast(theme.EDGE,
                                                                          theme.PANEL) >= 3.0
    assert theme.contrast(theme.TARGET, theme.BG) >= 3.0  # its halo is the background
    assert theme.contrast(theme.PROP, theme.BG) >= 3.0


@pytest.mark.parametrize("size", LAYOUT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_week_chart_bars_stand_up(painter, size):
    """A day's bar fills from the bottom, so it must be taller than wide on every screen."""
    surface = pygame.Surface(size)
    bars = [p.rect for p in painter.paint(surface, VIEWS["summary"])
            if isinstance(p.item, Bar) and p.item.track]
    assert len(bars) == 7 and all(r.h > r.w for r in bars), bars

"""Pictograms that match their cues: every exercise has its own, drawn upright, mirrored per
side, with a start and an end pose where one picture cannot show the movement."""

from __future__ import annotations

import math
from datetime import datetime

import pygame
import pytest

from kiosk.program.catalogue import load_catalogue
from kiosk.ui.paint import render_pictogram
from kiosk.ui.pictograms import BY_EXERCISE, FALLBACK, FIGURES, figure_for
from kiosk.ui.views import pose_of

NEVER_SCHEDULED = {"forward_bend", "rotation", "side_bend"}  # the safety filter's refusals
SIGNS = {"tick", "cross", "todo", "done", "skipped", "up", "down", "star", "pause", "warn",
         "feet_both", "feet_left", "feet_right", "feet_none"}
LYING = {"back_lift"}  # on the front, lifting into extension: no upright back to measure
PEOPLE = sorted(set(FIGURES) - SIGNS)
MAX_LEAN_DEG = 8.0  # "upright": a straight back within a few degrees of vertical


def _scheduled():
    return [ex for ex in load_catalogue().values()
            if not NEVER_SCHEDULED & set(ex.tags)]


def test_every_exercise_that_can_be_scheduled_has_its_own_figure():
    for ex in _scheduled():
        assert ex.id in BY_EXERCISE, ex.id
        assert BY_EXERCISE[ex.id] in FIGURES, ex.id


def test_exercises_added_later_find_a_figure_by_name_or_fall_back():
    assert figure_for("balance_at_counter", "strength") == "balance"
    assert figure_for("band_pull_apart", "strength") == "band_pull"
    assert figure_for("abdominal_bracing", "extensor") == "brace"
    assert figure_for("seated_back_extension", "extensor") == "seated_extension"
    assert figure_for("something_new", "stretch") == "wall_long"
    assert figure_for("something_new", "no_such_kind") == FALLBACK
    pygame.display.init()
    assert render_pictogram("no_such_figure", 64, (255, 255, 255)).get_size() == (64, 64)


@pytest.mark.parametrize("name", PEOPLE)
def test_no_figure_leans_forward_or_rounds_its_back(name):
    """The back is one straight stroke (neck to hips), within 8 degrees of vertical, in every
    pose; the measured stroke is really drawn."""
    pic = FIGURES[name]
    if name in LYING:
        return
    poses = [(pic.strokes, pic.spine)] + ([(pic.end, pic.end_spine)] if pic.end else [])
    for strokes, spine in poses:
        assert spine is not None, f"{name}: say where its back is"
        (nx, ny), (hx, hy) = spine
        assert ("line", "body", spine) in strokes, f"{name}: the back is not one straight stroke"
        lean = math.degrees(math.atan2(abs(nx - hx), abs(hy - ny)))
        assert lean <= MAX_LEAN_DEG, (name, round(lean, 1))


def _hips(name: str, pose: int = 0) -> float:
    pic = FIGURES[name]
    return (pic.end_spine if pose and pic.end else pic.spine)[1][1]


def test_seated_cues_have_seated_figures_on_a_chair():
    """The ankle stretch, the shoulder drop and the wrist curls are done sitting, so their
    figures sit (hips at seat height, a chair drawn)."""
    for name in ("shin", "shoulder_drop", "wrist_curl", "reverse_wrist_curl",
                 "seated_extension"):
        for pose in (0, 1):
            assert _hips(name, pose) >= 0.6, name
        assert any(role == "prop" for _, role, _ in FIGURES[name].strokes), name


def test_the_two_wrist_curls_differ_and_rest_on_a_table():
    curl, reverse = FIGURES["wrist_curl"], FIGURES["reverse_wrist_curl"]
    assert curl.strokes != reverse.strokes and curl.end != reverse.end
    for pic in (curl, reverse):  # a table top above the thighs, under the forearm
        tops = [d for shape, role, d in pic.strokes if role == "prop" and shape == "line"
                and len(d) == 2 and d[0][1] == d[1][1] and d[0][1] < 0.6]
        assert tops, "no table"


def test_steps_that_are_not_marching_have_their_own_figures():
    for ex_id in ("side_steps", "back_steps", "surprise_steps"):
        assert figure_for(ex_id, "cardio") != "march", ex_id


def test_the_side_leg_lift_moves_sideways_and_the_arm_comes_across():
    """Seen from the front, the lifted foot goes out to the side; the arm across the chest has
    its arrow pointing across the body, toward the other side."""
    side = FIGURES["side_leg"]
    assert side.end is not None
    feet = [d[-1] for shape, role, d in side.end if role == "body" and shape == "line"
            and (0.5, 0.55) in d]
    assert max(x for x, _ in feet) > 0.75  # a foot out to the side, not back
    across = FIGURES["arm_across"]
    arrows = [d for shape, role, d in across.strokes + across.end
              if role == "accent" and shape == "line"]
    assert arrows and all(d[1][0] < d[0][0] for d in arrows)  # right arm goes to the left


def test_movements_have_a_start_and_an_end_pose():
    for name in ("sit_to_stand", "heel_raise", "side_leg", "wrist_curl", "reverse_wrist_curl",
                 "shin", "shoulder_drop", "arm_across", "side_step", "back_step", "band_pull",
                 "seated_extension"):
        assert FIGURES[name].end is not None, name
    now = datetime(2026, 11, 24, 9, 5, 0)
    assert pose_of("hold", now) == 1  # held: the end pose
    film = {pose_of("instruct", now.replace(second=s)) for s in range(0, 6)}
    assert film == {0, 1}  # read out: both in turn


def test_the_left_side_is_the_mirror_image():
    pygame.display.init()
    plain = render_pictogram("hip_front", 96, (255, 255, 255))
    mirrored = render_pictogram("hip_front", 96, (255, 255, 255), mirror=True)
    flipped = pygame.transform.flip(plain, True, False)
    for x in range(0, 96, 5):
        for y in range(0, 96, 5):
            assert mirrored.get_at((x, y)) == flipped.get_at((x, y))
    assert any(mirrored.get_at((x, y)) != plain.get_at((x, y))
               for x in range(96) for y in range(96))

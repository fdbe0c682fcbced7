"""Pictograms as data: stick figures and small signs drawn from strokes in a unit square.

Pure data (no pygame) so they can be checked in tests and drawn at any size; the painter turns
them into cached surfaces. Thick strokes and few parts keep them legible at two metres: a
figure says *which* exercise at a glance, the words say what to do.

Coordinates are (x, y) in 0..1 with y down. A stroke is ``(shape, role, data)``:

- shape ``line`` (open polyline), ``loop`` (closed outline), ``poly`` (filled polygon),
  ``disc`` (filled circle: centre, radius), ``ring`` (circle outline: centre, radius);
- role ``body`` (the figure or sign, in the item's colour), ``prop`` (chair, wall, floor,
  thinner and grey) or ``accent`` (a movement arrow, in the accent colour).
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]
Stroke = tuple[str, str, tuple]


@dataclass(frozen=True, slots=True)
class Pictogram:
    strokes: tuple[Stroke, ...]
    width: float = 0.07  # body stroke width as a fraction of the size


def _line(*pts: Point, role: str = "body") -> Stroke:
    return ("line", role, pts)


def _head(x: float, y: float, r: float = 0.075) -> Stroke:
    return ("disc", "body", ((x, y), r))


def _arrow(x0: float, y0: float, x1: float, y1: float) -> tuple[Stroke, Stroke]:
    """A movement arrow from (x0, y0) to (x1, y1), with a filled head."""
    dx, dy = x1 - x0, y1 - y0
    n = max(1e-6, (dx * dx + dy * dy) ** 0.5)
    ux, uy = dx / n, dy / n
    head = 0.09
    bx, by = x1 - ux * head, y1 - uy * head
    tip = ((x1, y1), (bx - uy * head * 0.7, by + ux * head * 0.7),
           (bx + uy * head * 0.7, by - ux * head * 0.7))
    return ("line", "accent", ((x0, y0), (bx, by))), ("poly", "accent", tip)


FLOOR = _line((0.04, 0.97), (0.96, 0.97), role="prop")


def _chair_right(x: float = 0.84, top: float = 0.40) -> tuple[Stroke, ...]:
    """A chair back to hold on to, seen from the side, in front of the figure."""
    return (_line((x, top), (x, 0.96), role="prop"),
            _line((x, 0.68), (min(0.99, x + 0.14), 0.68), (min(0.99, x + 0.14), 0.96),
                  role="prop"))


def _standing_side(x: float = 0.45) -> tuple[Stroke, ...]:
    return (_head(x + 0.01, 0.11), _line((x, 0.22), (x, 0.55)),
            _line((x, 0.55), (x, 0.76), (x, 0.95), (x + 0.08, 0.95)))


FIGURES: dict[str, Pictogram] = {
    # calibration: stand still on the mat / step off it
    "stand": Pictogram((
        _head(0.5, 0.11), _line((0.5, 0.22), (0.5, 0.55)),
        _line((0.36, 0.56), (0.39, 0.40), (0.5, 0.26), (0.61, 0.40), (0.64, 0.56)),
        _line((0.42, 0.93), (0.43, 0.75), (0.5, 0.55), (0.57, 0.75), (0.58, 0.93)),
        _line((0.18, 0.965), (0.82, 0.965), role="accent"))),
    "step_off": Pictogram((
        _head(0.24, 0.11), _line((0.24, 0.22), (0.24, 0.55)),
        _line((0.12, 0.56), (0.15, 0.40), (0.24, 0.26), (0.33, 0.40), (0.36, 0.56)),
        _line((0.17, 0.93), (0.18, 0.75), (0.24, 0.55), (0.30, 0.75), (0.31, 0.93)),
        _line((0.56, 0.965), (0.96, 0.965), role="accent"),
        *_arrow(0.86, 0.70, 0.50, 0.70))),
    # bone-loading stomps: one hand on a chair, knee up, foot down hard
    "stomp": Pictogram((
        _head(0.46, 0.11), _line((0.45, 0.22), (0.45, 0.55)),
        _line((0.45, 0.27), (0.66, 0.38), (0.88, 0.42)),
        _line((0.45, 0.27), (0.40, 0.42), (0.42, 0.55)),
        _line((0.45, 0.55), (0.45, 0.76), (0.45, 0.95), (0.53, 0.95)),
        _line((0.45, 0.55), (0.58, 0.64), (0.54, 0.78), (0.62, 0.78)),
        *_chair_right(0.88), FLOOR, *_arrow(0.74, 0.50, 0.74, 0.90))),
    # marching and stepping on the spot
    "march": Pictogram((
        _head(0.51, 0.11), _line((0.5, 0.22), (0.5, 0.55)),
        _line((0.5, 0.27), (0.60, 0.38), (0.70, 0.28)),
        _line((0.5, 0.27), (0.42, 0.40), (0.36, 0.50)),
        _line((0.5, 0.55), (0.48, 0.76), (0.48, 0.95), (0.56, 0.95)),
        _line((0.5, 0.55), (0.66, 0.62), (0.62, 0.80), (0.70, 0.80)), FLOOR)),
    # strength: rising from a chair
    "sit_to_stand": Pictogram((
        _line((0.08, 0.28), (0.08, 0.96), role="prop"),
        _line((0.08, 0.62), (0.36, 0.62), (0.36, 0.96), role="prop"),
        _head(0.58, 0.17), _line((0.52, 0.28), (0.40, 0.56)),
        _line((0.52, 0.32), (0.66, 0.40), (0.80, 0.40)),
        _line((0.40, 0.56), (0.60, 0.62), (0.58, 0.95), (0.66, 0.95)),
        FLOOR, *_arrow(0.88, 0.74, 0.88, 0.42))),
    "heel_raise": Pictogram((
        _head(0.46, 0.09), _line((0.45, 0.20), (0.45, 0.53)),
        _line((0.45, 0.25), (0.64, 0.36), (0.84, 0.40)),
        _line((0.45, 0.53), (0.46, 0.74), (0.47, 0.88), (0.55, 0.95)),
        *_chair_right(), FLOOR, *_arrow(0.26, 0.86, 0.26, 0.56))),
    "side_leg": Pictogram((
        _head(0.54, 0.11), _line((0.54, 0.22), (0.54, 0.55)),
        _line((0.54, 0.27), (0.38, 0.38), (0.20, 0.42)),
        _line((0.54, 0.27), (0.62, 0.42), (0.64, 0.55)),
        _line((0.54, 0.55), (0.52, 0.76), (0.51, 0.95)),
        _line((0.54, 0.55), (0.70, 0.72), (0.84, 0.86)),
        _line((0.16, 0.38), (0.16, 0.96), role="prop"), FLOOR)),
    "wrist_curl": Pictogram((
        _line((0.10, 0.28), (0.10, 0.96), role="prop"),
        _line((0.10, 0.60), (0.40, 0.60), (0.40, 0.96), role="prop"),
        _head(0.30, 0.13), _line((0.28, 0.24), (0.26, 0.57)),
        _line((0.26, 0.57), (0.62, 0.57), (0.62, 0.95), (0.70, 0.95)),
        _line((0.28, 0.30), (0.38, 0.50), (0.66, 0.50)),
        _line((0.70, 0.40), (0.70, 0.60), role="accent"),
        *_arrow(0.84, 0.56, 0.84, 0.30))),
    "wall_push": Pictogram((
        _line((0.84, 0.03), (0.84, 0.97), role="prop"),
        _head(0.60, 0.14), _line((0.56, 0.25), (0.44, 0.56)),
        _line((0.55, 0.29), (0.70, 0.34), (0.84, 0.30)),
        _line((0.44, 0.56), (0.40, 0.76), (0.36, 0.95), (0.44, 0.95)), FLOOR)),
    # back extensors: tall at the wall, and the lying back lift
    "wall_tall": Pictogram((
        _line((0.28, 0.03), (0.28, 0.97), role="prop"),
        _head(0.40, 0.13), _line((0.37, 0.24), (0.36, 0.56)),
        _line((0.37, 0.28), (0.36, 0.44), (0.38, 0.57)),
        _line((0.36, 0.56), (0.40, 0.76), (0.42, 0.95), (0.50, 0.95)),
        FLOOR, *_arrow(0.62, 0.40, 0.62, 0.06))),
    "back_lift": Pictogram((
        _line((0.04, 0.86), (0.96, 0.86), role="prop"),
        _line((0.08, 0.82), (0.44, 0.80), (0.68, 0.66)),
        _line((0.62, 0.70), (0.52, 0.78), (0.40, 0.80)),
        _head(0.78, 0.58), *_arrow(0.92, 0.80, 0.92, 0.44))),
    # stretches
    "arm_across": Pictogram((
        _head(0.5, 0.11), _line((0.5, 0.22), (0.5, 0.55)),
        _line((0.38, 0.28), (0.62, 0.28)),
        _line((0.38, 0.28), (0.56, 0.36), (0.78, 0.34)),
        _line((0.62, 0.28), (0.68, 0.46), (0.58, 0.38)),
        _line((0.42, 0.93), (0.43, 0.75), (0.5, 0.55), (0.57, 0.75), (0.58, 0.93)),
        *_arrow(0.50, 0.46, 0.84, 0.46))),
    "shoulder_drop": Pictogram((
        _head(0.5, 0.11), _line((0.5, 0.22), (0.5, 0.55)),
        _line((0.33, 0.58), (0.35, 0.30), (0.65, 0.30), (0.67, 0.58)),
        _line((0.42, 0.93), (0.43, 0.75), (0.5, 0.55), (0.57, 0.75), (0.58, 0.93)),
        *_arrow(0.20, 0.06, 0.20, 0.34), *_arrow(0.80, 0.06, 0.80, 0.34))),
    "hip_front": Pictogram((
        _head(0.46, 0.11), _line((0.45, 0.22), (0.45, 0.55)),
        _line((0.45, 0.27), (0.64, 0.36), (0.84, 0.42)),
        _line((0.45, 0.55), (0.62, 0.70), (0.62, 0.95), (0.70, 0.95)),
        _line((0.45, 0.55), (0.30, 0.76), (0.16, 0.93), (0.10, 0.95)),
        *_chair_right(), FLOOR)),
    "shin": Pictogram((
        *_standing_side(0.45), _line((0.45, 0.27), (0.64, 0.36), (0.84, 0.42)),
        _line((0.45, 0.55), (0.38, 0.74), (0.26, 0.88), (0.18, 0.95)),
        *_chair_right(), FLOOR)),
    "wall_long": Pictogram((
        _line((0.28, 0.03), (0.28, 0.97), role="prop"),
        _head(0.40, 0.13), _line((0.37, 0.24), (0.33, 0.56)),
        _line((0.37, 0.28), (0.38, 0.44), (0.40, 0.57)),
        _line((0.33, 0.56), (0.42, 0.74), (0.44, 0.95), (0.52, 0.95)), FLOOR,
        *_arrow(0.56, 0.30, 0.56, 0.08), *_arrow(0.56, 0.62, 0.56, 0.86))),
    # signs: shapes that carry meaning next to the words (never colour alone)
    "tick": Pictogram((_line((0.14, 0.54), (0.40, 0.80), (0.88, 0.22)),), width=0.16),
    "cross": Pictogram((_line((0.2, 0.2), (0.8, 0.8)), _line((0.8, 0.2), (0.2, 0.8))),
                       width=0.16),
    "todo": Pictogram((("ring", "body", ((0.5, 0.5), 0.40)),), width=0.12),
    "done": Pictogram((("ring", "body", ((0.5, 0.5), 0.40)),
                       _line((0.30, 0.52), (0.45, 0.67), (0.72, 0.36))), width=0.12),
    "skipped": Pictogram((("ring", "body", ((0.5, 0.5), 0.40)),
                          _line((0.30, 0.5), (0.70, 0.5))), width=0.12),
    "up": Pictogram((("poly", "body", ((0.5, 0.08), (0.92, 0.56), (0.64, 0.56), (0.64, 0.92),
                                       (0.36, 0.92), (0.36, 0.56), (0.08, 0.56))),)),
    "down": Pictogram((("poly", "body", ((0.5, 0.92), (0.92, 0.44), (0.64, 0.44), (0.64, 0.08),
                                         (0.36, 0.08), (0.36, 0.44), (0.08, 0.44))),)),
    "star": Pictogram((("poly", "body", ((0.5, 0.04), (0.62, 0.36), (0.96, 0.38), (0.70, 0.60),
                                         (0.79, 0.94), (0.5, 0.75), (0.21, 0.94), (0.30, 0.60),
                                         (0.04, 0.38), (0.38, 0.36))),)),
    "pause": Pictogram((("poly", "body", ((0.18, 0.1), (0.40, 0.1), (0.40, 0.9), (0.18, 0.9))),
                        ("poly", "body", ((0.60, 0.1), (0.82, 0.1), (0.82, 0.9), (0.60, 0.9))))),
    "warn": Pictogram((("loop", "body", ((0.5, 0.06), (0.95, 0.90), (0.05, 0.90))),
                       _line((0.5, 0.36), (0.5, 0.62)), ("disc", "body", ((0.5, 0.76), 0.06))),
                      width=0.09),
}


def _feet(left: bool, right: bool) -> Pictogram:
    """The mat seen from above, with a filled footprint where a foot must stand."""
    strokes: list[Stroke] = [("loop", "prop", ((0.04, 0.06), (0.96, 0.06), (0.96, 0.94),
                                               (0.04, 0.94)))]
    for x, on in ((0.32, left), (0.68, right)):
        sole = tuple((x + dx, y) for dx, y in ((-0.10, 0.30), (0.0, 0.16), (0.10, 0.30),
                                               (0.09, 0.62), (0.05, 0.82), (-0.05, 0.82),
                                               (-0.09, 0.62)))
        strokes.append(("poly" if on else "loop", "body" if on else "prop", sole))
    return Pictogram(tuple(strokes), width=0.06)


FIGURES |= {"feet_both": _feet(True, True), "feet_left": _feet(True, False),
            "feet_right": _feet(False, True), "feet_none": _feet(False, False)}

#: Which figure shows which exercise (catalogue ids), then a figure per kind as the fallback.
BY_EXERCISE: dict[str, str] = {
    "heel_stomp": "stomp", "sit_to_stand": "sit_to_stand", "heel_raise": "heel_raise",
    "hip_side_lift": "side_leg", "wrist_curl": "wrist_curl", "reverse_wrist_curl": "wrist_curl",
    "wall_push_up": "wall_push", "wall_press": "wall_tall", "prone_back_lift": "back_lift",
    "wall_back_lengthen": "wall_long", "shoulder_drop": "shoulder_drop",
    "cross_arm_stretch": "arm_across", "hip_front_stretch": "hip_front",
    "shin_stretch": "shin",
}
BY_KIND: dict[str, str] = {"stomp": "stomp", "cardio": "march", "strength": "sit_to_stand",
                           "extensor": "wall_tall", "stretch": "wall_long",
                           "calibrate": "stand"}


def figure_for(exercise_id: str, kind: str) -> str:
    """The pictogram name for an exercise: its own, else its family's."""
    return BY_EXERCISE.get(exercise_id) or BY_KIND.get(kind, "stand")

"""Pictograms as data: stick figures and small signs drawn from strokes in a unit square.

Pure data (no pygame) so they can be checked in tests and drawn at any size; the painter turns
them into cached surfaces. Thick strokes and few parts keep them legible at two metres: a
figure says *which* exercise at a glance, the words say what to do.

Coordinates are (x, y) in 0..1 with y down. A stroke is ``(shape, role, data)``:

- shape ``line`` (open polyline), ``loop`` (closed outline), ``poly`` (filled polygon),
  ``disc`` (filled circle: centre, radius), ``ring`` (circle outline: centre, radius);
- role ``body`` (the figure or sign, in the item's colour), ``prop`` (chair, wall, floor,
  thinner and grey) or ``accent`` (a movement arrow, in the accent colour).

Each figure matches the words of its cue: seated where the cue sits the person down, at a table
where it says table, one-sided where it works one side. Per-side exercises are drawn for the
right side (the program's first side, ``program.plan.SIDES``); the screen mirrors them for the
left. Front views are the person's mirror image: their right on the screen's right, as in a
mirror they copy. Where one picture cannot show the movement a figure has an ``end`` pose, and
the screen shows the two in turn (``views.pose_of``). No figure is ever drawn with a rounded
spine or leaning forward: the back is one straight stroke within a few degrees of vertical
(``tests/test_ui_pictograms.py`` measures it).
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]
Stroke = tuple[str, str, tuple]


@dataclass(frozen=True, slots=True)
class Pictogram:
    strokes: tuple[Stroke, ...]
    width: float = 0.07  # body stroke width as a fraction of the size
    end: tuple[Stroke, ...] | None = None  # the end pose, when one picture cannot show it
    spine: tuple[Point, Point] | None = None  # neck and hips of the start pose (for the test)
    end_spine: tuple[Point, Point] | None = None

    def pose(self, n: int) -> tuple[Stroke, ...]:
        """The strokes of pose ``n`` (0 start, 1 end); a one-pose figure is both."""
        return self.end if n % 2 and self.end is not None else self.strokes


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


def _front(legs: tuple[Point, ...] = ((0.42, 0.93), (0.43, 0.75), (0.5, 0.55), (0.57, 0.75),
                                      (0.58, 0.93))) -> tuple[Stroke, ...]:
    """A figure facing the screen: head, a straight upright back and legs (arms are the
    figure's own)."""
    return _head(0.5, 0.11), _line((0.5, 0.22), (0.5, 0.55)), _line(*legs)


def _seated_side(x: float = 0.30, chair: bool = True) -> tuple[Stroke, ...]:
    """Sitting tall near the front of a chair, seen from the side, facing right: the back
    upright, thigh level, shin down to a flat foot."""
    out = (_head(x + 0.01, 0.19), _line((x, 0.30), (x, 0.62)),
           _line((x, 0.62), (x + 0.24, 0.62), (x + 0.24, 0.95), (x + 0.32, 0.95)))
    return out + (_chair_left(x) if chair else ())


def _chair_left(x: float) -> tuple[Stroke, ...]:
    """The chair under a seated figure whose hips are at ``x``: back behind, seat, legs."""
    back, front = x - 0.16, x + 0.08
    return (_line((back, 0.30), (back, 0.96), role="prop"),
            _line((back, 0.66), (front, 0.66), (front, 0.96), role="prop"))


def _seat_front() -> tuple[Stroke, ...]:
    """A chair seen from the front: its back behind the sitter, the seat, its legs."""
    return (_line((0.34, 0.63), (0.34, 0.22), (0.66, 0.22), (0.66, 0.63), role="prop"),
            _line((0.24, 0.63), (0.76, 0.63), role="prop"),
            _line((0.26, 0.63), (0.26, 0.96), role="prop"),
            _line((0.74, 0.63), (0.74, 0.96), role="prop"))


def _sitting_front() -> tuple[Stroke, ...]:
    """Sitting tall, facing the screen: head level, back upright, knees apart, feet flat."""
    return (_head(0.5, 0.13), _line((0.5, 0.24), (0.5, 0.60)),
            _line((0.5, 0.60), (0.40, 0.70), (0.40, 0.95), (0.34, 0.95)),
            _line((0.5, 0.60), (0.60, 0.70), (0.60, 0.95), (0.66, 0.95)))


def _holding_chair() -> tuple[Stroke, ...]:
    """Standing tall side-on, facing right, a hand on the chair back in front."""
    return (_head(0.51, 0.11), _line((0.5, 0.22), (0.5, 0.55)),
            _line((0.5, 0.27), (0.68, 0.38), (0.86, 0.42)),
            _line((0.5, 0.55), (0.5, 0.76), (0.5, 0.95), (0.58, 0.95)),
            *_chair_right(0.86), FLOOR)


SEATED_SPINE = ((0.30, 0.30), (0.30, 0.62))
STAND_SPINE = ((0.5, 0.22), (0.5, 0.55))


def _wrist(palm_up: bool) -> Pictogram:
    """Seated tall at a table, forearm resting on it, the hand just past its edge with a weight:
    palm up (the weight on top of the hand) curls it up; palm down (the weight under the
    hand) lifts the back of the hand. Start with the hand down, end with it up."""
    table = (_line((0.32, 0.55), (0.68, 0.55), role="prop"),
             _line((0.62, 0.55), (0.62, 0.96), role="prop"))
    seated = (*_seated_side(0.26), *table, _line((0.26, 0.33), (0.34, 0.50), (0.66, 0.50)))
    # (hand tip, weight) down and up; the weight sits on the palm's side of the hand
    down, up = ((0.73, 0.60), (0.745, 0.535) if palm_up else (0.67, 0.63)), \
               ((0.74, 0.40), (0.68, 0.385) if palm_up else (0.80, 0.44))
    arrow = _arrow(0.90, 0.62, 0.90, 0.34)

    def pose(tip: Point, weight: Point) -> tuple[Stroke, ...]:
        return (*seated, _line((0.66, 0.50), tip), ("disc", "body", (weight, 0.05)), *arrow)

    return Pictogram(pose(*down), end=pose(*up), spine=((0.26, 0.30), (0.26, 0.62)),
                     end_spine=((0.26, 0.30), (0.26, 0.62)))


FIGURES: dict[str, Pictogram] = {
    # calibration: stand still on the mat / step off it
    "stand": Pictogram((
        *_front(), _line((0.36, 0.56), (0.39, 0.40), (0.5, 0.26), (0.61, 0.40), (0.64, 0.56)),
        _line((0.18, 0.965), (0.82, 0.965), role="accent")), spine=STAND_SPINE),
    "step_off": Pictogram((
        _head(0.24, 0.11), _line((0.24, 0.22), (0.24, 0.55)),
        _line((0.12, 0.56), (0.15, 0.40), (0.24, 0.26), (0.33, 0.40), (0.36, 0.56)),
        _line((0.17, 0.93), (0.18, 0.75), (0.24, 0.55), (0.30, 0.75), (0.31, 0.93)),
        _line((0.56, 0.965), (0.96, 0.965), role="accent"),
        *_arrow(0.86, 0.70, 0.50, 0.70)), spine=((0.24, 0.22), (0.24, 0.55))),
    # bone-loading stomps: one hand on a chair, knee up, foot down hard
    "stomp": Pictogram((
        _head(0.46, 0.11), _line((0.45, 0.22), (0.45, 0.55)),
        _line((0.45, 0.27), (0.66, 0.38), (0.88, 0.42)),
        _line((0.45, 0.27), (0.40, 0.42), (0.42, 0.55)),
        _line((0.45, 0.55), (0.45, 0.76), (0.45, 0.95), (0.53, 0.95)),
        _line((0.45, 0.55), (0.58, 0.64), (0.54, 0.78), (0.62, 0.78)),
        *_chair_right(0.88), FLOOR, *_arrow(0.74, 0.50, 0.74, 0.90)),
        spine=((0.45, 0.22), (0.45, 0.55))),
    # marching and stepping on the spot
    "march": Pictogram((
        _head(0.51, 0.11), _line((0.5, 0.22), (0.5, 0.55)),
        _line((0.5, 0.27), (0.60, 0.38), (0.70, 0.28)),
        _line((0.5, 0.27), (0.42, 0.40), (0.36, 0.50)),
        _line((0.5, 0.55), (0.48, 0.76), (0.48, 0.95), (0.56, 0.95)),
        _line((0.5, 0.55), (0.66, 0.62), (0.62, 0.80), (0.70, 0.80)), FLOOR),
        spine=STAND_SPINE),
    # side steps along the mat: facing the screen, one foot out to the side and back
    "side_step": Pictogram(
        (*_front(), _line((0.36, 0.56), (0.39, 0.40), (0.5, 0.26), (0.61, 0.40), (0.64, 0.56)),
         FLOOR, *_arrow(0.70, 0.80, 0.95, 0.80)),
        end=(*_front(((0.42, 0.93), (0.43, 0.75), (0.5, 0.55), (0.64, 0.74), (0.74, 0.93))),
             _line((0.36, 0.56), (0.39, 0.40), (0.5, 0.26), (0.61, 0.40), (0.64, 0.56)),
             FLOOR, *_arrow(0.95, 0.66, 0.80, 0.66)),
        spine=STAND_SPINE, end_spine=STAND_SPINE),
    # back steps: a hand on the chair in front, one foot steps back and returns
    "back_step": Pictogram(
        (*_holding_chair(), *_arrow(0.36, 0.80, 0.08, 0.80)),
        end=(*_holding_chair(), _line((0.5, 0.55), (0.40, 0.75), (0.28, 0.91), (0.34, 0.95)),
             *_arrow(0.10, 0.66, 0.30, 0.66)),
        spine=STAND_SPINE, end_spine=STAND_SPINE),
    # surprise steps: marching, and a star for the call that changes it
    "surprise": Pictogram((
        _head(0.41, 0.11), _line((0.4, 0.22), (0.4, 0.55)),
        _line((0.4, 0.27), (0.50, 0.38), (0.60, 0.28)),
        _line((0.4, 0.27), (0.32, 0.40), (0.26, 0.50)),
        _line((0.4, 0.55), (0.38, 0.76), (0.38, 0.95), (0.46, 0.95)),
        _line((0.4, 0.55), (0.56, 0.62), (0.52, 0.80), (0.60, 0.80)), FLOOR,
        ("poly", "accent", ((0.82, 0.06), (0.855, 0.16), (0.96, 0.165), (0.88, 0.23),
                            (0.905, 0.33), (0.82, 0.27), (0.735, 0.33), (0.76, 0.23),
                            (0.68, 0.165), (0.785, 0.16))),
        *_arrow(0.74, 0.60, 0.96, 0.60), *_arrow(0.86, 0.72, 0.64, 0.72)),
        spine=((0.4, 0.22), (0.4, 0.55))),
    # strength: from sitting tall to standing tall, the back straight all the way
    "sit_to_stand": Pictogram(
        (*_seated_side(0.30), _line((0.30, 0.34), (0.40, 0.44), (0.32, 0.46)), FLOOR,
         *_arrow(0.86, 0.74, 0.86, 0.40)),
        end=(_head(0.55, 0.11), _line((0.54, 0.22), (0.54, 0.55)),
             _line((0.54, 0.26), (0.64, 0.36), (0.56, 0.38)),
             _line((0.54, 0.55), (0.55, 0.76), (0.55, 0.95), (0.63, 0.95)),
             *_chair_left(0.30), FLOOR, *_arrow(0.86, 0.74, 0.86, 0.40)),
        spine=SEATED_SPINE, end_spine=((0.54, 0.22), (0.54, 0.55))),
    "heel_raise": Pictogram(
        (_head(0.46, 0.11), _line((0.45, 0.22), (0.45, 0.55)),
         _line((0.45, 0.27), (0.64, 0.37), (0.84, 0.40)),
         _line((0.45, 0.55), (0.45, 0.76), (0.45, 0.95), (0.53, 0.95)),
         *_chair_right(), FLOOR, *_arrow(0.24, 0.86, 0.24, 0.56)),
        end=(_head(0.46, 0.08), _line((0.45, 0.19), (0.45, 0.52)),
             _line((0.45, 0.24), (0.64, 0.35), (0.84, 0.40)),
             _line((0.45, 0.52), (0.45, 0.73), (0.45, 0.89), (0.53, 0.95)),
             *_chair_right(), FLOOR, *_arrow(0.24, 0.86, 0.24, 0.56)),
        spine=((0.45, 0.22), (0.45, 0.55)), end_spine=((0.45, 0.19), (0.45, 0.52))),
    # side leg lift: facing the screen behind a chair, both hands on its back, the right leg
    # out to the side (sideways, not back)
    "side_leg": Pictogram(
        (*_front(((0.44, 0.95), (0.45, 0.76), (0.5, 0.55), (0.55, 0.76), (0.56, 0.95))),
         _line((0.36, 0.47), (0.38, 0.36), (0.5, 0.26), (0.62, 0.36), (0.64, 0.47)),
         _line((0.24, 0.48), (0.76, 0.48), role="prop"),
         _line((0.28, 0.48), (0.28, 0.96), role="prop"),
         _line((0.72, 0.48), (0.72, 0.96), role="prop"), FLOOR,
         *_arrow(0.66, 0.93, 0.92, 0.78)),
        end=(*_front(((0.44, 0.95), (0.45, 0.76), (0.5, 0.55), (0.66, 0.70), (0.82, 0.84))),
             _line((0.36, 0.47), (0.38, 0.36), (0.5, 0.26), (0.62, 0.36), (0.64, 0.47)),
             _line((0.24, 0.48), (0.76, 0.48), role="prop"),
             _line((0.28, 0.48), (0.28, 0.96), role="prop"),
             _line((0.72, 0.48), (0.72, 0.96), role="prop"), FLOOR,
             *_arrow(0.84, 0.66, 0.95, 0.56)),
        spine=STAND_SPINE, end_spine=STAND_SPINE),
    "wrist_curl": _wrist(palm_up=True),
    "reverse_wrist_curl": _wrist(palm_up=False),
    "wall_push": Pictogram((
        _line((0.86, 0.03), (0.86, 0.97), role="prop"),
        _head(0.55, 0.12), _line((0.53, 0.23), (0.49, 0.55)),
        _line((0.53, 0.27), (0.70, 0.30), (0.86, 0.30)),
        _line((0.49, 0.55), (0.46, 0.76), (0.43, 0.95), (0.51, 0.95)), FLOOR,
        *_arrow(0.62, 0.46, 0.80, 0.46)), spine=((0.53, 0.23), (0.49, 0.55))),
    # back extensors: tall at the wall, the lying back lift, and sitting tall with the chest up
    "wall_tall": Pictogram((
        _line((0.28, 0.03), (0.28, 0.97), role="prop"),
        _head(0.38, 0.13), _line((0.36, 0.24), (0.36, 0.56)),
        _line((0.36, 0.28), (0.35, 0.44), (0.37, 0.57)),
        _line((0.36, 0.56), (0.40, 0.76), (0.42, 0.95), (0.50, 0.95)),
        FLOOR, *_arrow(0.62, 0.40, 0.62, 0.06)), spine=((0.36, 0.24), (0.36, 0.56))),
    "back_lift": Pictogram((
        _line((0.04, 0.86), (0.96, 0.86), role="prop"),
        _line((0.08, 0.82), (0.44, 0.80), (0.68, 0.66)),
        _line((0.62, 0.70), (0.52, 0.78), (0.40, 0.80)),
        _head(0.78, 0.58), *_arrow(0.92, 0.80, 0.92, 0.44))),
    "seated_extension": Pictogram(
        (*_seated_side(0.30), _line((0.30, 0.34), (0.40, 0.48), (0.50, 0.58)), FLOOR,
         *_arrow(0.14, 0.52, 0.14, 0.16)),
        end=(_head(0.29, 0.18), _line((0.28, 0.29), (0.30, 0.62)),
             _line((0.30, 0.62), (0.54, 0.62), (0.54, 0.95), (0.62, 0.95)),
             _line((0.28, 0.33), (0.24, 0.46), (0.20, 0.56)), *_chair_left(0.30), FLOOR,
             *_arrow(0.46, 0.44, 0.46, 0.14)),
        spine=SEATED_SPINE, end_spine=((0.28, 0.29), (0.30, 0.62))),
    # core and upper back, standing tall
    "brace": Pictogram((
        *_front(), _line((0.40, 0.50), (0.37, 0.40), (0.5, 0.26), (0.63, 0.40), (0.60, 0.50)),
        _line((0.40, 0.50), (0.47, 0.50)), _line((0.60, 0.50), (0.53, 0.50)),
        *_arrow(0.08, 0.50, 0.28, 0.50), *_arrow(0.92, 0.50, 0.72, 0.50), FLOOR),
        spine=STAND_SPINE),
    "band_pull": Pictogram(
        (*_front(), _line((0.40, 0.36), (0.5, 0.26), (0.60, 0.36)),
         _line((0.40, 0.36), (0.45, 0.34)), _line((0.60, 0.36), (0.55, 0.34)),
         _line((0.45, 0.34), (0.55, 0.34), role="accent"), FLOOR),
        end=(*_front(), _line((0.10, 0.28), (0.5, 0.26), (0.90, 0.28)),
             _line((0.10, 0.28), (0.90, 0.28), role="accent"),
             *_arrow(0.34, 0.42, 0.12, 0.42), *_arrow(0.66, 0.42, 0.88, 0.42), FLOOR),
        spine=STAND_SPINE, end_spine=STAND_SPINE),
    # balance: one foot a little off the floor, a hand on the counter
    "balance": Pictogram((
        _head(0.46, 0.11), _line((0.45, 0.22), (0.45, 0.55)),
        _line((0.45, 0.27), (0.60, 0.38), (0.74, 0.42)),
        _line((0.45, 0.55), (0.45, 0.76), (0.45, 0.95), (0.53, 0.95)),
        _line((0.45, 0.55), (0.60, 0.66), (0.58, 0.82), (0.66, 0.82)),
        _line((0.74, 0.42), (0.99, 0.42), role="prop"),
        _line((0.76, 0.42), (0.76, 0.96), role="prop"), FLOOR),
        spine=((0.45, 0.22), (0.45, 0.55))),
    # stretches
    "arm_across": Pictogram(
        (*_front(), _line((0.38, 0.28), (0.62, 0.28)),
         _line((0.38, 0.28), (0.35, 0.44), (0.37, 0.58)),
         _line((0.62, 0.28), (0.78, 0.30), (0.94, 0.30)), *_arrow(0.92, 0.44, 0.62, 0.44)),
        end=(*_front(), _line((0.38, 0.28), (0.62, 0.28)),
             _line((0.62, 0.28), (0.44, 0.36), (0.22, 0.36)),
             _line((0.38, 0.28), (0.34, 0.46), (0.48, 0.38)), *_arrow(0.94, 0.36, 0.72, 0.36)),
        spine=STAND_SPINE, end_spine=STAND_SPINE),
    # shoulder drop: sitting tall facing the screen, the right hand holds the seat and the
    # right shoulder sinks; the head stays level
    "shoulder_drop": Pictogram(
        (*_seat_front(), *_sitting_front(), _line((0.38, 0.30), (0.62, 0.30)),
         _line((0.38, 0.30), (0.35, 0.46), (0.44, 0.58)), _line((0.62, 0.30), (0.74, 0.62)),
         *_arrow(0.86, 0.08, 0.86, 0.38)),
        end=(*_seat_front(), *_sitting_front(), _line((0.38, 0.30), (0.5, 0.30), (0.62, 0.38)),
             _line((0.38, 0.30), (0.35, 0.46), (0.44, 0.58)), _line((0.62, 0.38), (0.74, 0.62)),
             *_arrow(0.86, 0.08, 0.86, 0.38)),
        spine=((0.5, 0.24), (0.5, 0.60)), end_spine=((0.5, 0.24), (0.5, 0.60))),
    "hip_front": Pictogram((
        _head(0.46, 0.11), _line((0.45, 0.22), (0.45, 0.55)),
        _line((0.45, 0.27), (0.64, 0.36), (0.84, 0.42)),
        _line((0.45, 0.55), (0.62, 0.70), (0.62, 0.95), (0.70, 0.95)),
        _line((0.45, 0.55), (0.30, 0.76), (0.16, 0.93), (0.10, 0.95)),
        *_chair_right(), FLOOR), spine=((0.45, 0.22), (0.45, 0.55))),
    # shin and ankle stretch, seated as the cue says: the right foot slides back beside the
    # chair, the top of the toes on the floor, pressed gently down
    "shin": Pictogram(
        (*_seated_side(0.30), _line((0.30, 0.34), (0.40, 0.48), (0.50, 0.58)), FLOOR),
        end=(*_seated_side(0.30), _line((0.30, 0.34), (0.40, 0.48), (0.50, 0.58)),
             _line((0.30, 0.62), (0.46, 0.74), (0.26, 0.88), (0.14, 0.95)), FLOOR,
             *_arrow(0.08, 0.70, 0.08, 0.92)),
        spine=SEATED_SPINE, end_spine=SEATED_SPINE),
    "wall_long": Pictogram((
        _line((0.28, 0.03), (0.28, 0.97), role="prop"),
        _head(0.38, 0.13), _line((0.36, 0.24), (0.36, 0.56)),
        _line((0.36, 0.28), (0.37, 0.44), (0.39, 0.57)),
        _line((0.36, 0.56), (0.46, 0.74), (0.44, 0.95), (0.52, 0.95)), FLOOR,
        *_arrow(0.58, 0.30, 0.58, 0.08), *_arrow(0.58, 0.62, 0.58, 0.86)),
        spine=((0.36, 0.24), (0.36, 0.56))),
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
    "hip_side_lift": "side_leg", "wrist_curl": "wrist_curl",
    "reverse_wrist_curl": "reverse_wrist_curl", "wall_push_up": "wall_push",
    "wall_press": "wall_tall", "prone_back_lift": "back_lift",
    "wall_back_lengthen": "wall_long", "shoulder_drop": "shoulder_drop",
    "cross_arm_stretch": "arm_across", "hip_front_stretch": "hip_front",
    "shin_stretch": "shin", "march_in_place": "march", "brisk_march": "march",
    "jog_in_place": "march", "side_steps": "side_step", "back_steps": "back_step",
    "surprise_steps": "surprise", "chair_stand_test": "sit_to_stand",
    "band_pull_apart": "band_pull", "abdominal_brace": "brace",
    "seated_back_extension": "seated_extension",
    # the program's ladders (assets/exercises.toml): each rung shows its family's figure
    "heel_raise_slow": "heel_raise", "single_heel_raise": "heel_raise",
    "counter_push_up": "wall_push", "band_row": "band_pull", "band_row_hold": "band_pull",
    "seated_back_lift": "seated_extension", "band_back_lift": "wall_tall",
    "seated_brace": "brace", "standing_brace": "brace", "feet_together": "stand",
    "heel_to_toe": "stand", "one_leg_stand": "balance", "one_leg_fingertips": "balance",
}
#: Words in an exercise id that name its figure, for ids added to the catalogue later.
BY_WORD: tuple[tuple[str, str], ...] = (
    ("balance", "balance"), ("band", "band_pull"), ("brace", "brace"),
    ("abdominal", "brace"), ("seated_back", "seated_extension"), ("side_step", "side_step"),
    ("back_step", "back_step"), ("surprise", "surprise"), ("march", "march"))
BY_KIND: dict[str, str] = {"stomp": "stomp", "cardio": "march", "strength": "sit_to_stand",
                           "extensor": "wall_tall", "stretch": "wall_long",
                           "calibrate": "stand"}
FALLBACK = "stand"  # drawn for a figure name that is missing, so the screen never fails


def figure_for(exercise_id: str, kind: str) -> str:
    """The pictogram name for an exercise: its own, else one its id names, else its family's."""
    if exercise_id in BY_EXERCISE:
        return BY_EXERCISE[exercise_id]
    word = next((name for word, name in BY_WORD if word in exercise_id), None)
    return word or BY_KIND.get(kind, FALLBACK)

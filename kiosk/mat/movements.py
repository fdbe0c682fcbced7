"""What the mat sees of the body beyond landings: one-leg stances, quiet standing, chair stands.

Small frozen values, times in signal seconds, made by the pure watchers in ``balance.py`` and
``chair.py`` and passed to the session engine beside the landing detector's events.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.mat.events import Foot


@dataclass(frozen=True, slots=True)
class StanceBegan:
    """The other foot left its zone: the person stands on ``foot`` alone since ``start_t``."""

    t: float
    foot: Foot
    start_t: float


@dataclass(frozen=True, slots=True)
class StanceEnded:
    """A one-leg stance on ``foot`` ended at ``t`` after ``held_s``: the lifted foot touched
    down (``touched``) or the person stepped off the mat. ``wobble_bw``: the spread (SD) of
    the standing foot's load, in body weights."""

    t: float
    foot: Foot
    held_s: float
    touched: bool
    wobble_bw: float


@dataclass(frozen=True, slots=True)
class Steadiness:
    """Quiet standing on both feet for ``seconds``: the mean share of weight on the left foot
    and its wobble (the SD of that share over the window), both in percentage points."""

    t: float
    share_left_pct: float
    wobble_pp: float
    seconds: float


@dataclass(frozen=True, slots=True)
class ChairStood:
    """A stand from a chair reached the standing load: the ``rep``-th since the watch began;
    ``up_s`` from leaving the seated load to standing."""

    t: float
    rep: int
    up_s: float


@dataclass(frozen=True, slots=True)
class ChairSat:
    """Back on the chair after stand ``rep``: ``down_s`` from leaving the standing load to the
    seated one, ``rep_s`` the whole stand-and-sit."""

    t: float
    rep: int
    down_s: float
    rep_s: float


Movement = StanceBegan | StanceEnded | Steadiness | ChairStood | ChairSat

"""Balance from each foot's load: one-leg stance timing, quiet-standing share and wobble, and
left/right symmetry of stomp peaks. Pure: fed ``(t, left_bw, right_bw)``, returns events.

The mat has one load per foot, so what it sees of balance is how weight is shared between the
feet and how steadily: the lifted foot's zone is empty during a one-leg stance, and in quiet
standing the left share wanders a little with body sway. Thresholds are constructor arguments,
checked once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from math import sqrt
from statistics import median

from kiosk.mat.events import Foot
from kiosk.mat.movements import StanceBegan, StanceEnded, Steadiness


def _positive(**values: float) -> None:
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f"{name} must be positive, not {value!r}")


class StanceTimer:
    """Times standing on one foot: from the other foot leaving its zone (its load under
    ``up_bw``) to it touching down again (over ``down_bw`` for ``touch_s``), or to the person
    stepping off. A lift shorter than ``min_stance_s`` is a shuffle or a walking step (single
    support lasts about 0.4 s), not a stance, and a stance
    begins only from standing on both feet (stepping onto the mat one foot first is not one)."""

    def __init__(self, *, up_bw: float = 0.05, down_bw: float = 0.12, stand_bw: float = 0.5,
                 min_stance_s: float = 1.0, touch_s: float = 0.02):
        _positive(up_bw=up_bw, stand_bw=stand_bw, min_stance_s=min_stance_s)
        if not up_bw < down_bw < stand_bw:
            raise ValueError(f"need up_bw ({up_bw}) < down_bw ({down_bw}) < stand_bw "
                             f"({stand_bw})")
        if touch_s < 0:
            raise ValueError("touch_s must not be negative")
        self.up_bw, self.down_bw, self.stand_bw = up_bw, down_bw, stand_bw
        self.min_stance_s, self.touch_s = min_stance_s, touch_s
        self._foot: Foot | None = None  # the standing foot of a stance (candidate or begun)
        self._start = 0.0
        self._began = False
        self._touch_from: float | None = None
        self._n = 0
        self._sum = self._sum2 = 0.0
        self._armed = False  # both feet have carried weight since the last stance

    @property
    def standing_on(self) -> Foot | None:
        """The foot of a stance under way (once begun), else None."""
        return self._foot if self._began else None

    def feed(self, t: float, left_bw: float, right_bw: float) -> list[StanceBegan | StanceEnded]:
        if self._foot is None:
            if left_bw > self.down_bw and right_bw > self.down_bw:
                self._armed = True
            if not self._armed:
                return []
            for foot, mine, other in (("left", left_bw, right_bw), ("right", right_bw, left_bw)):
                if other < self.up_bw and mine >= self.stand_bw:
                    self._foot, self._start, self._began = foot, t, False  # type: ignore
                    self._touch_from, self._n, self._sum, self._sum2 = None, 0, 0.0, 0.0
                    break
            return []
        mine, lifted = (left_bw, right_bw) if self._foot == "left" else (right_bw, left_bw)
        out: list[StanceBegan | StanceEnded] = []
        if not self._began and t - self._start >= self.min_stance_s:
            self._began = True
            out.append(StanceBegan(t, self._foot, self._start))
        if mine < self.up_bw and lifted < self.up_bw:  # stepped off the mat altogether
            return out + self._end(t, touched=False)
        if lifted > self.down_bw:
            if self._touch_from is None:
                self._touch_from = t
            if t - self._touch_from >= self.touch_s:
                return out + self._end(self._touch_from, touched=True)
        else:
            self._touch_from = None
            self._n += 1
            self._sum += mine
            self._sum2 += mine * mine
        return out

    def _end(self, t: float, touched: bool) -> list[StanceBegan | StanceEnded]:
        foot, began = self._foot, self._began
        self._foot, self._armed = None, False
        if not began or foot is None:
            return []
        mean = self._sum / self._n if self._n else 0.0
        sd = sqrt(max(0.0, self._sum2 / self._n - mean * mean)) if self._n else 0.0
        return [StanceEnded(t, foot, round(t - self._start, 3), touched, round(sd, 4))]


class SteadinessMeter:
    """Quiet standing: both feet loaded (each over ``foot_bw``, together within
    ``total_bw`` of body weight) for ``window_s``; then the left share's mean and spread.
    Anything else (a step, a stomp, stepping off) starts the window again."""

    def __init__(self, *, window_s: float = 4.0, foot_bw: float = 0.1, total_bw: float = 0.3):
        _positive(window_s=window_s, foot_bw=foot_bw, total_bw=total_bw)
        self.window_s, self.foot_bw, self.total_bw = window_s, foot_bw, total_bw
        self._start: float | None = None
        self._n = 0
        self._sum = self._sum2 = 0.0

    def reset(self) -> None:
        self._start = None

    def feed(self, t: float, left_bw: float, right_bw: float) -> list[Steadiness]:
        total = left_bw + right_bw
        if (left_bw < self.foot_bw or right_bw < self.foot_bw
                or abs(total - 1.0) > self.total_bw):
            self._start = None
            return []
        share = left_bw / total
        if self._start is None:
            self._start, self._n, self._sum, self._sum2 = t, 0, 0.0, 0.0
        self._n += 1
        self._sum += share
        self._sum2 += share * share
        if t - self._start < self.window_s:
            return []
        mean = self._sum / self._n
        sd = sqrt(max(0.0, self._sum2 / self._n - mean * mean))
        seconds = t - self._start
        self._start = None
        return [Steadiness(t, round(100 * mean, 2), round(100 * sd, 2), round(seconds, 3))]


def steadiness_of(loads: Iterable[tuple[float, float, float]],
                  meter: SteadinessMeter | None = None) -> Steadiness | None:
    """The first quiet-standing window in ``(t, left_bw, right_bw)`` loads, if there is one."""
    meter = meter or SteadinessMeter()
    for t, left, right in loads:
        found = meter.feed(t, left, right)
        if found:
            return found[0]
    return None


@dataclass(frozen=True, slots=True)
class Symmetry:
    """Left against right: each side's median, and the left share of their sum (50: even)."""

    left: float
    right: float
    left_share_pct: float
    n_left: int
    n_right: int


def symmetry(values: Iterable[tuple[str, float]]) -> Symmetry | None:
    """Median per foot of ``(foot, value)`` pairs (stomp peaks in BW); None without both feet."""
    by: dict[str, list[float]] = {"left": [], "right": []}
    for foot, value in values:
        by[foot].append(value)
    if not by["left"] or not by["right"]:
        return None
    left, right = median(by["left"]), median(by["right"])
    share = 100 * left / (left + right) if left + right > 0 else 50.0
    return Symmetry(round(left, 3), round(right, 3), round(share, 2), len(by["left"]),
                    len(by["right"]))

"""What the mat tells the rest of the kiosk: small frozen values, times in signal seconds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Foot = Literal["left", "right"]
FEET: tuple[Foot, Foot] = ("left", "right")


@dataclass(frozen=True, slots=True)
class Landing:
    """A foot came down after it was unloaded; ``peak_bw`` is its peak in body weights.

    ``saturated``: the sensor hit the top of its range, so ``peak_bw`` is only the most it can
    measure (a lower bound); such a landing counts as a stomp but stays out of force trends.
    """

    t: float
    foot: Foot
    peak_bw: float
    stomp: bool
    saturated: bool = False


@dataclass(frozen=True, slots=True)
class Footfall:
    """A foot's landing in a rhythm (marching, walking); ``cadence_spm`` is the live rate of
    landings in steps per minute. (A *step* is a part of a session, never a footfall.)"""

    t: float
    foot: Foot
    cadence_spm: float


@dataclass(frozen=True, slots=True)
class Presence:
    """Someone stepped on (``on``) or off the mat."""

    t: float
    on: bool


# --- from the link (``link.py``): loaded feet and the weigh-in, for the session engine ---


@dataclass(frozen=True, slots=True)
class Feet:
    """Which feet carry weight now; sent when that changes."""

    t: float
    left: bool
    right: bool


@dataclass(frozen=True, slots=True)
class CalProgress:
    """The calibrator is in ``phase`` ("empty" or "standing"), ``fraction`` done."""

    t: float
    phase: str
    fraction: float


@dataclass(frozen=True, slots=True)
class Calibrated:
    """Calibration finished; ``summary`` is what is logged (baseline, body-weight level...)."""

    t: float
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CalFailed:
    """Calibration could not finish; ``reason`` is a sentence for the person."""

    t: float
    reason: str


@dataclass(frozen=True, slots=True)
class Fault:
    """A mat problem began (``active``) or cleared; nothing is counted from a faulty foot.

    ``kind`` is one of: no_mat, railed_low, railed_high, floating, saturated, stuck, drift,
    and spi (the sampler's: the ADC does not answer; ``foot`` None).
    """

    t: float
    foot: Foot | None
    kind: str
    active: bool
    message: str


MatEvent = Landing | Footfall | Presence | Fault


def samples_only(items: Sequence[Any]) -> list[tuple[float, tuple[int, ...]]]:
    """A drained stream without the sampler's fault events, for tools that read raw samples
    (``record``, ``calibrate``, ``doctor``): they report a dead bus in their own way."""
    return [s for s in items if not isinstance(s, Fault)]

"""What goes into the session engine (events) and what comes out (effects).

Mat events (``kiosk.mat.events``) go in as they are; the ones here come from the clock, the
person's commands and the calibrator. Effects are instructions to the shell: speak and caption,
play a tone, log, route samples to the calibrator. All are small frozen values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.mat.events import Fault, Footfall, Landing, Presence

# --- events -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tick:
    """Time passed; ``t`` is monotonic seconds on the session's clock."""

    t: float


@dataclass(frozen=True, slots=True)
class Command:
    """A deliberate request: pause, resume, skip, stop (keyboard, GPIO button or mat gesture)."""

    t: float
    action: str


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


Event = Tick | Command | Feet | CalProgress | Calibrated | CalFailed | Landing | Footfall \
    | Presence | Fault

COMMANDS = ("pause", "resume", "skip", "stop")

# --- effects ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Say:
    """Speak ``text`` and show it as the caption. One source for both, so they never differ."""

    text: str


@dataclass(frozen=True, slots=True)
class Tone:
    """A short sound: ``good``, ``tick`` or ``done``; heard even without a voice."""

    name: str


@dataclass(frozen=True, slots=True)
class Log:
    """Something completed that must be kept: ``kind`` with its ``fields``.

    Kinds: step_started, landing, hold, set, interval, pain, onerm, step_finished,
    session_finished, calibration. ``step`` is the index of the step in the session.
    """

    kind: str
    step: int
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Calibrate:
    """Start (``active``) or stop feeding raw mat samples to the calibrator."""

    active: bool


@dataclass(frozen=True, slots=True)
class Hush:
    """Stop what is being said and drop what is waiting (an exercise skipped or stopped: its
    lines no longer apply); the lines after this one are said at once."""


Effect = Say | Tone | Log | Calibrate | Hush

"""What goes into the session engine (events) and what comes out (effects).

Mat events (``kiosk.mat.events``: the detector's, and the link's ``Feet`` and calibration
progress) go in as they are, re-exported here; the ones defined here come from the clock and
the person's commands. Effects are instructions to the shell: speak and caption, play a tone,
log, route samples to the calibrator. All are small frozen values.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.mat.events import (  # re-exported: the engine's events from the mat
    CalFailed,
    Calibrated,
    CalProgress,
    Fault,
    Feet,
    Landing,
    Presence,
    Step,
)
from kiosk.store.records import Record

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


Event = Tick | Command | Feet | CalProgress | Calibrated | CalFailed | Landing | Step | Presence \
    | Fault

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
    """Something completed that must be kept: one typed ``record`` (``kiosk.store.records``).

    ``step`` is the index of the step in the session that made it.
    """

    step: int
    record: Record


@dataclass(frozen=True, slots=True)
class Calibrate:
    """Start (``active``) or stop feeding raw mat samples to the calibrator."""

    active: bool


@dataclass(frozen=True, slots=True)
class Hush:
    """Stop what is being said and drop what is waiting (an exercise skipped or stopped: its
    lines no longer apply); the lines after this one are said at once."""


Effect = Say | Tone | Log | Calibrate | Hush

"""What the log keeps: one frozen record type per kind, from the steps to the store.

The steps and the engine make these, the recorder matches on their type, and the store's
writer takes them; each field is the column of the same name. A misspelt field is a type
error (and a ``TypeError`` at once), never a lost column. Pure: dataclasses only, so the
coach may import it without sqlite3. A new kind: a record here, where a step makes it, a
``case`` in ``coach/recorder.py``, a writer method and a migration in the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class StepStarted:
    """A step of the session began, with what it aims for (``target``: its dose, as JSON)."""

    exercise_id: str
    kind: str
    block: str
    target: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""  # for the journal; the log names the step by ``exercise_id``


@dataclass(frozen=True, slots=True)
class Landed:
    """One landing of a stomp set; ``saturated``: the sensor hit its ceiling, so ``peak_bw``
    is a lower bound (kept out of force trends)."""

    foot: str
    t_s: float
    peak_bw: float
    stomp: bool
    saturated: bool = False


@dataclass(frozen=True, slots=True)
class Held:
    """A completed stretch or back-extensor hold, as measured (``side``: left, right, both)."""

    side: str
    held_s: float
    target_s: float


@dataclass(frozen=True, slots=True)
class SetDone:
    """A strength set (or the part of one done before a stop), with its load (None: none)."""

    set_no: int
    reps: int
    load_kg: float | None


@dataclass(frozen=True, slots=True)
class IntervalDone:
    """A stretch of marching with its measured cadence; ``steps`` counts footfalls."""

    seconds: float
    steps: int
    cadence_spm: float
    target_spm: float


@dataclass(frozen=True, slots=True)
class PainAnswered:
    """The answer to "did that hurt?", given with a foot."""

    hurt: bool


@dataclass(frozen=True, slots=True)
class OneRepMaxTested:
    """A one-rep-max test set, its estimate and the training load derived from it."""

    exercise_id: str
    weight_kg: float
    reps: int
    estimate_kg: float
    target_kg: float


@dataclass(frozen=True, slots=True)
class CalibrationMade:
    """A weigh-in on the mat. ``data`` is the mat's own description of it (the calibration
    file's fields), kept whole as JSON: its shape belongs to the mat room, not the log."""

    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StepFinished:
    """A step ended: done, skipped, stopped or failed, with what was achieved (JSON)."""

    status: str
    achieved: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SessionFinished:
    """The session ended: done or stopped. (It begins at its first logged step.)"""

    status: str


Record = (StepStarted | Landed | Held | SetDone | IntervalDone | PainAnswered | OneRepMaxTested
          | CalibrationMade | StepFinished | SessionFinished)

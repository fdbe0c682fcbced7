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
from datetime import date
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
class RestedToday:
    """After "it hurt", the person chose to leave that exercise out for the rest of the day
    (marks the step's pain answer)."""


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




# --- what the mat sees beyond landings (balance, steadiness, chair stands) ---------------


@dataclass(frozen=True, slots=True)
class BalanceHeld:
    """One side of a one-leg stance exercise: the best and total seconds over its attempts,
    each ended by a touch-down or the ``ceiling_s``; ``timed_by`` "mat", or "timer" when the
    mat could not see the feet."""

    side: str
    best_s: float
    total_s: float
    attempts: int
    ceiling_s: float
    timed_by: str = "mat"


@dataclass(frozen=True, slots=True)
class SteadinessMeasured:
    """Quiet standing on both feet: the left share of the weight and its wobble (SD), in
    percentage points, at the weigh-in or at the start of a balance exercise (``moment``)."""

    moment: str
    share_left_pct: float
    wobble_pp: float
    seconds: float


@dataclass(frozen=True, slots=True)
class ChairRep:
    """One sit-to-stand counted by the mat, with its tempo: ``up_s`` rising, ``down_s``
    sitting back, ``rep_s`` the whole stand and sit."""

    set_no: int
    rep: int
    up_s: float
    down_s: float
    rep_s: float


@dataclass(frozen=True, slots=True)
class ChairTested:
    """The 30-second chair stand test: full stands counted by the mat in ``seconds``."""

    stands: int
    seconds: float
    counted_by: str = "mat"


# --- progression: written once a day by the shell, not by a session's recorder -----------


@dataclass(frozen=True, slots=True)
class DecisionLogged:
    """One progression decision (``program.progression.Decision``) as the log keeps it."""

    rule: str
    subject: str
    before: str
    after: str
    unit: str
    reason: str
    line: str


@dataclass(frozen=True, slots=True)
class ProgressRun:
    """A day's progression run: the state the plan uses from ``plan_date`` (as JSON) and the
    decisions that made it. One per day: the log refuses a second."""

    plan_date: date
    state: Mapping[str, Any] = field(default_factory=dict)
    decisions: tuple[DecisionLogged, ...] = ()


Record = (StepStarted | Landed | Held | SetDone | IntervalDone | PainAnswered | OneRepMaxTested
          | CalibrationMade | StepFinished | SessionFinished | BalanceHeld | SteadinessMeasured
          | ChairRep | ChairTested | RestedToday)

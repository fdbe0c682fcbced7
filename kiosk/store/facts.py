"""What the report reads from the log: one typed row per kind, the seam between SQL and math.

The reader (``_reader.py``) fills these; ``reports.py`` and ``sections.py`` judge them. Pure:
no sqlite3, so the report is tested with literal rows. The last group are the rows the
program logs (progression, pain flags, clearance): their sections render them when given and
say "not recorded yet" when not. What the mat measured is ``balance_report.MatReport``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StepFact:
    """One exercise step as logged, with its dose (from ``steps.target``) and what was done.

    ``session_status`` is as a person reads it: done, stopped, interrupted or in progress.
    Counts are of rows the step measured: stomps at target per foot and all landings, strength
    sets (``full_sets``: those with at least the prescribed reps), holds, seconds marched, pain
    answers and how many said "it hurt".
    """

    plan_date: str
    slot: str
    session_id: int
    session_status: str
    started_utc: str
    exercise_id: str
    block: str
    kind: str
    status: str
    per_foot: int = 0
    sets_due: int = 0
    reps_due: int = 0
    duration_s: float = 0.0
    stomps_left: int = 0
    stomps_right: int = 0
    landings: int = 0
    sets: int = 0
    full_sets: int = 0
    reps: int = 0
    holds: int = 0
    marched_s: float = 0.0
    pain_answers: int = 0
    hurt: int = 0


@dataclass(frozen=True, slots=True)
class Interval:
    """A minute (or the last part of one) of marching: its cadence against the target."""

    plan_date: str
    block: str
    seconds: float
    steps: int
    cadence_spm: float
    target_spm: float


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A session as ``log`` shows it, for "last session" (local start time already made)."""

    plan_date: str
    slot: str
    started_local: str
    status: str
    minutes: float | None
    steps_done: int
    steps_total: int


# --- the program's rows (sections say "not recorded yet" without them) -------------------

@dataclass(frozen=True, slots=True)
class Progression:
    """A change of dose the program decided: what moved, from, to, and why (program pass)."""

    plan_date: str
    exercise_id: str
    what: str
    before: str
    after: str
    reason: str
    line: str = ""  # "sit_to_stand 4 → 5 kg on 12 Dec: all sets done twice"


@dataclass(frozen=True, slots=True)
class PainFlag:
    """A pain flag raised by the program: repeated pain, or an exercise paused (program pass)."""

    plan_date: str
    exercise_id: str
    kind: str  # "repeated" or "paused"
    detail: str


@dataclass(frozen=True, slots=True)
class Clearance:
    """Who cleared what level of impact work, and when (program pass: profile keys)."""

    who: str
    when: str
    impact: str


# --- what progression reads (``_reader.progress_facts``; ``program/ledger.py`` converts) ----

@dataclass(frozen=True, slots=True)
class LoggedSet:
    """A training set (not a test set): reps done of ``target_reps``, at ``load_kg``."""

    plan_date: str
    exercise_id: str
    reps: int
    target_reps: int
    load_kg: float | None


@dataclass(frozen=True, slots=True)
class LoggedHold:
    """A back, core or balance hold timed by the coach."""

    plan_date: str
    exercise_id: str
    held_s: float
    target_s: float


@dataclass(frozen=True, slots=True)
class LoggedStance:
    """One side of a one-leg stance timed by the mat: best and total of its attempts."""

    plan_date: str
    exercise_id: str
    best_s: float
    total_s: float
    attempts: int
    ceiling_s: float


@dataclass(frozen=True, slots=True)
class LoggedStomps:
    """A stomp step: landings at target (``hits``) of all landings, against ``target_bw``."""

    plan_date: str
    hits: int
    attempts: int
    target_bw: float


@dataclass(frozen=True, slots=True)
class LoggedMinutes:
    """Seconds marched on one day."""

    plan_date: str
    seconds: float


@dataclass(frozen=True, slots=True)
class LoggedTest:
    """A one-rep-max test set the person ended (``plan_date``: the UTC day it was logged)."""

    plan_date: str
    exercise_id: str
    weight_kg: float
    reps: int


@dataclass(frozen=True, slots=True)
class LoggedHurt:
    """An "it hurt" answer; ``rest_today``: the person left the exercise for the day."""

    plan_date: str
    exercise_id: str
    rest_today: bool = False


@dataclass(frozen=True, slots=True)
class ProgressFacts:
    """Everything a progression run reads from the log, oldest first."""

    sets: tuple[LoggedSet, ...] = ()
    holds: tuple[LoggedHold, ...] = ()
    balance: tuple[LoggedStance, ...] = ()
    stomps: tuple[LoggedStomps, ...] = ()
    minutes: tuple[LoggedMinutes, ...] = ()
    tests: tuple[LoggedTest, ...] = ()
    hurts: tuple[LoggedHurt, ...] = ()

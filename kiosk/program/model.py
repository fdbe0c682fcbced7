"""The program's values: exercises as catalogued, and the coached steps a session is made of."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("stomp", "cardio", "strength", "extensor", "stretch", "balance", "chair_test")
#: Movement tags the safety filter reads. ``forward_bend`` is never scheduled.
TAGS = ("forward_bend", "side_bend", "rotation", "impact", "high_intensity", "overhead",
        "balance", "floor")


@dataclass(frozen=True, slots=True)
class Profile:
    """What the safety filter must know about the person."""

    fracture_history: bool = False
    impact_cleared: bool = False


@dataclass(frozen=True, slots=True)
class Dose:
    """How much of an exercise: a hold, or sets of reps, with rest between."""

    hold_s: int = 0
    reps: int = 0
    sets: int = 1
    rest_s: int = 0
    per_side: bool = False


@dataclass(frozen=True, slots=True)
class Exercise:
    """One catalogue entry (``assets/exercises.toml``)."""

    id: str
    name: str
    kind: str
    instructions: tuple[str, ...]
    sites: tuple[str, ...] = ()
    tags: frozenset[str] = frozenset()
    equipment: tuple[str, ...] = ()
    dose: Dose = field(default_factory=Dose)
    why: str = ""
    #: In the default program. False: only when ``program.include`` asks (and safety allows).
    standard: bool = True


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One coached step of a session, fully dosed; the session engine runs a list of these.

    Only the fields of its ``kind`` matter: stomp (per_foot, target_bw), stretch (hold_s, sides),
    extensor (hold_s, holds, rest_s), strength (sets, reps, rest_s, load_kg; or ``test`` with
    ``weights_kg`` for a one-rep-max test set), cardio (duration_s, target_spm, intensity).
    """

    kind: str
    exercise_id: str
    title: str
    instructions: tuple[str, ...] = ()
    block: str = ""
    per_foot: int = 0
    target_bw: float = 0.0
    hold_s: float = 0.0
    holds: int = 1
    sides: tuple[str, ...] = ()
    sets: int = 0
    reps: int = 0
    rest_s: float = 0.0
    load_kg: float | None = None
    duration_s: float = 0.0
    target_spm: float = 0.0
    intensity: str = ""
    test: bool = False  # strength: no training load known yet, so find it with a test set
    weights_kg: tuple[float, ...] = ()  # strength test: the weights the person owns

#: Block names shared by the plan, the session log and the reports.
BLOCKS = ("stomps", "cardio_high", "cardio_low", "strength", "extensor", "stretch")
#: Blocks of the mat's checks the log accepts before the plan schedules them: the balance
#: exercises, and the monthly check-in (the 30-second chair stand test).
CHECK_BLOCKS = ("balance", "checkin")

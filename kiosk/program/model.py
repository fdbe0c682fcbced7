"""The program's values: exercises as catalogued, and the coached steps a session is made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

KINDS = ("stomp", "cardio", "strength", "extensor", "stretch", "balance", "chair_test")
#: Steps of a session that are not exercises: the stop rules, said before the first session
#: and weekly (in the check-in block).
CHECK_KINDS = ("stop_rules",)
#: Movement tags the safety filter reads. ``forward_bend`` is never scheduled;
#: ``direction_change`` (stepping sideways or back) only in an exercise made for it, at a counter.
TAGS = ("forward_bend", "side_bend", "rotation", "impact", "high_intensity", "overhead",
        "balance", "floor", "direction_change")
#: Fracture history is three-state; "unknown" counts as a fracture, because most vertebral
#: fractures are never diagnosed (Strong, Steady and Straight, Br J Sports Med 2022).
FRACTURE_STATES = ("yes", "no", "unknown")


@dataclass(frozen=True, slots=True)
class Profile:
    """What the safety filter must know about the person.

    ``impact_override`` names the higher-impact exercises a clinician's separate, dated
    override allows after a fracture; it counts only with ``override_by`` and ``override_on``.
    """

    fracture_history: str = "unknown"
    impact_cleared: bool = False
    cleared_by: str = ""
    cleared_on: date | None = None
    impact_override: frozenset[str] = frozenset()
    override_by: str = ""
    override_on: date | None = None
    floor_cleared: bool = False
    body_mass_kg: float = 0.0

    @property
    def fracture(self) -> bool:
        """Treated as having had a fracture: "yes", and "unknown" too."""
        return self.fracture_history != "no"

    def override_allows(self, exercise_id: str) -> bool:
        """A dated, signed clinician's override names this higher-impact exercise."""
        return (exercise_id in self.impact_override and bool(self.override_by)
                and self.override_on is not None)


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
    #: Exercises that progress by variant share a ``ladder``; ``rung`` 1 is the easiest.
    ladder: str = ""
    rung: int = 0


@dataclass(frozen=True, slots=True)
class StepSpec:
    """One coached step of a session, fully dosed; the session engine runs a list of these.

    Only the fields of its ``kind`` matter: stomp (per_foot, target_bw), stretch (hold_s, sides),
    extensor and balance (hold_s, holds, rest_s, sides), strength (sets, reps, rest_s, sides,
    load_kg; or ``test`` with ``weights_kg`` for a one-rep-max test set), cardio (duration_s,
    target_spm, intensity, direction_changes).
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
    body_mass_kg: float = 0.0  # strength test: the sit-to-stand's estimate counts the body
    direction_changes: bool = False  # cardio: made for side and back steps, hand on a counter

#: Block names shared by the plan, the session log and the reports.
BLOCKS = ("stomps", "cardio_high", "cardio_low", "strength", "extensor", "stretch", "balance")
#: Blocks of the mat's checks the log accepts before the plan schedules them: the monthly
#: check-in (the 30-second chair stand test).
CHECK_BLOCKS = ("checkin",)

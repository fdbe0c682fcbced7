"""The weekly plan and the coached steps of one session: pure functions of config, catalogue, date.

What goes where (the article's prescriptions, the config's days and doses):

- morning: cardio (brisk on ``schedule.high_cardio_days``, gentle otherwise: brisk marching is
  walking-level impact, for everyone), stomps, the daily back and core work, balance at a
  counter, and stretches when ``schedule.stretches_per_day`` is 2;
- evening: stomps, strength on ``schedule.strength_days``, stretches.

Cardio comes first in the morning because easy stepping warms the body for stomps; stretches
come last in a session, when muscles are warm. Every exercise passes the safety filter; what
it holds back is said in the day's notes, in plain words. Exercises that progress by variant
(a ``ladder``) appear once, at the rung the progression state has reached; doses come from
that state too (``progression.ProgressState``), so the plan gets harder as the person does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from kiosk.errors import KioskError
from kiosk.program.catalogue import Catalogue, block_of
from kiosk.program.model import BLOCKS, Exercise, Profile, StepSpec
from kiosk.program.onerm import MAX_REPS
from kiosk.program.progression import (
    BALANCE_START_HOLD_S,
    MAX_STRENGTH_SETS,
    STOMPS_PER_FOOT_CAP,
    ProgressState,
    initial_state,
)
from kiosk.program.safety import allowed, check_program, profile_from

if TYPE_CHECKING:
    from kiosk.config import Config

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SLOTS = ("morning", "evening")
#: Per-side exercises are written for the right side first; the engine mirrors for the left.
SIDES = ("right", "left")

#: Why each block is in the plan, in plain words (shown in `plan` and on screen).
BLOCK_WHY: Mapping[str, str] = {
    "stomps": "Firm stomps send a jolt up to your hips. Jolts like this can help keep hip "
              "bones strong.",
    "cardio_high": "A brisk pace, with changes of speed, gives your bones a load they are "
                   "not used to. That can help keep them strong.",
    "cardio_low": "Easy steps keep weight on your bones and give your body a rest between "
                  "brisk days.",
    "strength": "Lifting a weight that feels heavy can help keep bones strong. These work "
                "your hips, wrists and back, where breaks happen most.",
    "extensor": "Strong back and tummy muscles hold your spine upright and in a safe line, "
                "so this is every day.",
    "stretch": "Stretching tight muscles eases back pain and helps you stand tall.",
    "balance": "Steady balance means fewer falls. A counter is there to hold, every day.",
}
#: Short names for tables.
BLOCK_LABELS: Mapping[str, str] = {
    "stomps": "stomps", "cardio_high": "brisk steps", "cardio_low": "easy steps",
    "strength": "strength", "extensor": "back", "stretch": "stretch", "balance": "balance",
}

NOTE_NO_STOMPS = ("No stomps yet: stomping is impact work and needs a clinician's OK first "
                  "(profile.impact_cleared).")
NOTE_STOMPS_FRACTURE = ("No stomps: after a fracture (or when fracture history is unknown) "
                        "impact stays at brisk-walking level unless a clinician's dated "
                        "override names them (profile.impact_override).")
NOTE_BRISK_EMPTY = "A brisk day, but no brisk exercise is left in the program: gentle steps today."


@dataclass(frozen=True, slots=True)
class BlockPlan:
    """One block of a session: which exercises, and why the block is there."""

    block: str
    exercise_ids: tuple[str, ...]
    why: str


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """The morning or evening session of one day."""

    slot: str
    time: str
    blocks: tuple[BlockPlan, ...]


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day of the plan; ``notes`` say in plain words what was held back and why."""

    day: date
    weekday: str
    sessions: tuple[SessionPlan, ...]
    notes: tuple[str, ...] = field(default=())

    def session(self, slot: str) -> SessionPlan | None:
        """The session of that slot, or None when the day has none."""
        return next((s for s in self.sessions if s.slot == slot), None)

    def blocks(self) -> list[str]:
        """Block names in the order they happen, repeats kept (stomps appear twice)."""
        return [b.block for s in self.sessions for b in s.blocks]

    def exercise_ids(self) -> set[str]:
        """Every exercise the day holds."""
        return {e for s in self.sessions for b in s.blocks for e in b.exercise_ids}


def _adjacent(days: list[str]) -> tuple[str, str] | None:
    """Two of ``days`` that fall back to back in a real week (Sunday runs into Monday)."""
    chosen = set(days)
    for i, d in enumerate(WEEKDAYS):
        nxt = WEEKDAYS[(i + 1) % 7]
        if d in chosen and nxt in chosen:
            return d, nxt
    return None


def schedule_problems(schedule: Mapping[str, Any]) -> list[str]:
    """What in ``[schedule]`` breaks the plan's rules (empty: fine).

    Strength days need a rest day between, Sunday to Monday included; brisk cardio days
    alternate with gentle ones, so two brisk days may not be back to back either.
    """
    found = []
    pair = _adjacent(list(schedule["strength_days"]))
    if pair:
        found.append(f"schedule.strength_days: {pair[0]} and {pair[1]} are back to back "
                     "(allowed: a rest day between strength days, so bones and muscles recover)")
    pair = _adjacent(list(schedule["high_cardio_days"]))
    if pair:
        found.append(f"schedule.high_cardio_days: {pair[0]} and {pair[1]} are back to back "
                     "(allowed: brisk days with a gentle day between, so they alternate)")
    return found


def block_exercises(block: str, catalogue: Catalogue, profile: Profile,
                    include: tuple[str, ...] = (),
                    exclude: tuple[str, ...] = (),
                    state: ProgressState | None = None) -> tuple[str, ...]:
    """Ids the block holds: standard or included, not excluded, not paused for pain, allowed
    for the person; one variant of each ladder, at the rung reached (or the highest below it
    that is left, else the lowest that is)."""
    state = state or ProgressState()
    ok = [e for e in catalogue.values()
          if block_of(e) == block and (e.standard or e.id in include)
          and e.id not in exclude and e.id not in state.paused and allowed(e, profile)]
    chosen = {}
    for e in ok:
        if e.ladder:
            same = [x for x in ok if x.ladder == e.ladder]
            reached = [x for x in same if x.rung <= state.rung(e.ladder)]
            chosen[e.ladder] = max(reached, key=lambda x: x.rung) if reached \
                else min(same, key=lambda x: x.rung)
    return tuple(e.id for e in ok if not e.ladder or chosen[e.ladder] is e)


def day_plan(config: Config, catalogue: Catalogue, day: date,
             state: ProgressState | None = None) -> DayPlan:
    """The plan for one date (checks the program and schedule first; raises KioskError)."""
    return week_plan(config, catalogue, day, days=1, state=state)[0]


def week_plan(config: Config, catalogue: Catalogue, start: date, days: int = 7,
              state: ProgressState | None = None) -> list[DayPlan]:
    """``days`` days of plan from ``start``, at the progression ``state`` given (None: where
    a new person starts).

    ``config`` is a ``kiosk.config.Config`` (or anything with ``profile``, ``schedule`` and
    ``program`` sections). Raises KioskError when ``program.include`` asks for an exercise the
    safety filter refuses, an id is unknown, or the schedule breaks the plan's rules.
    """
    profile = profile_from(config)
    program, schedule = config.program, config.schedule
    check_program(program, catalogue, profile)
    problems = schedule_problems(schedule)
    if problems:
        raise KioskError("; ".join(problems))
    include, exclude = tuple(program["include"]), tuple(program["exclude"])
    pick = {b: block_exercises(b, catalogue, profile, include, exclude, state) for b in BLOCKS}
    return [_one_day(start + timedelta(days=n), schedule, pick, profile) for n in range(days)]


def _one_day(day: date, schedule: Mapping[str, Any], pick: Mapping[str, tuple[str, ...]],
             profile: Profile) -> DayPlan:
    weekday = WEEKDAYS[day.weekday()]
    notes: list[str] = []

    def block(name: str) -> list[BlockPlan]:
        return [BlockPlan(name, pick[name], BLOCK_WHY[name])] if pick[name] else []

    cardio = "cardio_low"
    if weekday in schedule["high_cardio_days"]:
        if pick["cardio_high"]:
            cardio = "cardio_high"
        else:
            notes.append(NOTE_BRISK_EMPTY)
    if not pick["stomps"]:
        notes.append(NOTE_NO_STOMPS if not profile.impact_cleared
                     else NOTE_STOMPS_FRACTURE if profile.fracture
                     else "No stomps: every stomp exercise is excluded in the program.")
    strength_day = weekday in schedule["strength_days"]
    wanted = [cardio, "stomps", "extensor", "balance", "stretch"] + (
        ["strength"] if strength_day else [])
    for name in wanted:
        if name != "stomps" and not pick[name]:
            notes.append(f"No {BLOCK_LABELS[name]}: every exercise of that block is excluded "
                         "in the program or by the safety filter, or paused after pain.")

    morning = block(cardio) + block("stomps") + block("extensor") + block("balance")
    if schedule["stretches_per_day"] >= 2:
        morning += block("stretch")
    evening = block("stomps") + (block("strength") if strength_day else []) + block("stretch")
    sessions = (SessionPlan("morning", schedule["morning"], tuple(morning)),
                SessionPlan("evening", schedule["evening"], tuple(evening)))
    return DayPlan(day, weekday, sessions, tuple(notes))


def session_steps(day_plan: DayPlan, slot: str, config: Config, catalogue: Catalogue,
                  onerm_targets: Mapping[str, float] | None = None,
                  state: ProgressState | None = None) -> list[StepSpec]:
    """The session as fully dosed coached steps, in order, for the session engine.

    Doses come from the progression ``state`` where it holds one (stomp target, loads,
    back and balance holds, weekly minutes), else from the config's ``[program]`` keys (the
    helper's word wins over the catalogue's); ``per_side`` and rest for holds come from the
    catalogue. A strength step gets ``load_kg`` from the state, else from ``onerm_targets``
    (exercise id -> kg); one the state marks for a retest becomes a test set. Caps hold
    whatever the config says: at most 4 stomps a foot and 3 sets.
    """
    if slot not in SLOTS:
        raise KioskError(f"session {slot!r} is not one of {', '.join(SLOTS)}")
    session = day_plan.session(slot)
    if session is None:
        return []
    state = state or initial_state(config)
    targets = {**(onerm_targets or {}), **state.loads_kg}
    minutes = {high: cardio_minutes(config, state, high) for high in (True, False)}
    steps: list[StepSpec] = []
    for block in session.blocks:
        for ex_id in block.exercise_ids:
            steps.append(_step(catalogue[ex_id], block, config.program, targets, state,
                               minutes[block.block == "cardio_high"],
                               float(config.profile.body_mass_kg)))
    return steps


def cardio_minutes(config: Config, state: ProgressState, high: bool) -> float:
    """A brisk or gentle day's minutes: the config's, scaled up as the weekly minutes grow
    (the schedule's own week is where the person starts), at most 40 a day."""
    base = initial_state(config).weekly_min
    minutes = config.program["cardio_high_min" if high else "cardio_low_min"]
    return min(40.0, minutes * state.weekly_min / base if base else float(minutes))


class _Common(TypedDict):
    """The StepSpec fields every kind of step takes from its exercise and block."""

    kind: str
    exercise_id: str
    title: str
    instructions: tuple[str, ...]
    block: str


def _step(ex: Exercise, block: BlockPlan, program: Mapping[str, Any],
          targets: Mapping[str, float], state: ProgressState, minutes: float,
          body_mass_kg: float = 0.0) -> StepSpec:
    base: _Common = {"kind": ex.kind, "exercise_id": ex.id, "title": ex.name,
            "instructions": ex.instructions, "block": block.block}
    sides = SIDES if ex.dose.per_side else ()
    if ex.kind == "stomp":
        return StepSpec(**base, per_foot=min(STOMPS_PER_FOOT_CAP, program["stomps_per_foot"]),
                        target_bw=float(state.stomp_target_bw))
    if ex.kind == "stretch":
        return StepSpec(**base, hold_s=float(program["hold_s"]), sides=sides,
                        rest_s=float(ex.dose.rest_s))
    if ex.kind == "extensor":
        return StepSpec(**base, hold_s=float(program["extensor_hold_s"]),
                        holds=state.holds.get(ex.ladder, program["extensor_holds"]),
                        rest_s=float(ex.dose.rest_s), sides=sides)
    if ex.kind == "balance":
        hold_s = state.hold_s.get(ex.ladder, max(ex.dose.hold_s, BALANCE_START_HOLD_S))
        return StepSpec(**base, hold_s=float(hold_s), holds=ex.dose.reps, sides=sides,
                        rest_s=float(ex.dose.rest_s))
    if ex.kind == "strength":
        load = targets.get(ex.id)
        if "dumbbell" in ex.equipment and (load is None or ex.id in state.retest_due):
            return StepSpec(**base, test=True, sets=1, reps=MAX_REPS,  # find the load on screen
                            weights_kg=tuple(float(w) for w in program["weights_kg"]),
                            body_mass_kg=body_mass_kg)
        return StepSpec(**base, sets=min(MAX_STRENGTH_SETS, program["strength_sets"]),
                        reps=program["strength_reps"],
                        rest_s=float(program["strength_rest_s"]), sides=sides,
                        load_kg=float(load) if load is not None else None)
    high = block.block == "cardio_high"
    return StepSpec(**base, duration_s=float(round(minutes * 60 / len(block.exercise_ids))),
                    target_spm=float(program["cadence_high_spm" if high else "cadence_low_spm"]),
                    intensity="high" if high else "low",
                    direction_changes="direction_change" in ex.tags)


def day_as_dict(day: DayPlan, catalogue: Catalogue) -> dict[str, Any]:
    """A day for ``--json``: plain values only."""
    return {
        "date": day.day.isoformat(),
        "weekday": day.weekday,
        "sessions": [{
            "slot": s.slot, "time": s.time,
            "blocks": [{"block": b.block, "why": b.why,
                        "exercises": [{"id": e, "name": catalogue[e].name}
                                      for e in b.exercise_ids]}
                       for b in s.blocks],
        } for s in day.sessions],
        "notes": list(day.notes),
    }

"""Carrying on after a crash or power cut: today's plan for the slot, less what the log says was
done. Pure: the log's ``session_so_far`` row in, the steps left out.

It carries on by itself, with no question: the only other choice, starting the slot again,
would repeat logged work (stomps past the article's four a foot, sets past the dose) and count
the day twice, and a question is one more thing to answer for someone who may not see or hear
it well. So the coach says it is carrying on and does; stepping off pauses as always, and
staying away ends the session. Steps done or skipped are not planned again; the interrupted one
restarts with what it had logged counted (its rows stay, the rest joins them in the same step
row), so the report judges its dose over both parts and the day once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from kiosk.program.model import StepSpec

FINISHED = ("done", "skipped")  # steps a resume never plans again
MIN_MARCH_S = 30.0  # a marching remainder shorter than this is still worth a start


@dataclass(frozen=True, slots=True)
class Carried:
    """What an interrupted step had logged: its row, and its stomps, sets, holds and march."""

    row_id: int
    stomps: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # foot: (tries, hits)
    sets: int = 0
    holds: int = 0
    marched_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Resume:
    """The session to carry on: its row, the steps left, and what the interrupted one had."""

    session_id: int
    steps: tuple[StepSpec, ...]
    carried: Mapping[int, Carried]  # by place in ``steps``
    done: int  # steps of the plan already done (or skipped)
    total: int


def carried_of(step: Mapping[str, Any]) -> Carried:
    """A ``session_so_far`` step as what it carries."""
    logged = step.get("logged", {})
    return Carried(row_id=int(step["id"]),
                   stomps={f: (int(n), int(hits)) for f, (n, hits) in step.get("feet", {}).items()},
                   sets=int(logged.get("strength_sets", 0)), holds=int(logged.get("holds", 0)),
                   marched_s=float(step.get("marched_s", 0.0)))


def rest_of(spec: StepSpec, c: Carried) -> StepSpec | None:
    """The step with what was logged taken off its dose; None when nothing is left of it."""
    if spec.kind == "stomp":
        tries = [c.stomps.get(f, (0, 0))[0] for f in ("left", "right")]
        return None if min(tries) >= spec.per_foot else spec  # the machine counts the rest
    if spec.kind == "strength" and spec.sets and not spec.test:
        if spec.sides:
            sides = spec.sides[c.sets // spec.sets:]  # sides whose sets were all done stay done
            return replace(spec, sides=sides) if sides else None
        left = spec.sets - c.sets
        return replace(spec, sets=left) if left > 0 else None
    if spec.kind in ("stretch", "extensor") and c.holds:
        if spec.sides and spec.holds <= 1:
            sides = spec.sides[c.holds:]
            return replace(spec, sides=sides) if sides else None
        if not spec.sides:
            left = spec.holds - c.holds
            return replace(spec, holds=left) if left > 0 else None
    if spec.kind == "cardio" and spec.duration_s and c.marched_s:
        left_s = spec.duration_s - c.marched_s
        return replace(spec, duration_s=max(left_s, MIN_MARCH_S)) if left_s >= 1.0 else None
    return spec


def resume_plan(planned: Sequence[StepSpec], so_far: Mapping[str, Any] | None) -> Resume | None:
    """Carry on today's interrupted session for this slot, or None (nothing to carry on)."""
    if not so_far or so_far.get("status") != "interrupted" or not so_far.get("steps"):
        return None
    logged = list(so_far["steps"])
    used: set[int] = set()
    steps: list[StepSpec] = []
    carried: dict[int, Carried] = {}
    done = 0
    for spec in planned:
        match = next((st for st in logged if st["id"] not in used
                      and st["exercise_id"] == spec.exercise_id and st["kind"] == spec.kind), None)
        if match is None:
            steps.append(spec)
            continue
        used.add(match["id"])
        c = carried_of(match)
        rest = None if match["status"] in FINISHED else rest_of(spec, c)
        if rest is None:
            done += 1
            continue
        carried[len(steps)] = c
        steps.append(rest)
    if not steps:
        return None
    return Resume(session_id=int(so_far["id"]), steps=tuple(steps), carried=carried, done=done,
                  total=len(planned))

"""The safety filter: which exercises a person may be given, decided from movement tags alone.

The rules come from the article: most spine fractures happen while bending forward, so
``forward_bend`` is never scheduled; after an osteoporotic fracture side bending and trunk
rotation are left out too; impact work waits until a clinician has cleared it. Pure functions:
the plan calls them for every exercise it schedules, and a config that asks for something they
refuse is stopped with the exercise and the reason named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kiosk.errors import KioskError
from kiosk.program.catalogue import Catalogue, did_you_mean
from kiosk.program.model import Exercise, Profile

if TYPE_CHECKING:
    from kiosk.config import Config

FORWARD_BEND = "it bends the spine forward, the position in which most spine fractures happen"
SIDE_BEND = "it bends the trunk sideways, which is left out after a fracture"
ROTATION = "it twists the trunk, which is left out after a fracture"
IMPACT = "it is impact work, which needs a clinician's OK first (profile.impact_cleared)"


def profile_from(config: Config) -> Profile:
    """The safety-relevant part of the config's ``[profile]`` section."""
    return Profile(fracture_history=bool(config.profile.fracture_history),
                   impact_cleared=bool(config.profile.impact_cleared))


def exclusion_reasons(exercise: Exercise, profile: Profile) -> tuple[str, ...]:
    """Every reason this exercise may not be given to this person (empty: it may)."""
    reasons = []
    if "forward_bend" in exercise.tags:
        reasons.append(FORWARD_BEND)
    if profile.fracture_history and "side_bend" in exercise.tags:
        reasons.append(SIDE_BEND)
    if profile.fracture_history and "rotation" in exercise.tags:
        reasons.append(ROTATION)
    if not profile.impact_cleared and exercise.tags & {"impact", "high_intensity"}:
        reasons.append(IMPACT)
    return tuple(reasons)


def exclusion_reason(exercise: Exercise, profile: Profile) -> str | None:
    """Why this exercise is refused for this person, in plain words; None when it is allowed."""
    reasons = exclusion_reasons(exercise, profile)
    return "; ".join(reasons) if reasons else None


def allowed(exercise: Exercise, profile: Profile) -> bool:
    """True when the safety filter lets this exercise be scheduled for this person."""
    return not exclusion_reasons(exercise, profile)


def _request_lines(ids: Iterable[str], catalogue: Catalogue, profile: Profile,
                   key: str) -> list[str]:
    """One ``key: ...`` line per unknown or refused id, in the config's error style."""
    lines = []
    for ex_id in ids:
        exercise = catalogue.get(ex_id)
        if exercise is None:
            lines.append(f"{key}: {ex_id!r} is not in the catalogue"
                         f"{did_you_mean(ex_id, list(catalogue))}")
            continue
        reason = exclusion_reason(exercise, profile)
        if reason:
            lines.append(f"{key}: {ex_id} ({exercise.name}) is refused: {reason}")
    return lines


_SEE = " (see `osteo-kiosk plan --catalogue`)"


def check_request(ids: Iterable[str], catalogue: Catalogue, profile: Profile,
                  key: str = "program.include") -> list[Exercise]:
    """The asked-for exercises, or KioskError naming each unknown or refused one and why."""
    ids = list(ids)
    lines = _request_lines(ids, catalogue, profile, key)
    if lines:
        raise KioskError(key + ": " + "; ".join(line[len(key) + 2:] for line in lines) + _SEE)
    return [catalogue[i] for i in ids]


def program_problems(program: Mapping[str, Any], catalogue: Catalogue,
                     profile: Profile) -> list[str]:
    """Every problem with ``program.include`` / ``exclude``, one ``program.key: ...`` line each.

    An unknown id in ``exclude`` is a problem too: a typo there would silently leave in an
    exercise the helper meant to take out.
    """
    include, exclude = list(program.get("include", [])), list(program.get("exclude", []))
    lines = _request_lines(include, catalogue, profile, "program.include")
    lines += [f"program.exclude: {e!r} is not in the catalogue"
              f"{did_you_mean(e, list(catalogue))}" for e in exclude if e not in catalogue]
    lines += [f"program.include: {e} is also in program.exclude (allowed: an exercise in one "
              "list only)" for e in include if e in exclude]
    return lines


def request_problems(config: Config, catalogue: Catalogue) -> list[str]:
    """``program_problems`` for a whole config (its profile decides what is refused).

    For ``osteo-kiosk config check``, which prefixes each line with the file name.
    """
    return program_problems(config.program, catalogue, profile_from(config))


def check_program(program: Mapping[str, Any], catalogue: Catalogue, profile: Profile) -> None:
    """Refuse a ``[program]`` with any of ``program_problems``, all named in one message."""
    lines = program_problems(program, catalogue, profile)
    if lines:
        raise KioskError("; ".join(lines) + _SEE)

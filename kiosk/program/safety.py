"""The safety filter: which exercises a person may be given, decided from movement tags alone.

The rules come from the article and the consensus behind DESIGN.md: most spine fractures happen
while bending forward, so ``forward_bend`` is never scheduled; after an osteoporotic fracture
(or when nobody knows: most vertebral fractures are never diagnosed) side bending, trunk
rotation and floor work (unless cleared) are left out, and impact stays at brisk-walking level
unless a clinician's separate, dated override names the higher-impact exercise (Strong, Steady
and Straight, Br J Sports Med 2022). Brisk marching is walking-level impact and is not gated;
stomps and jogging (``impact``) wait for a clinician's clearance. Pure functions: the plan
calls them for every exercise it schedules, and a config that asks for something they refuse
is stopped with the exercise and the reason named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk.errors import KioskError
from kiosk.program.catalogue import Catalogue, did_you_mean
from kiosk.program.model import Exercise, Profile

if TYPE_CHECKING:
    from kiosk.config import Config

FORWARD_BEND = "it bends the spine forward, the position in which most spine fractures happen"
SIDE_BEND = "it bends the trunk sideways, which is left out after a fracture"
ROTATION = "it twists the trunk, which is left out after a fracture"
FLOOR = ("it means getting down to the floor and up, which after a fracture waits for a "
         "clinician's OK (profile.floor_cleared)")
IMPACT = "it is impact work, which needs a clinician's OK first (profile.impact_cleared)"
IMPACT_AFTER_FRACTURE = ("after a fracture impact stays at brisk-walking level unless a "
                         "clinician's dated override names this exercise "
                         "(profile.impact_override, _by, _on)")
#: Unknown fracture history is spelled out, so nobody reads "fracture" and thinks it wrong.
UNKNOWN_NOTE = " (fracture history unknown counts as a fracture)"


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def profile_from(config: Config) -> Profile:
    """The safety-relevant part of the config's ``[profile]`` section.

    ``fracture_history`` true/false from older files mean "yes"/"no".
    """
    p = config.profile
    history = p.fracture_history
    if isinstance(history, bool):
        history = "yes" if history else "no"
    return Profile(fracture_history=history, impact_cleared=bool(p.impact_cleared),
                   cleared_by=p.impact_cleared_by,
                   cleared_on=_iso(p.impact_cleared_on),
                   impact_override=frozenset(p.impact_override),
                   override_by=p.impact_override_by,
                   override_on=_iso(p.impact_override_on),
                   floor_cleared=bool(p.floor_cleared),
                   body_mass_kg=float(p.body_mass_kg))


def impact_work_allowed(profile: Profile) -> bool:
    """Whether any impact work (stomps) may be given: cleared, and after a fracture only with
    a signed, dated override naming some of it. The report's yardstick; the plan decides per
    exercise with ``exclusion_reasons``."""
    if not profile.impact_cleared:
        return False
    return not profile.fracture or any(profile.override_allows(i)
                                       for i in profile.impact_override)


def exclusion_reasons(exercise: Exercise, profile: Profile) -> tuple[str, ...]:
    """Every reason this exercise may not be given to this person (empty: it may)."""
    reasons = []
    after = UNKNOWN_NOTE if profile.fracture_history == "unknown" else ""
    if "forward_bend" in exercise.tags:
        reasons.append(FORWARD_BEND)
    if profile.fracture and "side_bend" in exercise.tags:
        reasons.append(SIDE_BEND + after)
    if profile.fracture and "rotation" in exercise.tags:
        reasons.append(ROTATION + after)
    if profile.fracture and "floor" in exercise.tags and not profile.floor_cleared:
        reasons.append(FLOOR + after)
    if "impact" in exercise.tags:
        if not profile.impact_cleared:
            reasons.append(IMPACT)
        elif profile.fracture and not profile.override_allows(exercise.id):
            reasons.append(IMPACT_AFTER_FRACTURE + after)
    return tuple(reasons)


def exclusion_reason(exercise: Exercise, profile: Profile) -> str | None:
    """Why this exercise is refused for this person, in plain words; None when it is allowed."""
    reasons = exclusion_reasons(exercise, profile)
    return "; ".join(reasons) if reasons else None


def allowed(exercise: Exercise, profile: Profile) -> bool:
    """True when the safety filter lets this exercise be scheduled for this person."""
    return not exclusion_reasons(exercise, profile)


def _unknown(key: str, ex_id: str, catalogue: Catalogue) -> str:
    return f"{key}: {ex_id!r} is not in the catalogue{did_you_mean(ex_id, list(catalogue))}"


def _request_lines(ids: Iterable[str], catalogue: Catalogue, profile: Profile,
                   key: str) -> list[str]:
    """One ``key: ...`` line per unknown or refused id, in the config's error style."""
    lines = []
    for ex_id in ids:
        exercise = catalogue.get(ex_id)
        if exercise is None:
            lines.append(_unknown(key, ex_id, catalogue))
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
    lines += [_unknown("program.exclude", e, catalogue) for e in exclude if e not in catalogue]
    lines += [f"program.include: {e} is also in program.exclude (allowed: an exercise in one "
              "list only)" for e in include if e in exclude]
    return lines


def override_problems(profile: Mapping[str, Any], catalogue: Catalogue) -> list[str]:
    """What is wrong with ``profile.impact_override``: it must be signed, dated and name
    impact exercises, or it would look like a clearance it is not."""
    names = list(profile.get("impact_override", []))
    lines = []
    for ex_id in names:
        exercise = catalogue.get(ex_id)
        if exercise is None:
            lines.append(_unknown("profile.impact_override", ex_id, catalogue))
        elif "impact" not in exercise.tags:
            lines.append(f"profile.impact_override: {ex_id} is not impact work (allowed: "
                         "exercises tagged impact, such as heel_stomp or jog_in_place)")
    if names:
        for key, what in (("impact_override_by", "who signed it"),
                          ("impact_override_on", "the date it was given")):
            if not profile.get(key):
                lines.append(f"profile.{key}: missing (allowed: {what}; an override "
                             "without it does not count)")
    return lines


def request_problems(config: Config, catalogue: Catalogue) -> list[str]:
    """``program_problems`` for a whole config (its profile decides what is refused).

    For ``osteo-kiosk config check``, which prefixes each line with the file name.
    """
    return (program_problems(config.program, catalogue, profile_from(config))
            + override_problems(config.profile, catalogue))


def check_program(program: Mapping[str, Any], catalogue: Catalogue, profile: Profile) -> None:
    """Refuse a ``[program]`` with any of ``program_problems``, all named in one message."""
    lines = program_problems(program, catalogue, profile)
    if lines:
        raise KioskError("; ".join(lines) + _SEE)

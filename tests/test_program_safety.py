"""The safety filter, rule by rule, and exhaustively over every profile, weekday and schedule."""

import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from program_support import forbidden_tags

from kiosk.config import WEEKDAYS, defaults
from kiosk.errors import KioskError
from kiosk.program.catalogue import load_catalogue
from kiosk.program.model import Exercise, Profile
from kiosk.program.plan import SLOTS, session_steps, week_plan
from kiosk.program.safety import (
    check_program,
    check_request,
    exclusion_reason,
    profile_from,
)

MONDAY = date(2024, 6, 3)
OVERRIDE = {"impact_override": frozenset({"heel_stomp", "jog_in_place"}),
            "override_by": "Dr Okafor", "override_on": date(2024, 5, 20)}
#: Every profile: fracture yes/no/unknown x impact clearance x a dated override x floor
#: clearance.
PROFILES = [Profile(f, c, floor_cleared=fl, **(OVERRIDE if o else {}))
            for f in ("yes", "no", "unknown") for c in (False, True) for o in (False, True)
            for fl in (False, True)]


def profile_config(profile):
    """The ``[profile]`` keys that make ``profile``."""
    return {"fracture_history": profile.fracture_history,
            "impact_cleared": profile.impact_cleared,
            "impact_override": sorted(profile.impact_override),
            "impact_override_by": profile.override_by,
            "impact_override_on": profile.override_on.isoformat() if profile.override_on
            else "", "floor_cleared": profile.floor_cleared}


def ex(*tags):
    return Exercise(id="jog_in_place", name="X", kind="stretch", instructions=("Do it.",),
                    tags=frozenset(tags))


@pytest.mark.parametrize(("tags", "profile", "expected"), [
    ((), Profile(), None),
    ((), Profile("yes", True), None),
    (("balance", "overhead", "direction_change", "high_intensity"), Profile("yes"), None),
    (("floor",), Profile("no"), None),
    (("floor",), Profile("yes"), "getting down to the floor"),
    (("floor",), Profile("unknown"), "history unknown counts as a fracture"),
    (("floor",), Profile("yes", floor_cleared=True), None),
    (("forward_bend",), Profile("no", True), "bends the spine forward"),
    (("forward_bend",), Profile("yes", True), "bends the spine forward"),
    (("side_bend",), Profile("no"), None),
    (("side_bend",), Profile("yes", True), "bends the trunk sideways"),
    (("side_bend",), Profile(), "bends the trunk sideways"),
    (("rotation",), Profile("no"), None),
    (("rotation",), Profile("yes", True), "twists the trunk"),
    (("impact",), Profile("no", False), "clinician's OK"),
    (("impact",), Profile("no", True), None),
    (("impact",), Profile("yes", True), "brisk-walking level"),
    (("impact",), Profile("unknown", True), "brisk-walking level"),
    (("impact",), Profile("yes", True, **OVERRIDE), None),
    (("impact",), Profile("yes", False, **OVERRIDE), "clinician's OK"),
    (("impact",), Profile("yes", True, **{**OVERRIDE, "override_on": None}),
     "brisk-walking level"),
])
def test_exclusion_rules(tags, profile, expected):
    reason = exclusion_reason(ex(*tags), profile)
    if expected is None:
        assert reason is None
    else:
        assert expected in reason


def test_every_reason_is_given_together():
    reason = exclusion_reason(ex("forward_bend", "rotation", "impact"), Profile("yes", False))
    assert "forward" in reason and "twists" in reason and "clinician" in reason


def test_impact_work_is_allowed_only_with_clearance_and_after_a_fracture_an_override():
    from kiosk.program.safety import impact_work_allowed

    assert not impact_work_allowed(Profile("no"))
    assert impact_work_allowed(Profile("no", True))
    for history in ("yes", "unknown"):
        assert not impact_work_allowed(Profile(history, True))
        assert impact_work_allowed(Profile(history, True, **OVERRIDE))
        assert not impact_work_allowed(Profile(history, True, **{**OVERRIDE, "override_by": ""}))


def test_profile_comes_from_the_config():
    assert profile_from(defaults()) == Profile(fracture_history="unknown")
    cfg = defaults().replace(profile={"fracture_history": True})  # an older file's true
    assert profile_from(cfg) == Profile(fracture_history="yes", impact_cleared=False)
    for profile in PROFILES:
        assert profile_from(defaults().replace(profile=profile_config(profile))) == profile


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def test_request_names_each_refused_exercise_and_why(cat):
    with pytest.raises(KioskError) as err:
        check_request(["toe_touch", "seated_twist", "wall_press", "sit_ups"], cat,
                      Profile(fracture_history="yes"))
    msg = str(err.value)
    assert msg.startswith("program.include: ")
    assert "toe_touch (Toe touch) is refused: it bends the spine forward" in msg
    assert "seated_twist (Seated twist) is refused: it twists the trunk" in msg
    assert "'sit_ups' is not in the catalogue (did you mean 'sit_up'?)" in msg
    assert "wall_press" not in msg
    assert "\n" not in msg


def test_an_allowed_request_returns_the_exercises(cat):
    got = check_request(["seated_twist", "jog_in_place"], cat, Profile("no", True))
    assert [e.id for e in got] == ["seated_twist", "jog_in_place"]


def test_program_exclude_typo_and_conflict_are_refused(cat):
    with pytest.raises(KioskError, match=r"program.exclude: 'heel_stmp' .*did you mean"):
        check_program({"include": [], "exclude": ["heel_stmp"]}, cat, Profile())
    with pytest.raises(KioskError, match=r"also in program.exclude"):
        check_program({"include": ["jog_in_place"], "exclude": ["jog_in_place"]}, cat,
                      Profile("no", True))


def test_a_plan_asking_for_an_unsafe_exercise_is_refused(cat):
    cfg = defaults().replace(program={"include": ["side_bend"]},
                             profile={"fracture_history": "unknown"})
    with pytest.raises(KioskError, match=r"side_bend .* bends the trunk sideways"):
        week_plan(cfg, cat, MONDAY)


# --- exhaustive: no plan ever holds what the profile forbids ---------------------------------

def _spread_day_sets():
    """Every 2- or 3-day set with no two days back to back (Sunday runs into Monday)."""
    out = []
    for n in (2, 3):
        for days in itertools.combinations(range(7), n):
            if all((d + 1) % 7 not in days for d in days):
                out.append([WEEKDAYS[d] for d in days])
    return out


DAY_SETS = _spread_day_sets()


def test_there_are_21_spread_day_sets():
    assert len(DAY_SETS) == 14 + 7


def _all_standard(cat):
    """The catalogue with every exercise marked standard, so only the filter keeps them out."""
    return {k: dataclasses.replace(e, standard=True) for k, e in cat.items()}


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES, ids=str)
@pytest.mark.parametrize("everything_standard", [False, True])
def test_no_plan_holds_a_forbidden_movement(cat, profile, everything_standard):
    catalogue = _all_standard(cat) if everything_standard else cat
    extras = [e.id for e in cat.values()
              if not e.standard and exclusion_reason(e, profile) is None]
    checked = 0
    for n, (strength, stretches, include) in enumerate(
            itertools.product(DAY_SETS[::4], (1, 2), ([], extras))):
        cfg = defaults().replace(
            profile=profile_config(profile),
            schedule={"strength_days": strength, "stretches_per_day": stretches,
                      "high_cardio_days": DAY_SETS[n % len(DAY_SETS)]},
            program={"include": include})
        for day in week_plan(cfg, catalogue, MONDAY + timedelta(days=n % 7)):
            ids = day.exercise_ids()
            for slot in SLOTS:
                ids |= {s.exercise_id for s in session_steps(day, slot, cfg, catalogue, {})}
            for ex_id in ids:
                assert not forbidden_tags(profile, catalogue[ex_id]), (profile, day.day, ex_id)
            checked += 1
    assert checked == len(DAY_SETS[::4]) * 2 * 2 * 7


def test_forward_bend_is_never_scheduled_even_when_everything_is_standard(cat):
    catalogue = _all_standard(cat)
    for profile in PROFILES:
        cfg = defaults().replace(profile=profile_config(profile))
        ids = set().union(*(d.exercise_ids() for d in week_plan(cfg, catalogue, MONDAY)))
        assert ids, profile
        assert not {i for i in ids if "forward_bend" in catalogue[i].tags}


def test_request_problems_lists_every_problem_config_style(cat):
    from kiosk.program.safety import request_problems

    cfg = defaults().replace(profile={"fracture_history": "yes", "floor_cleared": True},
                             program={"include": ["toe_touch", "side_bend", "wall_prss",
                                                  "prone_back_lift"],
                                      "exclude": ["prone_back_lift", "heel_stmp"]})
    assert request_problems(cfg, cat) == [
        "program.include: toe_touch (Toe touch) is refused: it bends the spine forward, "
        "the position in which most spine fractures happen",
        "program.include: side_bend (Side bend) is refused: it bends the trunk sideways, "
        "which is left out after a fracture",
        "program.include: 'wall_prss' is not in the catalogue (did you mean 'wall_press'?)",
        "program.exclude: 'heel_stmp' is not in the catalogue (did you mean 'heel_stomp'?)",
        "program.include: prone_back_lift is also in program.exclude (allowed: an exercise in "
        "one list only)",
    ]
    assert request_problems(defaults(), cat) == []

"""The weekly plan's rules and the dosed steps of a session."""

import itertools
from collections import Counter
from datetime import date, timedelta

import pytest

from kiosk.config import defaults
from kiosk.errors import KioskError
from kiosk.program.catalogue import load_catalogue
from kiosk.program.model import BLOCKS
from kiosk.program.plan import (
    BLOCK_WHY,
    NOTE_NO_STOMPS,
    NOTE_STOMPS_FRACTURE,
    WEEKDAYS,
    day_as_dict,
    day_plan,
    schedule_problems,
    session_steps,
    week_plan,
)

MONDAY = date(2024, 6, 3)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def cleared(**sections):
    profile = {"impact_cleared": True, "fracture_history": "no", **sections.pop("profile", {})}
    return defaults().replace(profile=profile, **sections)


def counts(week, slot=None):
    return Counter(b.block for d in week for s in d.sessions if slot in (None, s.slot)
                   for b in s.blocks)


def test_a_week_is_seven_days_from_the_start(cat):
    week = week_plan(cleared(), cat, date(2024, 6, 5))
    assert [d.day for d in week] == [date(2024, 6, 5) + timedelta(days=n) for n in range(7)]
    assert [d.weekday for d in week] == ["wed", "thu", "fri", "sat", "sun", "mon", "tue"]


def test_default_week_counts_per_block(cat):
    week = week_plan(cleared(), cat, MONDAY)
    assert counts(week) == {"stomps": 14, "extensor": 7, "stretch": 14, "strength": 3,
                            "cardio_high": 3, "cardio_low": 4, "balance": 7}
    assert counts(week, "morning")["stomps"] == 7 and counts(week, "evening")["stomps"] == 7
    assert all(d.notes == () for d in week)


def test_every_day_has_a_morning_and_an_evening_at_the_configured_times(cat):
    cfg = cleared(schedule={"morning": "07:45", "evening": "18:10"})
    for d in week_plan(cfg, cat, MONDAY):
        assert [(s.slot, s.time) for s in d.sessions] == [("morning", "07:45"),
                                                          ("evening", "18:10")]


def test_stretching_once_a_day_is_in_the_evening(cat):
    week = week_plan(cleared(schedule={"stretches_per_day": 1}), cat, MONDAY)
    assert counts(week)["stretch"] == 7
    assert counts(week, "evening")["stretch"] == 7


def test_strength_is_on_the_configured_days_only(cat):
    week = week_plan(cleared(schedule={"strength_days": ["tue", "sat"]}), cat, MONDAY)
    assert [d.weekday for d in week if "strength" in d.blocks()] == ["tue", "sat"]


@pytest.mark.parametrize("days", [["mon", "wed", "fri"], ["tue", "thu", "sat"],
                                  ["mon", "thu"], ["wed", "sat"], ["tue", "fri", "sun"]])
def test_strength_days_are_never_back_to_back_over_two_weeks(cat, days):
    weeks = week_plan(cleared(schedule={"strength_days": days}), cat, MONDAY, days=14)
    flags = ["strength" in d.blocks() for d in weeks]
    assert sum(flags) == 2 * len(days)
    assert not any(a and b for a, b in itertools.pairwise(flags))


def test_sunday_and_monday_strength_is_refused_by_config_and_plan(cat):
    with pytest.raises(KioskError, match=r"schedule.strength_days: sun and mon are back to back"):
        cleared(schedule={"strength_days": ["mon", "wed", "sun"]})
    assert "sun and mon" in schedule_problems({"strength_days": ["mon", "wed", "sun"],
                                               "high_cardio_days": ["tue", "thu"]})[0]


def test_brisk_and_gentle_cardio_alternate(cat):
    week = week_plan(cleared(), cat, MONDAY, days=14)
    kinds = ["cardio_high" if "cardio_high" in d.blocks() else "cardio_low" for d in week]
    assert all(sum(b.startswith("cardio") for b in d.blocks()) == 1 for d in week)
    assert not any(a == b == "cardio_high" for a, b in itertools.pairwise(kinds))
    assert [d.weekday for d, k in zip(week[:7], kinds[:7], strict=True) if k == "cardio_high"] == \
        ["tue", "thu", "sat"]


def test_back_to_back_brisk_days_are_refused(cat):
    with pytest.raises(KioskError, match=r"schedule.high_cardio_days: .* back to back"):
        week_plan(cleared(schedule={"high_cardio_days": ["sat", "sun"]}), cat, MONDAY)


def test_cardio_is_in_the_morning_and_strength_in_the_evening(cat):
    week = week_plan(cleared(), cat, MONDAY)
    assert counts(week, "evening")["cardio_low"] == 0 == counts(week, "evening")["cardio_high"]
    assert counts(week, "morning")["strength"] == 0
    assert counts(week, "morning")["extensor"] == 7


def test_without_clearance_no_stomps_but_brisk_marching_still_with_a_note(cat):
    week = week_plan(defaults(), cat, MONDAY)
    c = counts(week)
    assert c["stomps"] == 0 and c["cardio_high"] == 3 and c["cardio_low"] == 4
    assert all(NOTE_NO_STOMPS in d.notes for d in week)


def test_after_a_fracture_clearance_alone_gives_no_stomps(cat):
    for history in ("yes", "unknown"):
        week = week_plan(cleared(profile={"fracture_history": history}), cat, MONDAY)
        assert counts(week)["stomps"] == 0
        assert all(NOTE_STOMPS_FRACTURE in d.notes for d in week)
    override = {"fracture_history": "yes", "impact_override": ["heel_stomp"],
                "impact_override_by": "Dr Okafor, rheumatology",
                "impact_override_on": "2024-05-20"}
    assert counts(week_plan(cleared(profile=override), cat, MONDAY))["stomps"] == 14
    undated = {**override, "impact_override_on": ""}
    assert counts(week_plan(cleared(profile=undated), cat, MONDAY))["stomps"] == 0


def test_exclude_takes_out_and_include_adds(cat):
    cfg = cleared(program={"exclude": ["side_steps", "seated_back_lift"],
                           "include": ["jog_in_place"]})
    ids = set().union(*(d.exercise_ids() for d in week_plan(cfg, cat, MONDAY)))
    assert "side_steps" not in ids and "seated_back_lift" not in ids
    assert {"wall_press", "jog_in_place"} <= ids  # the next rung of the back ladder
    assert "toe_touch" not in ids


def test_a_block_with_nothing_left_is_noted(cat):
    back = [e.id for e in cat.values() if e.kind == "extensor"]
    cfg = cleared(program={"exclude": back})
    day = day_plan(cfg, cat, MONDAY)
    assert "extensor" not in day.blocks()
    assert any("No back" in n for n in day.notes)


def test_every_block_says_why_in_plain_words(cat):
    assert set(BLOCK_WHY) == set(BLOCKS)
    for d in week_plan(cleared(), cat, MONDAY):
        for s in d.sessions:
            for b in s.blocks:
                assert b.why == BLOCK_WHY[b.block]
    for text in BLOCK_WHY.values():
        assert len(text) <= 160
        assert max(len(w) for w in text.split()) <= 12  # no jargon-length words


def test_the_plan_is_a_pure_function_of_its_inputs(cat):
    assert week_plan(cleared(), cat, MONDAY) == week_plan(cleared(), cat, MONDAY)


def test_day_as_dict_is_plain_values(cat):
    d = day_as_dict(day_plan(cleared(), cat, MONDAY), cat)
    assert d["date"] == "2024-06-03" and d["weekday"] == "mon"
    first = d["sessions"][0]["blocks"][0]
    assert first["block"] == "cardio_low" and first["exercises"][0] == {
        "id": "march_in_place", "name": "Marching on the spot"}


# --- session_steps ---------------------------------------------------------------------------

def steps_of(cfg, cat, day, slot, targets=None):
    return session_steps(day_plan(cfg, cat, day), slot, cfg, cat, targets or {})


def test_every_step_has_a_block_and_fits_its_kind(cat):
    cfg = cleared()
    for n in range(7):
        for slot in ("morning", "evening"):
            for s in steps_of(cfg, cat, MONDAY + timedelta(days=n), slot):
                assert s.block in BLOCKS
                assert s.instructions and s.title
                assert s.kind == cat[s.exercise_id].kind


def test_morning_order_cardio_stomps_extensor_balance_stretches(cat):
    blocks = [s.block for s in steps_of(cleared(), cat, MONDAY + timedelta(days=1), "morning")]
    order = ["cardio_high", "stomps", "extensor", "balance", "stretch"]
    assert blocks == sorted(blocks, key=order.index) and set(blocks) == set(order)


def test_stomp_steps_take_count_and_force_from_the_config(cat):
    cfg = cleared(program={"stomps_per_foot": 3, "stomp_target_bw": 2.0})
    stomps = [s for s in steps_of(cfg, cat, MONDAY, "evening") if s.kind == "stomp"]
    assert len(stomps) == 1
    assert (stomps[0].per_foot, stomps[0].target_bw, stomps[0].block) == (3, 2.0, "stomps")


def test_stomps_never_pass_the_articles_four_a_foot(cat):
    cfg = cleared(program={"stomps_per_foot": 12, "stomp_target_bw": 4.0})
    (stomp,) = [s for s in steps_of(cfg, cat, MONDAY, "evening") if s.kind == "stomp"]
    assert stomp.per_foot == 4


def test_stretch_steps_hold_the_configured_time_on_each_side(cat):
    cfg = cleared(program={"hold_s": 30})
    stretches = {s.exercise_id: s for s in steps_of(cfg, cat, MONDAY, "evening")
                 if s.kind == "stretch"}
    assert all(s.hold_s == 30.0 for s in stretches.values())
    assert stretches["shoulder_drop"].sides == ("right", "left")
    assert stretches["wall_back_lengthen"].sides == ()


def test_strength_steps_carry_sets_reps_rest_and_the_known_target(cat):
    cfg = cleared(program={"strength_sets": 3, "strength_reps": 6, "strength_rest_s": 120})
    steps = {s.exercise_id: s for s in steps_of(cfg, cat, MONDAY, "evening",
                                                {"wrist_curl": 2.5, "sit_to_stand": 6.0})
             if s.kind == "strength"}
    assert set(steps) == {e.id for e in cat.values() if e.kind == "strength" and e.standard
                          and e.rung <= 1}
    assert steps["wrist_curl"].load_kg == 2.5 and steps["sit_to_stand"].load_kg == 6.0
    assert steps["wall_push_up"].load_kg is None and not steps["wall_push_up"].test
    # a dumbbell exercise with no known load starts with a test set to find it, on screen
    test = steps["reverse_wrist_curl"]
    assert test.test and test.load_kg is None and test.weights_kg == tuple(
        cfg.program.weights_kg)
    assert {(s.sets, s.reps, s.rest_s) for s in steps.values() if not s.test} == {(3, 6, 120.0)}
    assert steps["hip_side_lift"].sides == ("right", "left")


def test_no_strength_on_a_rest_day(cat):
    assert not [s for s in steps_of(cleared(), cat, MONDAY + timedelta(days=1), "evening")
                if s.kind == "strength"]


@pytest.mark.parametrize(("offset", "intensity", "minutes", "spm"),
                         [(0, "low", 12, 85), (1, "high", 15, 120)])
def test_cardio_steps_share_the_block_minutes(cat, offset, intensity, minutes, spm):
    cfg = cleared(program={"cardio_low_min": 12, "cardio_high_min": 15,
                           "cadence_low_spm": 85, "cadence_high_spm": 120})
    cardio = [s for s in steps_of(cfg, cat, MONDAY + timedelta(days=offset), "morning")
              if s.kind == "cardio"]
    assert len(cardio) >= 2
    assert {(s.intensity, s.target_spm) for s in cardio} == {(intensity, float(spm))}
    assert sum(s.duration_s for s in cardio) == pytest.approx(minutes * 60, abs=len(cardio))


def test_extensor_steps_take_holds_from_the_config(cat):
    cfg = cleared(program={"extensor_holds": 7, "extensor_hold_s": 8})
    ext = {s.exercise_id: s for s in steps_of(cfg, cat, MONDAY, "morning")
           if s.kind == "extensor"}
    assert set(ext) == {"seated_back_lift", "seated_brace"}  # back and core, first rungs
    assert {(s.holds, s.hold_s, s.rest_s, s.block) for s in ext.values()} == {
        (7, 8.0, 5.0, "extensor")}


def test_an_unknown_slot_is_refused(cat):
    with pytest.raises(KioskError, match=r"'noon' is not one of morning, evening"):
        session_steps(day_plan(cleared(), cat, MONDAY), "noon", cleared(), cat, {})


def test_weekday_names_match_the_config():
    from kiosk.config import WEEKDAYS as CONFIG_WEEKDAYS
    assert WEEKDAYS == CONFIG_WEEKDAYS


def test_the_engine_has_a_machine_for_every_step_the_plan_makes(cat):
    from kiosk.coach.steps import machine_for

    cfg = cleared()
    kinds = set()
    for n in range(7):
        for slot in ("morning", "evening"):
            for i, s in enumerate(steps_of(cfg, cat, MONDAY + timedelta(days=n), slot)):
                assert machine_for(s, i).kind == s.kind
                kinds.add(s.kind)
    assert kinds == {"stomp", "cardio", "strength", "extensor", "stretch", "balance"}

"""Progression: each pure rule alone, 12 simulated weeks showing every rule fire, and a property
test over every profile and 26 weeks that nothing excluded is scheduled and no cap is passed."""

import zlib
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from program_support import forbidden_tags

from kiosk.config import defaults
from kiosk.program.catalogue import load_catalogue
from kiosk.program.model import Profile
from kiosk.program.plan import day_plan, session_steps
from kiosk.program.progression import (
    BALANCE_MAX_HOLD_S,
    EXTENSOR_MAX_HOLDS,
    LIFTMOR_FRACTION,
    LIFTMOR_SETS,
    MAX_LOAD_FRACTION,
    MAX_STRENGTH_SETS,
    RETEST_AFTER_DAYS,
    STOMP_FLOOR_BW,
    STOMPS_PER_FOOT_CAP,
    WEEKLY_MIN_GOAL,
    ActiveMinutes,
    Caps,
    Decision,
    History,
    HoldResult,
    Hurt,
    OneRmSet,
    ProgressState,
    SetResult,
    StompSet,
    body_share_kg,
    caps_from,
    initial_state,
    ladder_exercise,
    load_cap_kg,
    minutes_step,
    one_rm_total_kg,
    pain_pauses,
    progress,
    retest,
    stomp_target,
    strength_load,
    target_from_test,
)
from kiosk.program.simulate import live

MONDAY = date(2024, 6, 3)
CAPS = Caps(weights_kg=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0), stomp_ceiling_bw=2.0)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def sets(day, exercise_id, load_kg, reps=(8, 8), target=8):
    return [SetResult(day, exercise_id, r, target, load_kg) for r in reps]


# --- one rule at a time -------------------------------------------------------------------

def test_a_decision_reads_like_the_report_line():
    d = Decision(date(2024, 12, 12), "strength_load", "sit_to_stand", 4.0, 5.0,
                 "all sets done twice", "kg")
    assert d.line() == "sit_to_stand 4 → 5 kg on 12 Dec: all sets done twice"
    assert d.as_dict()["line"] == d.line()


def test_strength_steps_up_after_two_full_sessions_running():
    one_rm = 10.0  # 80 % = 8 kg
    history = sets(MONDAY, "wrist_curl", 4.0) + sets(MONDAY + timedelta(2), "wrist_curl", 4.0)
    d = strength_load("wrist_curl", 4.0, one_rm, history, 0.0, CAPS, MONDAY + timedelta(3))
    assert (d.rule, d.before, d.after, d.reason) == ("strength_load", 4.0, 5.0,
                                                     "all sets done twice")
    short = history + sets(MONDAY + timedelta(4), "wrist_curl", 4.0, reps=(8, 7))
    assert strength_load("wrist_curl", 4.0, one_rm, short, 0.0, CAPS, MONDAY + timedelta(5)) \
        is None  # the last two sessions are not both full
    assert strength_load("wrist_curl", 4.0, one_rm, history[:2], 0.0, CAPS,
                         MONDAY + timedelta(3)) is None  # one session is not two
    assert strength_load("wrist_curl", 4.0, one_rm, history, 0.0, CAPS, MONDAY + timedelta(3),
                         since=MONDAY + timedelta(2)) is None  # sessions before a retest


def test_strength_never_passes_80_percent_it_asks_for_a_retest_instead():
    history = sets(MONDAY, "wrist_curl", 6.0) + sets(MONDAY + timedelta(2), "wrist_curl", 6.0)
    d = strength_load("wrist_curl", 6.0, 9.0, history, 0.0, CAPS, MONDAY + timedelta(3))
    assert d.rule == "retest" and d.after == 6.0 and "80%" in d.reason
    assert MAX_LOAD_FRACTION < LIFTMOR_FRACTION and MAX_STRENGTH_SETS < LIFTMOR_SETS


def test_retest_every_four_to_six_weeks():
    assert retest("wrist_curl", MONDAY, MONDAY + timedelta(RETEST_AFTER_DAYS - 1)) is None
    d = retest("wrist_curl", MONDAY, MONDAY + timedelta(RETEST_AFTER_DAYS))
    assert d.rule == "retest" and "4 weeks ago" in d.reason and "overdue" not in d.reason
    assert "overdue" in retest("wrist_curl", MONDAY, MONDAY + timedelta(43)).reason


def test_the_sit_to_stand_estimate_counts_the_body_it_lifts():
    share = body_share_kg("sit_to_stand", 70.0)
    assert share == pytest.approx(70 * 0.878)
    assert body_share_kg("wrist_curl", 70.0) == 0.0
    test = OneRmSet(MONDAY, "sit_to_stand", 4.0, 10)
    assert one_rm_total_kg(test, 70.0) == pytest.approx((4 + share) * 4 / 3)
    cap = load_cap_kg("sit_to_stand", one_rm_total_kg(test, 70.0), 70.0, CAPS)
    assert cap == pytest.approx(0.8 * (4 + share) * 4 / 3 - share)
    start = target_from_test(test, 70.0, CAPS)
    assert start is not None and start <= cap
    # without body mass the same set says only 5.3 kg in the hands: a far lower load
    assert target_from_test(test, 0.0, CAPS) == 4.0
    assert target_from_test(OneRmSet(MONDAY, "wrist_curl", 1.0, 2), 0.0, CAPS) is None


def test_stomp_target_rises_in_small_steps_to_the_ceiling_and_never_falls():
    def four(target, hits=8, start=MONDAY):
        return [StompSet(start + timedelta(n // 2), hits, 8, target) for n in range(4)]

    d = stomp_target(1.5, four(1.5), CAPS, MONDAY + timedelta(2))
    assert (d.before, d.after, d.unit) == (1.5, 1.6, "BW")
    assert stomp_target(1.5, four(1.5, hits=6), CAPS, MONDAY + timedelta(2)) is None
    assert stomp_target(1.5, four(1.4), CAPS, MONDAY + timedelta(2)) is None  # another target
    assert stomp_target(1.95, four(1.95), CAPS, MONDAY).after == 2.0
    assert stomp_target(2.0, four(2.0), CAPS, MONDAY) is None  # at the ceiling
    cfg = defaults().replace(program={"stomp_target_bw": 1.4})
    assert initial_state(cfg).stomp_target_bw == STOMP_FLOOR_BW
    cfg = defaults().replace(program={"stomp_target_bw": 4.0, "stomp_ceiling_bw": 2.5})
    assert initial_state(cfg).stomp_target_bw == 2.5  # the ceiling wins from the first day
    assert STOMP_FLOOR_BW >= 1.4  # walking reads up to ~1.3 on this mat


def test_weekly_minutes_grow_by_ten_up_to_150():
    week = [ActiveMinutes(MONDAY + timedelta(n), 10.0) for n in range(7)]
    d = minutes_step(70, week, MONDAY, CAPS, MONDAY + timedelta(7))
    assert (d.before, d.after, d.unit) == (70, 80, "min a week")
    assert minutes_step(80, week[:5], MONDAY, CAPS, MONDAY + timedelta(7)) is None
    assert minutes_step(145, week * 3, MONDAY, CAPS, MONDAY + timedelta(7)).after == 150
    assert minutes_step(WEEKLY_MIN_GOAL, week * 3, MONDAY, CAPS, MONDAY) is None


def test_two_hurts_within_a_week_pause_until_the_helper_clears():
    hurts = [Hurt(MONDAY, "shin_stretch"), Hurt(MONDAY + timedelta(6), "shin_stretch"),
             Hurt(MONDAY, "wall_press"), Hurt(MONDAY + timedelta(7), "wall_press")]
    today = MONDAY + timedelta(8)
    assert pain_pauses(hurts, {}, today) == {"shin_stretch": MONDAY + timedelta(6)}
    assert pain_pauses(hurts, {"shin_stretch": MONDAY + timedelta(6)}, today) == {}
    state = ProgressState(paused={"shin_stretch": MONDAY + timedelta(6)})
    _, decisions = progress(state, History(hurts=tuple(hurts)), load_catalogue(), Profile(),
                            CAPS, today, {"shin_stretch": MONDAY + timedelta(6)})
    assert [d.line() for d in decisions if d.rule == "pain"] == [
        f"shin_stretch paused → on on {today.day} {today:%b}: cleared by the helper"]
    again = [*hurts, Hurt(today, "shin_stretch"), Hurt(today + timedelta(1), "shin_stretch")]
    assert "shin_stretch" in pain_pauses(again, {"shin_stretch": MONDAY + timedelta(6)},
                                         today + timedelta(1))


def test_back_work_moves_through_holds_then_variants_but_not_to_the_floor_unbidden(cat):
    fracture = Profile("yes")
    assert ladder_exercise(cat, "back_extensor", 4, fracture).id == "band_back_lift"
    assert ladder_exercise(cat, "back_extensor", 4, Profile("yes", floor_cleared=True)).id \
        == "prone_back_lift"
    assert ladder_exercise(cat, "back_extensor", 1, fracture).id == "seated_back_lift"
    state = ProgressState(rungs={"back_extensor": 3}, holds={"back_extensor": 10})
    week = [HoldResult(MONDAY + timedelta(n), "band_back_lift", 5.0, 5.0)
            for n in range(7) for _ in range(10)]
    new, decisions = progress(state, History(holds=tuple(week)), cat, fracture, CAPS,
                              MONDAY + timedelta(7))
    assert new.rung("back_extensor") == 3 and not [d for d in decisions
                                                   if d.subject == "back_extensor"]
    new, decisions = progress(state, History(holds=tuple(week)), cat, Profile("no"), CAPS,
                              MONDAY + timedelta(7))
    assert new.rung("back_extensor") == 4 and "back_extensor" not in new.holds


# --- the plan uses the state it is given --------------------------------------------------

def test_the_plan_follows_the_progression_state(cat):
    cfg = defaults().replace(profile={"fracture_history": "no", "impact_cleared": True})
    state = ProgressState(rungs={"balance": 3, "calf": 2, "back_extensor": 2},
                          holds={"back_extensor": 8}, hold_s={"balance": 20},
                          loads_kg={"wrist_curl": 3.0, "sit_to_stand": 4.0},
                          retest_due=frozenset({"sit_to_stand"}), stomp_target_bw=1.8,
                          weekly_min=140, paused={"shin_stretch": MONDAY})
    steps = {s.exercise_id: s for slot in ("morning", "evening")
             for s in session_steps(day_plan(cfg, cat, MONDAY, state), slot, cfg, cat,
                                    state=state)}
    assert {"one_leg_stand", "heel_raise_slow", "wall_press"} <= set(steps)
    assert not {"feet_together", "heel_raise", "seated_back_lift", "shin_stretch"} & set(steps)
    assert steps["one_leg_stand"].hold_s == 20.0 and steps["one_leg_stand"].sides == (
        "right", "left")
    assert steps["wall_press"].holds == 8
    assert steps["wrist_curl"].load_kg == 3.0 and steps["sit_to_stand"].test
    assert steps["heel_stomp"].target_bw == 1.8
    gentle = [s for s in steps.values() if s.block == "cardio_low"]
    assert sum(s.duration_s for s in gentle) == pytest.approx(
        140 / initial_state(cfg).weekly_min * 10 * 60, abs=len(gentle))


# --- 12 weeks: every rule fires --------------------------------------------------------------

def test_twelve_simulated_weeks_fire_every_rule(cat):
    cfg = defaults().replace(profile={"fracture_history": "no", "impact_cleared": True,
                                      "body_mass_kg": 70.0})
    hurts = (Hurt(MONDAY + timedelta(20), "shin_stretch"),
             Hurt(MONDAY + timedelta(23), "shin_stretch"))
    life = live(cfg, cat, MONDAY, 84, hurts=hurts)
    fired = {d.rule for d in life.decisions}
    assert fired == {"strength_load", "retest", "variant", "stomp_target", "holds", "hold_time",
                     "minutes", "pain"}
    lines = [d.line() for d in life.decisions]
    assert any(line.startswith("sit_to_stand 1 → 1.5 kg on ") and
               line.endswith(": all sets done twice") for line in lines)
    assert any(line.startswith("stomps 1.5 → 1.6 BW on ") for line in lines)
    first, last = life.states[0][1], life.states[-1][1]
    assert last.stomp_target_bw > first.stomp_target_bw
    assert last.weekly_min > first.weekly_min
    assert last.rung("balance") > 1 and last.rung("calf") > 1
    assert "shin_stretch" in last.paused
    late = {s.exercise_id for d, s in life.steps if d > MONDAY + timedelta(24)}
    assert "shin_stretch" not in late  # paused until the helper clears it


# --- the property: every profile, 26 weeks ------------------------------------------------

PROFILE_KEYS = st.fixed_dictionaries({
    "fracture_history": st.sampled_from(["yes", "no", "unknown"]),
    "impact_cleared": st.booleans(),
    "floor_cleared": st.booleans(),
    "override": st.booleans(),
    "body_mass_kg": st.sampled_from([0.0, 55.0, 90.0]),
})


def _config(keys, everything):
    profile = {k: v for k, v in keys.items() if k != "override"}
    if keys["override"]:
        profile |= {"impact_override": ["heel_stomp", "jog_in_place"],
                    "impact_override_by": "Dr Okafor", "impact_override_on": "2024-05-20"}
    include = [e.id for e in load_catalogue().values() if not e.standard] if everything else []
    cfg = defaults().replace(profile=profile,
                             program={"stomp_ceiling_bw": 2.2, "weights_kg": [
                                 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0]})
    from kiosk.program.safety import exclusion_reason, profile_from
    allowed_extras = [i for i in include
                      if exclusion_reason(load_catalogue()[i], profile_from(cfg)) is None]
    return cfg.replace(program={"include": allowed_extras})


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(keys=PROFILE_KEYS, everything=st.booleans(), seed=st.integers(0, 2 ** 16),
       miss_one_in=st.integers(2, 20), hurt_days=st.lists(st.integers(0, 181), max_size=6))
def test_26_weeks_never_schedule_the_excluded_nor_pass_a_cap(keys, everything, seed,
                                                             miss_one_in, hurt_days):
    cat = load_catalogue()
    cfg = _config(keys, everything)
    from kiosk.program.safety import profile_from
    profile, caps = profile_from(cfg), caps_from(cfg)

    def does_all(day, exercise_id):
        return zlib.crc32(f"{seed}{day}{exercise_id}".encode()) % miss_one_in != 0

    hurts = tuple(Hurt(MONDAY + timedelta(d), "shin_stretch") for d in hurt_days)
    life = live(cfg, cat, MONDAY, 26 * 7, does_all, hurts)
    for day, step in life.steps:
        ex = cat[step.exercise_id]
        assert not forbidden_tags(profile, ex), (keys, day, ex.id)
        if step.kind == "stomp":
            assert step.per_foot <= STOMPS_PER_FOOT_CAP
            assert STOMP_FLOOR_BW <= step.target_bw <= caps.stomp_ceiling_bw
        if step.kind == "strength" and not step.test:
            assert step.sets <= MAX_STRENGTH_SETS
            assert step.load_kg is None or step.load_kg in caps.weights_kg
        if step.kind == "extensor":
            assert step.holds <= EXTENSOR_MAX_HOLDS
        if step.kind == "balance":
            assert step.hold_s <= BALANCE_MAX_HOLD_S
        if step.kind == "cardio":
            assert step.duration_s <= 40 * 60
    for _, state in life.states:
        assert state.weekly_min <= WEEKLY_MIN_GOAL
        for ex_id, load in state.loads_kg.items():
            if ex_id in state.one_rm_kg:  # whole load within 80 % of the one-rep max
                total = load + body_share_kg(ex_id, profile.body_mass_kg)
                assert total <= MAX_LOAD_FRACTION * state.one_rm_kg[ex_id] + 1e-9
        for ladder, rung in state.rungs.items():
            chosen = ladder_exercise(cat, ladder, rung, profile)
            assert chosen is None or not forbidden_tags(profile, chosen)
    if hurt_days and len(hurt_days) >= 2:
        days = sorted(set(hurt_days))
        if any(b - a < 7 for a, b in pairwise(days)):
            assert any(d.rule == "pain" for d in life.decisions)

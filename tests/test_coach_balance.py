"""The mat's balance step, the chair-stand count inside the sit-to-stand step and the monthly
chair stand test, driven by scripted mat events like every other step."""

from dataclasses import replace

import pytest

from kiosk.coach import cues
from kiosk.coach.balance_steps import CHAIR_TEST_S, LIFT_WAIT_S, OFFER_S, SIT_S, STEADY_MAX_S
from kiosk.coach.steps import (
    AWAY_READY_S,
    CHAIR_QUIET_S,
    READY_S,
    REP_DOWN_S,
    REP_UP_S,
    dwell_s,
)
from kiosk.mat.events import Landing
from kiosk.mat.movements import ChairSat, ChairStood, StanceBegan, StanceEnded, Steadiness
from kiosk.program.model import StepSpec
from kiosk.store.records import (
    BalanceHeld,
    ChairRep,
    ChairTested,
    Held,
    SetDone,
    SteadinessMeasured,
    StepFinished,
)
from tests.test_coach_engine import CAL, Driver

BAL = StepSpec("balance", "one_leg_stand", "Standing on one leg", (), block="balance",
               hold_s=30.0, holds=2, rest_s=5.0, sides=("right", "left"))
STS = StepSpec("strength", "sit_to_stand", "Sit to stand", (), block="strength", sets=1,
               reps=3, rest_s=30.0)
TEST = StepSpec("chair_test", "chair_stand_test", "Chair stand check", (), block="checkin",
                hold_s=30.0)


def stance(d, foot, held_s):
    """Stand on ``foot`` for ``held_s`` (the watcher reports the start 0.5 s late)."""
    d.send(StanceBegan(d.t, foot, d.t - 0.5))
    d.run(held_s - 0.5)
    d.send(StanceEnded(d.t, foot, held_s, True, 0.03))


def next_try(d):
    """Through the rest to the next "stand on" line, heard in full before the foot lifts."""
    d.until(lambda d: d.s.view.step.phase == "ready")
    d.heard()


def test_balance_measures_steadiness_then_times_each_side_by_the_mat():
    d = Driver(BAL)
    d.run(0.5)
    assert d.says()[-1] == cues.BAL_STEADY and d.s.view.step.phase == "steady"
    d.send(Steadiness(d.t, 53.5, 1.8, 4.0))
    assert d.logs(SteadinessMeasured) == [SteadinessMeasured("balance", 53.5, 1.8, 4.0)]
    d.heard()  # the steady line in full, then which foot
    assert d.says()[-1] == cues.stand_on("right")
    stance(d, "left", 3.0)  # the wrong foot: not this side's attempt
    assert d.s.view.step.phase == "ready"
    d.send(StanceBegan(d.t, "right", d.t - 0.5))
    d.run(4.0)
    view = d.s.view.step
    assert view.phase == "stance" and 4.3 <= view.timer_s <= 4.6 and view.big == "4"
    assert [s for s in d.says() if s in ("One.", "Two.", "Three.", "Four.")] == [
        "One.", "Two.", "Three.", "Four."]
    d.send(StanceEnded(d.t, "right", 4.5, True, 0.03))
    d.until(lambda d: cues.BAL_TOUCH in d.says())  # after the count being said, never lost
    assert d.says()[-1] == cues.BAL_TOUCH
    next_try(d)  # rest, then again
    stance(d, "right", 7.25)
    assert d.logs(BalanceHeld) == [BalanceHeld("right", 7.25, 11.75, 2, 30.0, "mat")]
    next_try(d)
    assert d.says()[-1] == cues.stand_on("left")
    stance(d, "left", 2.0)
    next_try(d)
    d.send(StanceBegan(d.t, "left", d.t - 0.5))
    d.run(30.0)  # the ceiling ends the attempt kindly
    assert cues.stance_ceiling(30.0) in d.says()
    assert d.logs(BalanceHeld)[-1] == BalanceHeld("left", 30.0, 32.0, 2, 30.0, "mat")
    # each attempt is also the program's hold: its progression counts the full ones
    assert d.logs(Held) == [Held("right", 4.5, 30.0), Held("right", 7.25, 30.0),
                            Held("left", 2.0, 30.0), Held("left", 30.0, 30.0)]
    done = d.logs(StepFinished)[-1]
    assert done.status == "done" and done.achieved["sides"]["left"]["best_s"] == 30.0
    assert done.achieved["share_left_pct"] == 53.5


def test_balance_away_from_the_mat_says_so_and_runs_on_its_timer():
    d = Driver(BAL, feet=(False, False))
    d.run(0.5)
    assert cues.OFF_MAT_TIMED in d.says()
    d.run(200)
    held = d.logs(BalanceHeld)
    assert [h.side for h in held] == ["right", "left"]
    assert all(h.timed_by == "timer" and h.best_s == 30.0 for h in held)
    assert d.logs(SteadinessMeasured) == []


def test_the_program_dose_sets_the_stance_a_full_hold_is_its_target():
    spec = replace(BAL, exercise_id="one_leg_fingertips", hold_s=15.0, holds=1)
    d = Driver(spec)
    d.send(Steadiness(d.t, 50.0, 1.0, 4.0))
    d.heard()  # which foot, heard in full
    assert d.says()[-1] == cues.stand_on("right")
    d.send(StanceBegan(d.t, "right", d.t))
    d.run(16.0)
    assert cues.stance_ceiling(15.0) in d.says()
    assert d.logs(Held) == [Held("right", 15.0, 15.0)]


@pytest.mark.parametrize("exercise_id, sides", [("feet_together", ()),
                                                ("heel_to_toe", ("right", "left"))])
def test_rungs_on_both_feet_are_timed_holds_with_their_steadiness(exercise_id, sides):
    spec = StepSpec("balance", exercise_id, "Balance", (), block="balance", hold_s=10.0,
                    holds=2, rest_s=5.0, sides=sides)
    d = Driver(spec)
    d.run(0.5)
    assert cues.BAL_STEADY not in d.says()  # no separate reading: the hold is quiet standing
    assert d.says()[-1] == (cues.heel_in_front("right") if sides else cues.GET_READY)
    d.heard()  # the ready line is said in full first, then the time to get ready
    d.run(READY_S + 1.5)
    assert d.s.view.step.phase == "hold" and "One." in d.says()
    d.send(Steadiness(d.t, 48.0, 2.5, 4.0))
    d.send(Steadiness(d.t + 0.1, 47.0, 2.0, 4.0))  # the first reading is the one kept
    d.run(120)
    assert d.logs(SteadinessMeasured) == [SteadinessMeasured("balance", 48.0, 2.5, 4.0)]
    names = list(sides) or ["both"]
    assert [(h.side, h.held_s) for h in d.logs(Held)] == [(s, 10.0) for s in names
                                                          for _ in range(2)]
    assert d.logs(BalanceHeld) == [] and cues.PAIN_QUESTION not in d.says()
    if sides:
        assert cues.heel_in_front("left") in d.says()
    done = d.logs(StepFinished)[-1]
    assert done.status == "done" and done.achieved["share_left_pct"] == 48.0


def test_a_side_without_a_lift_is_left_for_today():
    d = Driver(BAL)
    d.run(STEADY_MAX_S + 0.5)  # no steadiness window came: go on without it
    assert d.s.view.step.phase == "ready"
    d.heard()  # the wait for a lift counts once "stand on" has been said
    d.run(LIFT_WAIT_S + 0.2)
    d.heard()
    assert cues.BAL_NO_LIFT in d.says()
    assert d.logs(BalanceHeld)[0] == BalanceHeld("right", 0.0, 0.0, 0, 30.0, "mat")


def chair_rep(d, rep, up_s=1.0, down_s=1.2):
    d.send(ChairStood(d.t, rep, up_s))
    d.run(1.5)
    d.send(ChairSat(d.t, rep, down_s, 3.0))
    d.run(0.5)


def to_the_set(d):
    """"No weights", the time to sit (``AWAY_READY_S`` once it is said), then the set's line
    heard in full: the paced count waits for it."""
    d.until(lambda d: d.s.view.step.phase == "reps", limit_s=dwell_s(cues.pick_up(None))
            + AWAY_READY_S + 0.5)
    d.heard()


#: The longest a paced set of ``STS`` takes, once its line has been said.
PACED_SET_S = STS.reps * (REP_UP_S + REP_DOWN_S) + 1.0


def test_sit_to_stand_is_counted_by_the_mat_when_it_sees_the_stands():
    d = Driver(STS)
    to_the_set(d)
    assert d.s.view.step.counted_by == "pace"
    for rep in (1, 2, 3):
        chair_rep(d, rep)
    assert d.logs(ChairRep) == [ChairRep(1, n, 1.0, 1.2, 3.0) for n in (1, 2, 3)]
    assert d.logs(SetDone) == [SetDone(1, 3, None)]
    assert [s for s in d.says() if s in ("One.", "Two.", "Three.")] == ["One.", "Two.", "Three."]
    done = d.logs(StepFinished)[-1].achieved
    assert done["counted_by"] == "mat" and done["paced"] is False


def test_sit_to_stand_falls_back_to_the_paced_count_when_the_mat_loses_sight():
    d = Driver(STS)
    to_the_set(d)
    chair_rep(d, 1)
    d.run(CHAIR_QUIET_S)
    assert cues.CHAIR_FALLBACK in d.says() and d.s.view.step.counted_by == "pace"
    d.until(lambda d: d.logs(SetDone), limit_s=dwell_s(cues.CHAIR_FALLBACK) + PACED_SET_S)
    assert d.logs(SetDone) == [SetDone(1, 3, None)]
    assert d.logs(StepFinished)[-1].achieved["counted_by"] == "pace"


def test_sit_to_stand_without_the_mat_is_paced_as_before():
    d = Driver(STS)
    to_the_set(d)
    d.until(lambda d: d.logs(SetDone), limit_s=PACED_SET_S)
    assert d.logs(SetDone) == [SetDone(1, 3, None)] and d.logs(ChairRep) == []
    assert d.logs(StepFinished)[-1].achieved["paced"] is True


#: Active seconds from the chair test's start to its countdown: each line is said in full
#: (the offer, then the sit; steps.dwell_s), then its time to tap or to sit counts.
CHAIR_COUNTDOWN_S = dwell_s(cues.CHAIR_OFFER) + OFFER_S + dwell_s(cues.CHAIR_SIT) + SIT_S


def test_the_chair_stand_test_counts_thirty_seconds_of_stands():
    d = Driver(TEST)
    d.run(0.5)
    assert d.says()[-1] == cues.CHAIR_OFFER
    d.run(OFFER_S)
    assert d.says()[-1] == cues.CHAIR_OFFER  # not cut short: the offer is still being said
    d.run(CHAIR_COUNTDOWN_S - OFFER_S)
    assert d.s.view.step.phase == "countdown"
    d.run(3.1)
    assert d.says()[-4:] == ["Three.", "Two.", "One.", cues.CHAIR_GO]
    assert d.s.view.step.phase == "count"
    for rep in range(1, 12):
        d.send(ChairStood(d.t, rep, 0.8))
        d.run(2.5)
    assert d.s.view.step.big == "11"
    d.run(5)
    d.heard()  # "stop", then the result
    assert d.logs(ChairTested) == [ChairTested(11, 30.0, "mat")]
    assert cues.chair_result(11) in d.says()


def test_the_chair_test_is_skipped_with_a_right_foot_tap():
    d = Driver(TEST)
    d.run(2.0)
    d.send(Landing(d.t, "right", 1.1, False))
    assert d.logs(StepFinished)[-1].status == "skipped" and d.logs(ChairTested) == []


def test_the_chair_test_unseen_by_the_mat_logs_nothing():
    d = Driver(TEST, feet=(False, False))
    d.run(CHAIR_COUNTDOWN_S + 3.0 + CHAIR_TEST_S + 1.0)
    d.heard()
    assert cues.CHAIR_UNSEEN in d.says() and d.logs(ChairTested) == []


def test_the_weigh_in_logs_its_steadiness():
    from kiosk.coach.events import Calibrated

    d = Driver(CAL, STS)
    d.run(0.5)
    d.send(Calibrated(d.t, {"standing_share_left": 0.52, "share_left_pct": 52.0,
                            "wobble_pp": 0.9, "steady_s": 2.0}))
    assert d.logs(SteadinessMeasured) == [SteadinessMeasured("weigh_in", 52.0, 0.9, 2.0)]


def test_an_exercise_away_from_the_mat_says_so_once_and_runs_on_its_timer():
    from kiosk.store.records import Held
    from tests.test_coach_engine import STRETCH

    d = Driver(STRETCH, feet=(False, False))
    d.until(lambda d: len(d.logs(Held)) == 2,
            limit_s=len(STRETCH.sides) * (AWAY_READY_S + STRETCH.hold_s + 20.0))
    assert d.says().count(cues.OFF_MAT_TIMED) == 1
    assert [h.side for h in d.logs(Held)] == ["left", "right"]
    assert cues.PAUSED not in d.says()  # never paused for it
    d = Driver(STRETCH)
    d.run(70)
    assert cues.OFF_MAT_TIMED not in d.says()


@pytest.mark.parametrize("rung", [1, 2, 3, 4])
def test_each_rung_the_plan_schedules_runs_on_the_one_balance_step(rung):
    """The program's ladder, dosed by the plan at each rung, is the mat's balance step: one
    class for all four, the one-leg rungs timed by the mat, a hold logged per attempt."""
    from datetime import date

    from kiosk.coach.balance_steps import BalanceStep
    from kiosk.coach.steps import ONE_LEG, machine_for
    from kiosk.config import defaults
    from kiosk.program.catalogue import load_catalogue
    from kiosk.program.plan import day_plan, session_steps
    from kiosk.program.progression import ProgressState

    cat, cfg = load_catalogue(), defaults()
    state = ProgressState(stomp_target_bw=1.6, rungs={"balance": rung})
    day = day_plan(cfg, cat, date(2024, 6, 3), state=state)
    (spec,) = [s for s in session_steps(day, "morning", cfg, cat, {}, state=state)
               if s.block == "balance"]
    assert cat[spec.exercise_id].rung == rung and spec.kind == "balance"
    assert sum(e.kind == "balance" and e.rung == rung for e in cat.values()) == 1
    step = machine_for(spec, 0)
    assert type(step) is BalanceStep and step.one_leg == (spec.exercise_id in ONE_LEG)
    d = Driver(spec)
    for _ in range(len(spec.sides or ("",)) * spec.holds):  # stand each attempt in full
        if step.one_leg:  # lift the foot as soon as asked
            for _ in range(1000):
                if d.s.view.step is not None and d.s.view.step.phase == "ready":
                    break
                d.run(0.1)
            d.send(StanceBegan(d.t, d.s.view.step.side, d.t))
            d.run(0.1)
    d.run(200)
    held = d.logs(Held)
    assert len(held) == len(spec.sides or ("",)) * spec.holds
    assert all(h.held_s >= spec.hold_s - 0.5 and h.target_s == spec.hold_s for h in held)
    assert d.logs(StepFinished)[-1].status == "done"

"""The session engine and its steps: scripted events in, effects out, every transition walked."""

from dataclasses import replace
from datetime import date

import pytest

from kiosk.coach import cues
from kiosk.coach.engine import Phase, Session
from kiosk.coach.events import (
    CalFailed,
    Calibrate,
    Calibrated,
    CalProgress,
    Command,
    Feet,
    Log,
    Say,
    Tick,
)
from kiosk.mat.events import Fault, Footfall, Landing
from kiosk.program.model import StepSpec
from kiosk.store.records import (
    CalibrationMade,
    Held,
    IntervalDone,
    Landed,
    OneRepMaxTested,
    PainAnswered,
    SessionFinished,
    SetDone,
    StepFinished,
)

STOMP = StepSpec("stomp", "stomps", "Stomps", ("Stand tall.",), block="stomps", per_foot=4,
                 target_bw=1.5)
STRETCH = StepSpec("stretch", "calf", "Calf stretch", ("Face the wall.",), block="stretch",
                   hold_s=25.0, sides=("left", "right"))
STRENGTH = StepSpec("strength", "sts", "Sit to stand", (), block="strength", sets=2, reps=3,
                    rest_s=30.0, load_kg=4.0)
CARDIO = StepSpec("cardio", "march", "March", (), block="cardio_high", duration_s=120.0,
                  target_spm=110.0, intensity="high")
EXTENSOR = StepSpec("extensor", "ext", "Back lift", (), block="extensor", hold_s=5.0, holds=3,
                    rest_s=4.0)
CAL = StepSpec("calibrate", "calibration", "Weighing in")


class Driver:
    """Feeds a session ticks every 0.1 s plus scripted events; keeps every effect with its time."""

    def __init__(self, *specs, **kw):
        self.s = Session(list(specs), **kw)
        self.t = 0.0
        self.effects: list[tuple[float, object]] = []

    def send(self, ev):
        self.effects += [(self.t, e) for e in self.s.handle(ev)]

    def run(self, seconds, every=None):
        end = self.t + seconds
        while self.t < end - 1e-9:
            self.t = round(self.t + 0.1, 6)
            if every:
                every(self)
            self.send(Tick(self.t))

    def until(self, cond, limit_s=300.0):
        """Run until ``cond(self)`` holds (the timeline decides when lines end)."""
        end = self.t + limit_s
        self.run(0.1)
        while not cond(self):
            assert self.t < end, "never happened"
            self.run(0.1)

    def heard(self):
        """Run until every line queued so far has been said and had its time on screen."""
        self.until(lambda d: d.s.captions_done(d.t))

    def says(self):
        return [e.text for _, e in self.effects if isinstance(e, Say)]

    def logs(self, kind):
        """The records of one type logged so far, in order."""
        return [e.record for _, e in self.effects
                if isinstance(e, Log) and isinstance(e.record, kind)]


def land(d, foot, peak):
    d.send(Landing(d.t, foot, peak, peak >= 1.5))


def test_stomp_set_counts_each_foot_and_coaches_good_or_harder():
    d = Driver(STOMP)
    d.run(3)  # the instruction line, then "left foot"
    assert d.s.view.step.active_foot == "left"
    land(d, "right", 2.0)  # the planted foot: ignored
    land(d, "left", 1.1)
    assert d.says()[-1] == cues.HARDER
    assert "only if it feels fine" in cues.HARDER and "!" not in cues.HARDER
    for _ in range(3):
        d.run(1.5)
        land(d, "left", 2.2)
    assert d.s.view.step.active_foot == "right"  # four tries on a foot, the article's dose
    d.run(8)  # said after the line it follows, never dropped
    assert cues.stomp_switch("right") in d.says()
    for _ in range(4):
        d.run(4)
        land(d, "right", 1.9)
    d.run(5)
    landings = d.logs(Landed)
    assert [x.foot for x in landings] == ["left"] * 4 + ["right"] * 4
    assert [x.stomp for x in landings] == [False] + [True] * 7
    finished = d.logs(StepFinished)[0]
    assert finished.status == "done" and finished.achieved["stomps"] == {"left": 3, "right": 4}
    assert d.s.finished and d.logs(SessionFinished)[0].status == "done"
    assert d.says().count(cues.GOOD) == 5  # 2 + 3: the last of each foot says switch / done


def test_stomp_set_never_asks_for_more_than_the_dose():
    d = Driver(STOMP)
    d.run(3)
    for _ in range(4):
        land(d, "left", 1.0)
    assert d.s.view.step.active_foot == "right"


def test_stretch_hold_cues_and_measured_duration_per_side():
    d = Driver(STRETCH)
    d.until(lambda d: d.s.finished)
    timed = [(t, e.text) for t, e in d.effects if isinstance(e, Say)]
    texts = [x for _, x in timed]
    for cue in (cues.side_cue("left"), cues.HOLD_START, cues.TEN_LEFT, "Three.", "Two.", "One.",
                cues.RELEASE, cues.side_cue("right"), cues.PAIN_QUESTION):
        assert cue in texts
    start = next(t for t, x in timed if x == cues.HOLD_START)
    ten = next(t for t, x in timed if x == cues.TEN_LEFT)
    assert ten - start == pytest.approx(15.0, abs=0.11)
    holds = d.logs(Held)
    assert [h.side for h in holds] == ["left", "right"]
    assert all(25.0 <= h.held_s <= 25.11 for h in holds)


def test_pain_answer_by_foot_ignores_settling_feet_then_logs():
    d = Driver(STRETCH)
    d.until(lambda d: d.s.view.step.phase == "ask")
    land(d, "left", 0.8)  # feet settling right after the question: not an answer
    d.run(3)
    land(d, "left", 0.8)
    pain = d.logs(PainAnswered)
    assert len(pain) == 1 and pain[0] == PainAnswered(hurt=True)
    d.run(12)  # said once the question has had its time
    assert cues.PAIN_YES in d.says()


def test_pain_question_times_out_without_an_answer():
    d = Driver(STRETCH)
    d.run(130)
    assert d.s.finished and not d.logs(PainAnswered)


def test_strength_sets_are_logged_as_each_completes_with_rest_between():
    d = Driver(STRENGTH)
    d.until(lambda d: d.logs(SetDone))  # the line, time to sit with the weights, three reps
    sets = d.logs(SetDone)
    assert len(sets) == 1 and sets[0] == SetDone(set_no=1, reps=3, load_kg=4.0)
    assert d.s.view.step.phase == "rest"
    assert cues.rest_for(30, 4.0) in d.says()
    assert "table or chair seat" in cues.rest_for(30, 4.0)  # weights never wait on the floor
    d.until(lambda d: d.s.finished)
    assert len(d.logs(SetDone)) == 2
    assert d.says().count(cues.UP) == 6 and d.says().count(cues.DOWN) == 6


def test_cardio_live_cadence_surprises_and_minute_intervals():
    def march(dr):
        if round(dr.t * 10) % 5 == 0:  # a step every 0.5 s = 120 steps a minute
            dr.send(Footfall(dr.t, "left", 120.0))

    d = Driver(CARDIO)
    d.run(121, every=march)
    intervals = d.logs(IntervalDone)
    assert len(intervals) == 2
    assert intervals[0].steps == pytest.approx(120, abs=2)
    assert intervals[0].cadence_spm == pytest.approx(120, abs=2)
    assert cues.SURPRISES[0] in d.says() and cues.SURPRISES[1] in d.says()
    assert d.logs(StepFinished)[0].achieved["steps"] >= 235


def test_direction_changes_only_in_an_exercise_made_for_them():
    assert not any("step" in t.lower() or "side" in t.lower() for t in cues.SURPRISES)
    d = Driver(CARDIO)
    d.run(121)
    assert not set(d.says()) & (set(cues.DIRECTION_SURPRISES) - set(cues.SURPRISES))
    d = Driver(StepSpec("cardio", "surprise_steps", "Surprise", (), block="cardio_high",
                        duration_s=200.0, target_spm=110.0, intensity="high",
                        direction_changes=True))
    d.run(200)
    sideways = [t for t in d.says() if "side steps" in t]
    assert sideways and all("counter" in t and "along the mat" in t for t in sideways)
    assert not [t for t in cues.DIRECTION_SURPRISES
                if "backward" in t.lower() or "step back" in t.lower()]


def test_one_sided_strength_runs_every_set_on_both_sides():
    spec = StepSpec("strength", "hip_side_lift", "Side leg lift", (), block="strength", sets=2,
                    reps=2, rest_s=5.0, sides=("right", "left"))
    d = Driver(spec)
    d.until(lambda d: d.s.finished)
    sets = d.logs(SetDone)
    assert [x.set_no for x in sets] == [1, 2, 3, 4] and d.s.finished
    said = d.says()
    assert said.index(cues.side_cue("right")) < said.index(cues.side_cue("left"))
    assert d.logs(StepFinished)[0].achieved["sets"] == [2, 2, 2, 2]
    assert cues.rest_for(5) in said  # no weights: nothing to put down


def test_balance_holds_each_side_without_the_stretch_question():
    # heel to toe keeps both feet down: its holds run on the clock (the one-leg rungs, timed
    # by the mat, are in test_coach_balance.py)
    d = Driver(StepSpec("balance", "heel_to_toe", "Heel to toe", (), block="balance",
                        hold_s=10.0, holds=2, rest_s=3.0, sides=("right", "left")))
    d.run(120)
    holds = d.logs(Held)
    assert [h.side for h in holds] == ["right", "right", "left", "left"]
    assert d.s.finished and cues.PAIN_QUESTION not in d.says()


def test_every_cue_that_handles_weights_says_where_they_wait():
    for text in (cues.pick_up(2.0), cues.rest_for(60, 2.0), cues.TEST_DONE_TAP,
                 cues.test_lift(2.0)):
        assert "table or chair seat" in text, text
    assert "floor" not in " ".join(cues.fixed_cues()).lower()


def test_stop_rules_are_said_and_claims_are_honest():
    rules = " ".join(cues.stop_rules()).lower()
    for words in ("sharp or new pain in your back", "dizzy", "chest", "short of breath",
                  "tell someone"):
        assert words in rules, words
    assert all(r in cues.fixed_cues() for r in cues.stop_rules())
    assert "strong bones!" not in " ".join(cues.fixed_cues()).lower()
    assert "!" not in cues.HARDER and "hard," not in cues.stomp_foot("left", 4)


def test_cardio_pace_feedback_when_too_slow():
    d = Driver(StepSpec("cardio", "m", "March", (), duration_s=60.0, target_spm=100.0,
                        intensity="low"))
    d.run(25, every=lambda dr: dr.send(Footfall(dr.t, "left", 60.0)) if round(dr.t * 10) % 10 == 0
          else None)
    assert cues.QUICKER in d.says() and not any(s in d.says() for s in cues.SURPRISES)


def test_extensor_holds_with_rests():
    d = Driver(EXTENSOR)
    d.run(90)
    holds = d.logs(Held)
    assert len(holds) == 3 and all(h.side == "both" for h in holds)
    assert d.s.finished and not d.logs(PainAnswered)


def test_calibration_step_routes_samples_then_logs():
    d = Driver(CAL, STOMP)
    d.run(0.1)
    assert any(isinstance(e, Calibrate) and e.active for _, e in d.effects)
    assert d.says()[-1] == cues.CAL_STEP_OFF
    d.send(CalProgress(d.t, "standing", 0.0))
    d.run(5)
    assert d.says()[-1] == cues.CAL_STAND
    d.send(Calibrated(d.t, {"bw": 1.0}))
    assert [e for _, e in d.effects if isinstance(e, Calibrate)][-1].active is False
    assert d.logs(CalibrationMade)[0] == CalibrationMade({"bw": 1.0})
    assert d.s.view.step.kind == "stomp"


def test_calibration_retries_then_gives_up():
    d = Driver(CAL, STOMP)
    d.run(0.1)
    for _ in range(3):
        d.send(CalFailed(d.t, "The mat reads nothing."))
        d.run(10)
    assert d.logs(StepFinished)[0].status == "failed"
    assert d.says().count(cues.CAL_RETRY) == 2


def test_stepping_off_pauses_a_mat_step_and_stepping_back_resumes_without_losing_time():
    d = Driver(STOMP, pause_after_off_s=3.0)
    d.run(3)
    d.send(Feet(d.t, False, False))
    d.run(2.9)
    assert d.s.view.phase is Phase.RUNNING
    d.run(0.2)
    assert d.s.view.phase is Phase.PAUSED and d.says()[-1] == cues.PAUSED
    d.run(30)
    d.send(Feet(d.t, True, True))
    assert d.s.view.phase is Phase.RUNNING and d.says()[-1] == cues.RESUMED


def test_stepping_off_during_a_stretch_does_not_pause():
    d = Driver(STRETCH)
    d.send(Feet(0.0, False, False))
    d.run(10)
    assert d.s.view.phase is Phase.RUNNING


def test_pause_freezes_the_hold_clock():
    d = Driver(STRETCH)
    d.run(12)
    left_before = d.s.view.step.remaining_s
    d.send(Command(d.t, "pause"))
    d.run(20)
    assert d.s.view.step.remaining_s == pytest.approx(left_before)
    d.send(Command(d.t, "resume"))
    d.run(40)
    assert all(25.0 <= h.held_s <= 25.11 for h in d.logs(Held))


def test_a_stretch_begun_on_the_mat_runs_on_when_the_person_walks_to_the_wall():
    d = Driver(STRETCH)
    d.until(lambda d: d.s.view.step.phase == "hold")  # the hold began with them on the mat
    held = d.s.view.step.remaining_s
    d.send(Feet(d.t, False, False))
    d.run(10)
    assert d.s.view.phase is Phase.RUNNING and cues.PAUSED not in d.says()
    assert d.s.view.step.remaining_s == pytest.approx(held - 10, abs=0.11)


def test_both_feet_resume_whatever_paused_it():
    d = Driver(STOMP)
    d.run(3)
    d.send(Command(d.t, "pause"))  # a button
    d.send(Feet(d.t, False, False))
    d.run(2)
    d.send(Feet(d.t, True, True))
    assert d.s.view.phase is Phase.RUNNING


def test_left_foot_only_while_paused_stops_for_today():
    d = Driver(STOMP, STRETCH)
    d.run(3)
    land(d, "left", 2.0)
    d.send(Command(d.t, "pause"))
    d.send(Feet(d.t, True, False))
    d.run(1.9)
    assert d.s.view.phase is Phase.PAUSED
    d.run(0.2)
    assert d.s.finished and d.s.view.status == "stopped"
    assert len(d.logs(Landed)) == 1


def test_one_foot_gestures_do_nothing_while_running():
    d = Driver(STRETCH)
    d.run(10)
    d.send(Feet(d.t, True, False))  # a stretch with one foot off the mat
    d.run(10)
    assert d.s.view.phase is Phase.RUNNING and not d.s.finished


def test_stepping_back_onto_the_mat_is_not_a_pain_answer():
    d = Driver(STRETCH)
    d.until(lambda d: d.s.view.step.phase == "ask")
    d.send(Feet(d.t, False, False))
    d.run(3)
    land(d, "left", 0.6)  # first foot back onto the mat: the other is not on it
    assert not d.logs(PainAnswered)
    d.send(Feet(d.t, True, True))
    d.run(0.3)
    d.send(Feet(d.t, False, True))  # a deliberate tap: lift the right... no, the left foot
    d.run(0.3)
    land(d, "left", 0.6)
    assert d.logs(PainAnswered)[0] == PainAnswered(hurt=True)


def test_stopping_mid_set_keeps_the_lifts_done():
    d = Driver(STRENGTH)
    d.until(lambda d: d.s.view.step.rep == 2)  # two lifts of the first set
    d.send(Command(d.t, "stop"))
    sets = d.logs(SetDone)
    assert sets and sets[-1] == SetDone(set_no=1, reps=2, load_kg=4.0)
    assert d.logs(StepFinished)[0].achieved["paced"] is True


def test_right_foot_only_while_paused_skips():
    d = Driver(STOMP, STRETCH)
    d.run(3)
    d.send(Command(d.t, "pause"))
    d.send(Feet(d.t, False, True))
    d.run(2.1)
    assert d.logs(StepFinished)[0].status == "skipped"
    assert d.s.view.phase is Phase.RUNNING and d.s.view.step.kind == "stretch"


def test_stop_is_immediate_and_keeps_what_was_done():
    d = Driver(STOMP, STRETCH)
    d.run(3)
    land(d, "left", 2.0)
    d.send(Command(d.t, "stop"))
    assert d.s.finished and d.s.view.status == "stopped"
    assert d.logs(StepFinished)[0].status == "stopped"
    assert len(d.logs(Landed)) == 1
    assert d.says()[-1] == cues.STOPPED
    assert d.s.handle(Tick(d.t + 1)) == []


def test_a_long_pause_ends_the_session():
    d = Driver(STOMP, stop_after_pause_s=60.0)
    d.run(1)
    d.send(Command(d.t, "pause"))
    d.run(61)
    assert d.s.finished and d.s.view.status == "stopped"


def test_mat_fault_pauses_a_mat_step_and_recovery_resumes():
    d = Driver(STOMP)
    d.run(3)
    d.send(Fault(d.t, "left", "railed_low", True, "The left side of the mat reads nothing."))
    assert d.s.view.phase is Phase.PAUSED and d.s.view.problem
    assert d.says()[-1] == cues.MAT_TROUBLE  # plain words aloud; the detail is on screen
    assert d.s.view.problem == "The left side of the mat reads nothing."
    d.send(Command(d.t, "resume"))  # not while the fault lasts
    assert d.s.view.phase is Phase.PAUSED
    d.send(Fault(d.t, "left", "railed_low", False, ""))
    assert d.s.view.phase is Phase.RUNNING


def test_drift_is_advisory_and_never_pauses():
    d = Driver(STOMP)
    d.run(3)
    d.send(Fault(d.t, "left", "drift", True, "the empty mat reads 0.30 BW: please recalibrate"))
    assert d.s.view.phase is Phase.RUNNING
    land(d, "left", 2.0)
    assert d.s.view.step.counts == (1, 0)


def test_same_events_same_effects():
    def script():
        d = Driver(CAL, STOMP, STRETCH)
        d.run(1)
        d.send(Calibrated(d.t, {}))
        d.run(3)
        for foot in ("left",) * 4 + ("right",) * 4:
            land(d, foot, 2.0)
        d.run(90)
        return d.effects

    assert script() == script()


def test_captions_are_exactly_what_is_spoken():
    d = Driver(STOMP)
    d.run(3)
    land(d, "left", 1.0)
    assert d.says()[-1] == cues.HARDER == d.s.view.caption  # at once, on screen and aloud
    for _ in range(150):
        d.run(0.1)
        assert d.s.view.caption == d.s.timeline.last.text  # the line being said is shown


def test_every_spoken_line_reaches_the_screen_even_when_said_together():
    shown: list[str] = []

    def watch(dr):
        if not shown or shown[-1] != dr.s.view.caption:
            shown.append(dr.s.view.caption)

    d = Driver(STRETCH, EXTENSOR)
    d.run(100, every=watch)
    spoken = d.says()
    assert cues.RELEASE in spoken and cues.PAIN_QUESTION in spoken
    missing = [line for line in spoken if line not in shown]
    assert missing == []


def test_unknown_step_kind_and_empty_session_are_refused():
    with pytest.raises(ValueError):
        Session([])
    with pytest.raises(ValueError, match="no coached step"):
        Session([StepSpec("yoga", "x", "X")]).handle(Tick(0))


TEST = StepSpec("strength", "sit_to_stand", "Sit to stand", (), block="strength", test=True,
                sets=1, reps=10, weights_kg=(1.0, 2.0, 3.0, 4.0, 5.0, 6.0))


def test_one_rep_max_test_set_is_run_with_the_feet():
    d = Driver(TEST)
    d.run(1)
    assert d.s.view.step.load_kg == 2.0  # starts at a light weight
    d.run(11.5)  # the instructions are heard first
    land(d, "right", 0.8)
    d.run(0.5)
    land(d, "right", 0.8)
    assert d.s.view.step.load_kg == 4.0 and d.says()[-1] == "4 kilos."
    land(d, "left", 0.8)  # too soon after the last tap: one tap, not two
    d.run(0.5)
    land(d, "left", 0.8)
    assert d.s.view.step.load_kg == 3.0
    d.run(5.5)  # keeping still chooses it; the paced count starts after the two lines
    assert d.s.view.step.phase == "reps"
    for _ in range(600):  # 4-second paced lifts until six are done
        if d.s.view.step.rep == 6:
            break
        d.run(0.1)
    assert d.s.view.step.rep == 6
    assert d.says().count(cues.UP) == 6 and d.says().count(cues.DOWN) == 6
    land(d, "left", 0.8)  # "no more"
    assert d.s.view.step.phase == "count" and cues.TEST_COUNT in d.says()
    assert not d.logs(SetDone)  # nothing is kept until the person confirms the number
    d.run(18)  # the question is heard, then keeping still on the mat confirms 6
    onerm = d.logs(OneRepMaxTested)[0]
    # Epley 3*(1+6/30)=3.6, Brzycki 36*3/31=3.48: mean 3.54; 80 % = 2.83 -> owned 2 kg
    assert onerm.weight_kg == 3.0 and onerm.reps == 6
    assert onerm.estimate_kg == pytest.approx(3.54, abs=0.01)
    assert onerm.target_kg == 2.0
    assert cues.test_result(2.0) == "Well done. From now on, train with the 2-kilo weights."
    assert cues.test_result(2.0) in d.says()
    assert d.logs(SetDone)[0] == SetDone(set_no=1, reps=6, load_kg=3.0)
    assert d.s.finished


def test_one_rep_max_test_too_light_gives_no_estimate():
    d = Driver(TEST)
    d.run(11.5 + 5.5 + 16 + 4 * 12 + 55)  # the lines, the pick, 12 paced lifts, the answer
    assert not d.logs(OneRepMaxTested) and cues.TEST_TOO_EASY in d.says()
    assert d.logs(SetDone)[0].reps == 12


def _test_until_the_count(d):
    d.run(11.5 + 5.5)  # the lines, then keeping still picks 2 kg
    for _ in range(600):
        if d.s.view.step.rep == 6:
            break
        d.run(0.1)


def test_a_test_done_away_from_the_mat_counts_only_what_the_person_confirms():
    d = Driver(replace(TEST, exercise_id="reverse_wrist_curl"), feet=(False, False))
    d.run(11.5 + 5.5 + 16 + 4 * 12 + 2)  # at the table: the count runs on, then stops and asks
    assert d.s.view.step.phase == "count" and not d.logs(SetDone)
    assert d.s.view.step.rep == 12  # the count, not what was lifted
    d.run(30)  # putting the weights down and walking back: still nothing kept
    assert not d.logs(SetDone) and not d.s.finished
    d.send(Feet(d.t, True, True))  # back on the mat
    for _ in range(7):  # one fewer each tap, down to the five really lifted
        d.run(0.5)
        land(d, "left", 0.8)
    d.run(6)
    assert d.logs(SetDone) == [SetDone(set_no=1, reps=5, load_kg=2.0)]
    assert d.logs(OneRepMaxTested)[0].reps == 5 and d.s.finished


def test_an_unanswered_test_is_not_recorded_and_says_it_will_be_offered_again():
    d = Driver(replace(TEST, exercise_id="reverse_wrist_curl"), feet=(False, False))
    d.run(11.5 + 5.5 + 16 + 4 * 12 + 2 + 130)
    assert not d.logs(SetDone) and not d.logs(OneRepMaxTested)
    assert cues.TEST_NOT_SAVED in d.says() and d.s.finished
    assert d.logs(StepFinished)[-1].status == "skipped"


def test_the_sit_to_stand_estimate_counts_body_mass():
    from kiosk.program.progression import Caps, OneRmSet, target_from_test

    heavy = replace(TEST, body_mass_kg=70.0)
    d = Driver(heavy)
    _test_until_the_count(d)
    land(d, "left", 0.8)
    d.run(18)
    onerm = d.logs(OneRepMaxTested)[0]
    expect = target_from_test(OneRmSet(date.min, "sit_to_stand", 2.0, 6), 70.0,
                              Caps(weights_kg=TEST.weights_kg))
    assert onerm.target_kg == (expect or 0.0) and expect != 1.0  # not the hands-only answer


def test_feedback_is_never_late_behind_other_feedback():
    d = Driver(STOMP)
    d.run(3)
    for _ in range(3):  # quick stomps: each "Good!"/"Harder!" replaces one still waiting
        land(d, "left", 1.0)
        d.run(0.3)
    d.run(16)  # the cut instruction is said again, whole; no feedback is left waiting
    assert d.says().count(cues.HARDER) == 3 and d.s.captions_done(d.t)
    assert d.says()[-1] == cues.stomp_foot("left", 4)


def test_stomps_count_from_the_first_instruction_word():
    spec = StepSpec("stomp", "s", "Stomps", ("Stand tall.", "Hold the counter.", "Lift a foot."),
                    per_foot=1, target_bw=1.5)
    d = Driver(spec)
    d.run(0.5)  # still hearing the first line: a stomp now is not lost
    land(d, "left", 2.0)
    assert d.s.view.step.counts == (1, 0)
    d.run(10)
    shown = [x for x in d.says() if x != cues.GOOD]
    assert shown[:3] == ["Stand tall.", "Hold the counter.", "Lift a foot."]

"""After "it hurt", the person may leave that exercise out for the rest of the day: asked by
the stretch step, logged through the recorder, and dropped from the day's later sessions."""

from dataclasses import replace
from datetime import date, datetime

from test_coach_engine import STRETCH, Driver, land

from kiosk.clock import FixedWallClock
from kiosk.coach import cues
from kiosk.coach.events import Log
from kiosk.coach.recorder import Recorder
from kiosk.coach.steps import PAIN_IGNORE_S, PAIN_WAIT_S
from kiosk.config import defaults
from kiosk.store.db import Store
from kiosk.store.records import PainAnswered, RestedToday
from kiosk.wiring import steps_provider

DAY = date(2026, 11, 24)


def _answer(*feet: str, exercise_id: str = "calf_stretch") -> Driver:
    """The stretch, then each question answered with ``feet`` once it has been heard."""
    d = Driver(replace(STRETCH, exercise_id=exercise_id))
    for foot, question in zip(feet, (cues.PAIN_QUESTION, cues.PAIN_REST_QUESTION), strict=False):
        d.until(lambda d, q=question: q in d.says())
        d.heard()
        land(d, foot, 0.8)
    d.heard()
    return d


def test_yes_it_hurt_asks_whether_to_leave_it_out_today():
    d = _answer("left", "left")
    assert d.logs(PainAnswered) == [PainAnswered(hurt=True)]
    assert d.logs(RestedToday) == [RestedToday()]
    says = d.says()
    assert says.index(cues.PAIN_YES) < says.index(cues.PAIN_REST_QUESTION) \
        < says.index(cues.PAIN_REST_YES)
    assert d.s.finished


def test_a_tap_before_the_rest_question_is_heard_is_no_answer_to_it():
    d = Driver(replace(STRETCH, exercise_id="calf_stretch"))
    d.until(lambda d: cues.PAIN_QUESTION in d.says())
    d.heard()
    land(d, "left", 0.8)
    d.run(PAIN_IGNORE_S + 0.1)  # still thanking them: the next question is not said yet
    assert cues.PAIN_REST_QUESTION not in d.says()
    land(d, "left", 0.8)
    d.heard()
    assert cues.PAIN_REST_QUESTION in d.says() and d.logs(RestedToday) == []
    assert not d.s.finished  # still open for the answer


def test_keeping_it_or_no_answer_logs_only_the_hurt():
    kept = _answer("left", "right")
    assert kept.logs(RestedToday) == [] and cues.PAIN_REST_NO in kept.says()
    silent = _answer("left")
    silent.run(PAIN_WAIT_S - 1.0)  # open this long after it was heard
    assert not silent.s.finished
    silent.run(1.2)
    assert silent.logs(RestedToday) == [] and silent.s.finished
    no = _answer("right")
    assert cues.PAIN_REST_QUESTION not in no.says()


def test_an_exercise_left_out_today_is_not_in_the_evening_session():
    cfg = defaults().replace(profile={"fracture_history": "no"})
    store = Store.memory()
    wall = FixedWallClock(datetime(2026, 11, 24, 17, 0))
    steps_for = steps_provider(cfg, store, wall)
    evening = [s.exercise_id for s in steps_for("evening")]
    stretch = next(s for s in steps_for("evening") if s.kind == "stretch")
    d = _answer("left", "left", exercise_id=stretch.exercise_id)
    rec = Recorder(store, slot="morning", plan_date=DAY)
    for _, e in d.effects:
        if isinstance(e, Log):
            rec.apply(e)
    assert store.rest_today(DAY) == {stretch.exercise_id}
    later = [s.exercise_id for s in steps_for("evening")]
    assert stretch.exercise_id in evening and stretch.exercise_id not in later
    assert store.rest_today(date(2026, 11, 25)) == set()  # tomorrow it is back
    store.close()


def test_the_stop_rules_open_the_first_session_and_come_back_weekly():
    from kiosk.coach.engine import Session
    from kiosk.coach.events import Say, Tick

    cfg = defaults().replace(profile={"fracture_history": "no"})
    store = Store.memory()
    wall = FixedWallClock(datetime(2026, 11, 24, 8, 0))
    steps_for = steps_provider(cfg, store, wall)
    first = steps_for("morning")
    assert first[0].kind == "stop_rules" and first[1].kind != "stop_rules"
    session = Session(first[:1])
    rec = Recorder(store, slot="morning", plan_date=DAY)
    said = []
    t = 0.0
    while not session.finished and t < 120:
        t += 0.1
        for e in session.handle(Tick(t)):
            said += [e.text] if isinstance(e, Say) else []
            if isinstance(e, Log):
                rec.apply(e)
    assert all(rule in said for rule in cues.stop_rules()[1:])
    (logged,) = store.steps_of(store.sessions()[0]["id"])
    assert (logged["kind"], logged["status"]) == ("stop_rules", "done")  # nothing asked
    assert store.stop_rules_said() == DAY
    assert steps_for("evening")[0].kind != "stop_rules"  # said today: not again
    wall.at = datetime(2026, 12, 1, 8, 0)  # a week later
    assert steps_for("morning")[0].kind == "stop_rules"
    store.close()
